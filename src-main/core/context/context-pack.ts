import { Readable } from 'node:stream';
import type { ContextEntry } from './context-entry';
import { abortError } from './context-errors';
import { scanContext, type ContextScan, type ScanContextOptions } from './context-scan';
import { CHUNK, TarChunks } from './tar-chunks';

/**
 * The tar as a Node Readable. Pull-driven: each `_read` produces at most a few chunks, so memory stays
 * flat and the event loop gets a turn between chunks. Fresh buffers: the consumer may hold them.
 */
class ContextTarStream extends Readable {
  private readonly chunks: TarChunks;

  constructor(entries: readonly ContextEntry[], signal?: AbortSignal) {
    super({ highWaterMark: CHUNK });
    this.chunks = new TarChunks(entries, signal, false);
  }

  override _read(): void {
    try {
      for (let produced = 0; produced < 4 * CHUNK;) {
        const chunk = this.chunks.next();
        if (chunk === null) {
          this.push(null);
          return;
        }
        produced += chunk.length;
        if (!this.push(chunk)) return;
      }
    } catch (err) {
      this.destroy(err as Error);
    }
  }

  override _destroy(err: Error | null, callback: (error?: Error | null) => void): void {
    this.chunks.close();
    callback(err);
  }
}

/**
 * Stream the tar of a scanned context: entries in scan order, files read in bounded pieces as the
 * consumer pulls (never whole into memory). The stream's length is exactly `scan.totalBytes`.
 */
export function createContextTar(scan: ContextScan, options: { signal?: AbortSignal } = {}): Readable {
  const { signal } = options;
  const stream = new ContextTarStream(scan.entries, signal);
  if (signal) {
    const onAbort = (): void => {
      stream.destroy(abortError());
    };
    signal.addEventListener('abort', onAbort, { once: true });
    stream.once('close', () => signal.removeEventListener('abort', onAbort));
  }
  return stream;
}

/** Scan a context, then stream its tar. Errors in the scan (unreadable file, bad ignore file) come before any byte. */
export async function packContext(options: ScanContextOptions): Promise<{ scan: ContextScan; stream: Readable }> {
  const scan = await scanContext(options);
  return { scan, stream: createContextTar(scan, options.signal ? { signal: options.signal } : {}) };
}
