import { closeSync, openSync, readSync } from 'node:fs';
import { Readable } from 'node:stream';
import type { ContextEntry } from './context-entry';
import { abortError, ContextError } from './context-errors';
import { scanContext, type ContextScan, type ScanContextOptions } from './context-scan';
import { TAR_END_BYTES, tarHeaderBlocks, tarPadding } from './tar-layout';

// Size of the chunks handed to the consumer, and of each read from a large file.
const CHUNK = 1024 * 1024;
// Files up to this size are read in one go and batched with their neighbours' headers.
const SMALL_FILE = 64 * 1024;

/** The error for a file that is shorter than the walk found it. */
export function shrank(entry: ContextEntry): ContextError {
  return new ContextError(
    'conflict',
    `${entry.path} changed while the context was being sent: it is shorter than when scanned`,
    {
      path: entry.path,
    },
  );
}

/**
 * The tar of a scanned context, chunk by chunk: headers and small files batched into chunks of about
 * CHUNK bytes, large files read in CHUNK pieces (no file is ever held whole). Reads exactly the scanned
 * size of each file: a file that grew is cut there, one that shrank fails naming the file. Every chunk is
 * a buffer of its own: the consumer may hold it.
 */
class TarChunks {
  private index = 0;
  private fd: number | null = null;
  private current: ContextEntry | null = null;
  private remaining = 0;
  private batch: Buffer[] = [];
  private batchBytes = 0;
  private endWritten = false;

  constructor(
    private readonly entries: readonly ContextEntry[],
    private readonly signal: AbortSignal | undefined,
  ) {}

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  private add(buf: Buffer): void {
    if (buf.length === 0) return;
    this.batch.push(buf);
    this.batchBytes += buf.length;
  }

  flush(): Buffer | null {
    if (this.batchBytes === 0) return null;
    const out = this.batch.length === 1 ? (this.batch[0] as Buffer) : Buffer.concat(this.batch, this.batchBytes);
    this.batch = [];
    this.batchBytes = 0;
    return out;
  }

  /** Read a small file whole (it is at most SMALL_FILE bytes). */
  private readSmall(entry: ContextEntry): void {
    const buf = Buffer.allocUnsafe(entry.size);
    const fd = openSync(entry.source as string, 'r');
    try {
      let filled = 0;
      while (filled < entry.size) {
        const n = readSync(fd, buf, filled, entry.size - filled, null);
        if (n === 0) throw shrank(entry);
        filled += n;
      }
    } finally {
      closeSync(fd);
    }
    this.add(buf);
  }

  /** The next piece of the open large file; closes it and queues its padding after the last piece. */
  private readPiece(): Buffer {
    const entry = this.current as ContextEntry;
    const want = Math.min(this.remaining, CHUNK);
    const buf = Buffer.allocUnsafe(want);
    const n = readSync(this.fd as number, buf, 0, want, null);
    if (n === 0) throw shrank(entry);
    this.remaining -= n;
    if (this.remaining === 0) {
      this.close();
      this.add(Buffer.alloc(tarPadding(entry.size)));
    }
    return n === buf.length ? buf : buf.subarray(0, n);
  }

  /** The next chunk of the tar, or null at the end. */
  next(): Buffer | null {
    for (;;) {
      if (this.fd !== null) return this.readPiece();
      if (this.signal?.aborted) throw abortError();
      if (this.index >= this.entries.length) {
        if (!this.endWritten) {
          this.add(Buffer.alloc(TAR_END_BYTES));
          this.endWritten = true;
        }
        return this.flush();
      }
      const entry = this.entries[this.index++] as ContextEntry;
      this.add(tarHeaderBlocks(entry));
      if (entry.type === 'file' && entry.size > 0) {
        if (entry.content) this.add(entry.content);
        else if (entry.size <= SMALL_FILE) this.readSmall(entry);
        else {
          // Headers queued so far go first; the file follows piece by piece.
          const queued = this.flush();
          this.fd = openSync(entry.source as string, 'r');
          this.current = entry;
          this.remaining = entry.size;
          if (queued) return queued;
          continue;
        }
        this.add(Buffer.alloc(tarPadding(entry.size)));
      }
      if (this.batchBytes >= CHUNK) return this.flush();
    }
  }
}

/**
 * The tar as a Node Readable. Pull-driven: each `_read` produces at most a few chunks, so memory stays
 * flat and the event loop gets a turn between chunks. Fresh buffers: the consumer may hold them.
 */
class ContextTarStream extends Readable {
  private readonly chunks: TarChunks;

  constructor(entries: readonly ContextEntry[], signal?: AbortSignal) {
    super({ highWaterMark: CHUNK });
    this.chunks = new TarChunks(entries, signal);
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
