import type { Readable } from 'node:stream';
import tar from 'tar-stream';

/** One entry read back from a tar with tar-stream (an independent reader). */
export interface ReadEntry {
  name: string;
  type: string;
  size: number;
  mode: number;
  uid: number;
  gid: number;
  linkname: string | null;
  content: Buffer;
}

/** Read a whole tar stream back; also returns its byte length and its largest chunk. */
export async function readTar(
  stream: Readable,
): Promise<{ entries: ReadEntry[]; bytes: number; largestChunk: number }> {
  const extract = tar.extract();
  const entries: ReadEntry[] = [];
  let bytes = 0;
  let largestChunk = 0;
  stream.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    largestChunk = Math.max(largestChunk, chunk.length);
  });
  stream.on('error', (err) => extract.destroy(err));
  stream.pipe(extract as unknown as NodeJS.WritableStream);
  for await (const entry of extract) {
    const chunks: Buffer[] = [];
    for await (const chunk of entry) chunks.push(chunk as Buffer);
    const h = entry.header;
    entries.push({
      name: h.name,
      type: h.type,
      size: h.size,
      mode: h.mode,
      uid: h.uid,
      gid: h.gid,
      linkname: h.linkname ?? null,
      content: Buffer.concat(chunks),
    });
  }
  return { entries, bytes, largestChunk };
}
