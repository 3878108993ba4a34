import { finished } from 'node:stream/promises';
import type { Transform } from 'node:stream';
import type { Decompress as ZstdDecompress } from 'fzstd';
import { fzstd, nativeZstd, zlib } from './decompressors';
import type { LayerCompression } from './layer-entry';
import type { LayerScanner } from './layer-scanner';
import type { TarBodySink } from './tar-header-parser';

/** A body sink that may need the reader to wait (back-pressure, or work still running after `end`). */
export interface PacedSink extends TarBodySink {
  /** A promise to await before pushing more input, or undefined when the sink is ready. Rejects on failure. */
  pending(): Promise<void> | undefined;
  /** Releases resources after a failure or cancel. */
  destroy(): void;
  /** True once `end` has been called. */
  readonly ended: boolean;
}

const GZIP_MAGIC = [0x1f, 0x8b];
const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd];

/** Recognises a layer blob's compression from its first bytes (media types in manifests are not trusted). */
export function detectCompression(head: Uint8Array): LayerCompression {
  if (startsWith(head, GZIP_MAGIC)) return 'gzip';
  if (startsWith(head, ZSTD_MAGIC)) return 'zstd';
  return 'none';
}

function startsWith(head: Uint8Array, magic: readonly number[]): boolean {
  return magic.every((byte, i) => head[i] === byte);
}

/** Feeds a (possibly compressed) layer blob into a scanner as it streams. */
export function createLayerDecoder(compression: LayerCompression, scanner: LayerScanner): PacedSink {
  if (compression === 'none') return new PlainDecoder(scanner);
  if (compression === 'gzip') return new StreamDecoder(zlib().createGunzip(), scanner);
  const native = nativeZstd();
  return native ? new StreamDecoder(native, scanner) : new FzstdDecoder(scanner);
}

/** Name of the zstd implementation in use, for reports and benchmarks. */
export function zstdImplementation(): 'node:zlib' | 'fzstd' {
  return typeof (zlib() as unknown as { createZstdDecompress?: unknown }).createZstdDecompress === 'function'
    ? 'node:zlib'
    : 'fzstd';
}

class PlainDecoder implements PacedSink {
  ended = false;
  constructor(private readonly scanner: LayerScanner) {}
  write(chunk: Uint8Array): void {
    this.scanner.push(chunk);
  }
  end(): void {
    this.ended = true;
    this.scanner.end();
  }
  // An uncompressed layer's bytes are the tar's bytes: what the scanner does not read need not be read.
  skippable(): number {
    return this.scanner.skippable();
  }
  skip(count: number): void {
    this.scanner.skip(count);
  }
  pending(): undefined {
    return undefined;
  }
  destroy(): void {}
}

class FzstdDecoder implements PacedSink {
  ended = false;
  private readonly zstd: ZstdDecompress;
  constructor(private readonly scanner: LayerScanner) {
    const Decompress = fzstd();
    this.zstd = new Decompress((data) => this.scanner.push(data));
  }
  write(chunk: Uint8Array): void {
    // fzstd may keep input it cannot decode yet; the source may reuse its chunk once this returns.
    this.zstd.push(new Uint8Array(chunk));
  }
  end(): void {
    this.ended = true;
    this.zstd.push(new Uint8Array(0), true);
    this.scanner.end();
  }
  pending(): undefined {
    return undefined;
  }
  destroy(): void {}
}

/** Wraps an asynchronous zlib transform; decoded bytes are scanned synchronously as they come out. */
class StreamDecoder implements PacedSink {
  ended = false;
  private failure: unknown;
  private completion: Promise<void> | undefined;

  constructor(
    private readonly stream: Transform,
    private readonly scanner: LayerScanner,
  ) {
    stream.on('data', (data: Buffer) => {
      if (this.failure !== undefined) return;
      try {
        scanner.push(data);
      } catch (error) {
        this.fail(error);
      }
    });
    stream.on('error', (error) => this.fail(error));
  }

  write(chunk: Uint8Array): void {
    if (this.failure !== undefined) return;
    // The stream holds the chunk until it decodes it; the source may reuse its chunk once this returns.
    this.stream.write(Buffer.from(chunk));
  }

  end(): void {
    this.ended = true;
    if (this.failure !== undefined) return;
    this.stream.end();
    this.completion = finished(this.stream).then(() => {
      if (this.failure !== undefined) throw this.failure;
      this.scanner.end();
    });
    // Marked handled here; the reader awaits it through pending() unless it is already failing.
    this.completion.catch(() => undefined);
  }

  pending(): Promise<void> | undefined {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (this.completion) {
      const completion = this.completion;
      this.completion = undefined;
      return completion;
    }
    // Asked of the stream now, not remembered from write(): the reader may have awaited another layer since,
    // and a 'drain' that fired meanwhile would never fire again (the job then hung and Node exited 0).
    if (this.stream.writableNeedDrain) return drained(this.stream);
    return undefined;
  }

  destroy(): void {
    this.stream.destroy();
  }

  private fail(error: unknown): void {
    if (this.failure !== undefined) return;
    const failure = error instanceof Error ? error : new Error(String(error));
    this.failure = failure;
    this.stream.destroy(failure);
  }
}

/** Settles when the stream can take more input, fails, or is destroyed (a cancel): never waits forever. */
function drained(stream: Transform): Promise<void> {
  if (stream.destroyed) return Promise.reject(stream.errored ?? new Error('the layer decoder was closed'));
  return new Promise<void>((resolve, reject) => {
    const settle = (error?: Error | null): void => {
      stream.off('drain', onDrain);
      stream.off('error', onError);
      stream.off('close', onClose);
      if (error) reject(error);
      else resolve();
    };
    const onDrain = (): void => settle();
    const onError = (error: Error): void => settle(error);
    const onClose = (): void => settle(stream.errored ?? new Error('the layer decoder was closed'));
    stream.on('drain', onDrain);
    stream.on('error', onError);
    stream.on('close', onClose);
  });
}
