import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { Readable } from 'node:stream';
import type { ContextEntry } from './context-entry';
import { abortError, ContextError } from './context-errors';
import { scanContext, type ContextScan, type ScanContextOptions } from './context-scan';
import { BLOCK, TAR_END_BYTES, tarHeaderBlocks, tarPadding, writeUstarHeader } from './tar-layout';

// Size of the chunks handed to the consumer, and of each read from a large file.
const CHUNK = 1024 * 1024;
// The same for writing to a pipe (the CLI's stdout). A pipe holds 64 KiB: a write larger than that sleeps until
// the reader has taken most of it, and the reading of the next files waits behind it. 32 KiB writes mostly fit
// at once (dd through a pipe: 32K 0.17–0.20 s, 256K 0.33 s, for 407 MB), and `strata context --tar | wc -c`
// went from 1.35–1.65 s to 0.90–1.03 s for 871 MiB on an idle machine.
const PIPE_CHUNK = 32 * 1024;
// Files up to this size are read in one go and batched with their neighbours' headers.
const SMALL_FILE = 64 * 1024;

function shrank(entry: ContextEntry): ContextError {
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
 * size of each file: a file that grew is cut there, one that shrank fails naming the file.
 *
 * With `reuse`, every chunk is a view of one of two scratch buffers, valid only until the next call:
 * for a consumer that writes each chunk out before asking for the next, this allocates nothing per
 * file, so memory stays at a few MiB however large the context (the garbage of fresh buffers otherwise
 * lets the heap grow by tens of MiB between collections).
 */
class TarChunks {
  private index = 0;
  private fd: number | null = null;
  private current: ContextEntry | null = null;
  private remaining = 0;
  private batch: Buffer[] = [];
  private batchBytes = 0;
  private endWritten = false;
  // Scratch buffers when reusing: the batch (a chunk plus the largest entry that can join it) and a piece.
  private readonly scratch: Buffer | null;
  private readonly piece: Buffer | null;
  /** Reusing, but this batch outgrew the scratch buffer: it is made of buffers of its own. */
  private spilled = false;

  constructor(
    private readonly entries: readonly ContextEntry[],
    private readonly signal: AbortSignal | undefined,
    reuse: boolean,
    /** Bytes per chunk (about): the batch size, and the size of each read from a large file. */
    private readonly chunk = CHUNK,
  ) {
    this.scratch = reuse ? Buffer.allocUnsafe(2 * Math.max(chunk, SMALL_FILE) + SMALL_FILE) : null;
    this.piece = reuse ? Buffer.allocUnsafe(chunk) : null;
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  private add(buf: Buffer): void {
    if (buf.length === 0) return;
    if (this.scratch && !this.spilled) {
      if (this.batchBytes + buf.length <= this.scratch.length) {
        buf.copy(this.scratch, this.batchBytes);
        this.batchBytes += buf.length;
        return;
      }
      // Rare (a synthesised entry larger than the scratch): this batch is built of buffers of its own.
      this.spilled = true;
      if (this.batchBytes > 0) this.batch.push(Buffer.from(this.scratch.subarray(0, this.batchBytes)));
    }
    this.batch.push(buf);
    this.batchBytes += buf.length;
  }

  /** Zero bytes (padding, the end of the archive): filled in place when reusing, else a buffer of their own. */
  private addZeros(n: number): void {
    if (n === 0) return;
    if (this.scratch && !this.spilled && this.batchBytes + n <= this.scratch.length) {
      this.scratch.fill(0, this.batchBytes, this.batchBytes + n);
      this.batchBytes += n;
      return;
    }
    this.add(Buffer.alloc(n));
  }

  /** An entry's header blocks: written straight into the scratch buffer when reusing and it is one block. */
  private addHeader(entry: ContextEntry): void {
    if (this.scratch && !this.spilled && this.batchBytes + BLOCK <= this.scratch.length) {
      const written = writeUstarHeader(entry, this.scratch, this.batchBytes);
      if (written > 0) {
        this.batchBytes += written;
        return;
      }
    }
    this.add(tarHeaderBlocks(entry));
  }

  flush(): Buffer | null {
    if (this.batchBytes === 0) return null;
    const out =
      this.scratch && !this.spilled
        ? this.scratch.subarray(0, this.batchBytes)
        : this.batch.length === 1
          ? (this.batch[0] as Buffer)
          : Buffer.concat(this.batch, this.batchBytes);
    this.batch = [];
    this.batchBytes = 0;
    this.spilled = false;
    return out;
  }

  /** Read a small file whole (it is at most SMALL_FILE bytes), straight into the batch when reusing. */
  private readSmall(entry: ContextEntry): void {
    const direct =
      this.scratch !== null && this.batch.length === 0 && this.batchBytes + entry.size <= this.scratch.length;
    const buf = direct ? (this.scratch as Buffer) : Buffer.allocUnsafe(entry.size);
    const base = direct ? this.batchBytes : 0;
    const fd = openSync(entry.source as string, 'r');
    try {
      let filled = 0;
      while (filled < entry.size) {
        const n = readSync(fd, buf, base + filled, entry.size - filled, null);
        if (n === 0) throw shrank(entry);
        filled += n;
      }
    } finally {
      closeSync(fd);
    }
    if (direct) this.batchBytes += entry.size;
    else this.add(buf);
  }

  /** The next piece of the open large file; closes it and queues its padding after the last piece. */
  private readPiece(): Buffer {
    const entry = this.current as ContextEntry;
    const want = Math.min(this.remaining, this.chunk);
    const buf = this.piece ?? Buffer.allocUnsafe(want);
    const n = readSync(this.fd as number, buf, 0, want, null);
    if (n === 0) throw shrank(entry);
    this.remaining -= n;
    if (this.remaining === 0) {
      this.close();
      this.addZeros(tarPadding(entry.size));
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
          this.addZeros(TAR_END_BYTES);
          this.endWritten = true;
        }
        return this.flush();
      }
      const entry = this.entries[this.index++] as ContextEntry;
      this.addHeader(entry);
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
        this.addZeros(tarPadding(entry.size));
      }
      if (this.batchBytes >= this.chunk) return this.flush();
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

/** Write all of `buf` to a file descriptor, waiting out a non-blocking pipe that is full. */
function writeAllSync(fd: number, buf: Buffer): void {
  let off = 0;
  while (off < buf.length) {
    try {
      off += writeSync(fd, buf, off, buf.length - off);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 0.2);
    }
  }
}

/**
 * Write the tar of a scanned context to a file descriptor (the CLI's stdout), synchronously: the same
 * bytes as createContextTar, from reused buffers, so a context of any size costs a few MiB. For a
 * process that does nothing else meanwhile (it blocks the event loop until done).
 */
export function writeContextTarSync(scan: ContextScan, fd: number): void {
  const chunks = new TarChunks(scan.entries, undefined, true, PIPE_CHUNK);
  try {
    for (let chunk = chunks.next(); chunk !== null; chunk = chunks.next()) writeAllSync(fd, chunk);
  } finally {
    chunks.close();
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
