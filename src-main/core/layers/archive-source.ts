import { PassThrough, Readable, Transform, pipeline } from 'node:stream';
import { fzstd, nativeZstd, zlib } from './decompressors';
import { detectCompression } from './layer-blob-decoder';

/**
 * Anything that yields the bytes of an archive: a file stream, dockerode's `image.get()` stream, a generator.
 * A source may reuse a chunk's memory once the next chunk is asked for: whatever keeps bytes longer copies them.
 */
export type ArchiveSource = NodeJS.ReadableStream | AsyncIterable<Uint8Array | string>;

/**
 * Yields the archive's bytes, decompressing a whole-archive gzip or zstd (`docker save | gzip`) on the fly.
 * `onRawBytes` counts bytes as they come from the source, before decompression, for progress.
 */
export async function* archiveBytes(
  source: ArchiveSource,
  onRawBytes: (count: number) => void,
): AsyncGenerator<Uint8Array> {
  const iterator = (source as AsyncIterable<Uint8Array | string>)[Symbol.asyncIterator]();
  let head = Buffer.alloc(0);
  const pulled: Uint8Array[] = [];
  let exhausted = false;
  // Collect a few bytes so the magic number check does not depend on how the source happens to chunk.
  while (head.length < 4) {
    const next = await iterator.next();
    if (next.done) {
      exhausted = true;
      break;
    }
    const chunk = toBytes(next.value);
    onRawBytes(chunk.length);
    pulled.push(Buffer.from(chunk));
    head = Buffer.concat([head, chunk]);
  }
  async function* raw(): AsyncGenerator<Uint8Array> {
    yield* pulled;
    if (exhausted) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      const chunk = toBytes(next.value);
      onRawBytes(chunk.length);
      yield chunk;
    }
  }
  const compression = detectCompression(head);
  if (compression === 'none') {
    yield* raw();
    return;
  }
  const decoder = compression === 'gzip' ? zlib().createGunzip() : zstdTransform();
  const output = new PassThrough({ highWaterMark: 1 << 20 });
  // The decoder reads ahead and holds chunks: it gets copies.
  async function* copied(): AsyncGenerator<Uint8Array> {
    for await (const chunk of raw()) yield Buffer.from(chunk);
  }
  pipeline(Readable.from(copied(), { objectMode: false }), decoder, output, () => undefined);
  try {
    for await (const chunk of output) yield chunk as Buffer;
  } finally {
    output.destroy();
  }
}

function toBytes(value: Uint8Array | string): Uint8Array {
  return typeof value === 'string' ? Buffer.from(value, 'latin1') : value;
}

function zstdTransform(): Transform {
  const native = nativeZstd();
  if (native) return native;
  let push: (data: Uint8Array) => void = () => undefined;
  const Decompress = fzstd();
  const decoder = new Decompress((data) => push(data));
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      push = (data) => this.push(Buffer.from(data));
      try {
        decoder.push(chunk);
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
    flush(callback) {
      push = (data) => this.push(Buffer.from(data));
      try {
        decoder.push(new Uint8Array(0), true);
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
  });
}
