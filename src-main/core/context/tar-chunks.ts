import { closeSync, openSync, readSync } from 'node:fs';
import type { ContextEntry } from './context-entry';
import { abortError, ContextError } from './context-errors';
import { BLOCK, TAR_END_BYTES, tarHeaderBlocks, tarPadding, writeUstarHeader } from './tar-layout';

// Size of the chunks handed to the consumer, and of each read from a large file.
export const CHUNK = 1024 * 1024;
// The same for writing to a pipe: a quarter of CHUNK lets the reader at the other end drain one batch while the
// next is read, where 1 MiB alternated long reads with long waits on a full pipe (a fifth slower, under load).
export const PIPE_CHUNK = 256 * 1024;
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
export class TarChunks {
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

  /** Whether every entry has been given: only then does the end of the archive follow the last one. */
  private sealed: boolean;

  constructor(
    private readonly entries: readonly ContextEntry[],
    private readonly signal: AbortSignal | undefined,
    reuse: boolean,
    /** Bytes per chunk (about): the batch size, and the size of each read from a large file. */
    private readonly chunk = CHUNK,
    /** Open: entries arrive later through `append` (into `entries`, which the chunks then own), and `seal` says the last has come. */
    open = false,
  ) {
    this.sealed = !open;
    this.scratch = reuse ? Buffer.allocUnsafe(TarChunks.scratchBytes(chunk)) : null;
    this.piece = reuse ? Buffer.allocUnsafe(chunk) : null;
  }

  /** The scratch batch when reusing: a chunk plus the largest entry that can join it (a small file). */
  static scratchBytes(chunk: number): number {
    return 2 * Math.max(chunk, SMALL_FILE) + SMALL_FILE;
  }

  /** More entries, in order (open mode). */
  append(entries: readonly ContextEntry[]): void {
    if (this.sealed) throw new Error('TarChunks: append after seal');
    for (const e of entries) (this.entries as ContextEntry[]).push(e);
  }

  /** No more entries: the end of the archive follows the last one. */
  seal(): void {
    this.sealed = true;
  }

  /** Whether the whole archive, its end included, has been handed out. */
  get done(): boolean {
    return this.endWritten && this.batchBytes === 0 && this.fd === null;
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

  /** The next chunk of the tar, or null at the end (open mode: or until more entries are appended). */
  next(): Buffer | null {
    for (;;) {
      if (this.fd !== null) return this.readPiece();
      if (this.signal?.aborted) throw abortError();
      if (this.index >= this.entries.length) {
        if (!this.sealed) {
          // Open and waiting for entries: what is batched so far (null when nothing is; `done` tells the two
          // apart). The entries written are let go, so a long walk's entries are not all held here.
          (this.entries as ContextEntry[]).length = 0;
          this.index = 0;
          return this.flush();
        }
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
