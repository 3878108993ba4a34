/**
 * The tar of a context written to a file descriptor while the walk goes on, as GNU tar overlaps its walk
 * with its writing (`strata context --tar`).
 *
 * This thread walks, formats each header and reads each file straight into one of a few buffers; full
 * buffers are written in order by one of libuv's pool threads, which sleeps in `writev(2)` while the
 * pipe's reader catches up, so this thread walks and reads on meanwhile. Each write takes a few buffers
 * (1 MiB) and leaves the rest queued, so the next write starts the moment one ends: a write per 32 KiB
 * chunk cost more in handovers than the overlap saved, and one write of everything queued left the pool
 * idle while this thread refilled the buffers. No second isolate: a worker thread costs about 9 MiB.
 *
 * The price, for this one user: bytes go out before the walk has seen every file. A file found unreadable
 * later ends the tar short (never with the end-of-archive blocks, so no reader takes it for a whole
 * archive) and the command fails with the walk's message. A build's upload still walks first.
 */
import { closeSync, openSync, readSync, writev } from 'node:fs';
import type { ContextEntry } from './context-entry';
import { shrank } from './context-pack';
import { checkError } from './context-walk';
import { BLOCK, TAR_END_BYTES, tarEntryBytes, tarHeaderBlocks, tarPadding, writeUstarHeader } from './tar-layout';

/** Bytes per buffer, and buffers: what can wait for the pipe while this thread reads on. */
const SLOT = 256 * 1024;
const SLOTS = 16;
/** Buffers per write: one write's worth of the pipe's pace (about a millisecond at GNU tar's). */
const PER_WRITE = 4;
/** Entries the walk may run ahead of the reading before it waits. */
const AHEAD = 256;

/**
 * Open a file to send. The walk leaves the check that it can be read to this open (its access() call would
 * be a second system call per file): the error is worded as the walk's would be.
 */
function openSource(entry: ContextEntry): number {
  const source = entry.source as string | Buffer;
  try {
    return openSync(source, 'r');
  } catch (err) {
    throw checkError(typeof source === 'string' ? source : source.toString('utf8'), entry.path, err, 'read');
  }
}

/** A buffer waiting for the pool: its bytes from `from` to `to` are still to be written. */
interface Queued {
  buf: Buffer;
  from: number;
  to: number;
}

/** Content still to go out for the entry being written: from an open file, or from memory. */
interface Body {
  entry: ContextEntry;
  fd?: number;
  data?: Buffer;
  /** Bytes of content still to copy. */
  left: number;
}

/**
 * Writes entries handed to `add`, in order, to `fd`. `add` returns a promise when the walk is too far
 * ahead (await it before adding more); `finish` writes the end of the archive and settles once every byte
 * is written. After a failure nothing more is written, and the end-of-archive blocks never are.
 */
export class TarPoolWriter {
  private readonly free: Buffer[] = [];
  private current: Buffer | null = null;
  private fill = 0;
  /** Full buffers waiting for the pool, in order. */
  private queued: Queued[] = [];
  private writing = false;
  private pending: ContextEntry[] = [];
  private head = 0;
  private body: Body | null = null;
  private ending = false;
  private expected = TAR_END_BYTES;
  private written = 0;
  private failure: Error | undefined;
  private waiter: { resolve: () => void; reject: (err: Error) => void } | undefined;
  private finished: { resolve: (written: number) => void; reject: (err: Error) => void } | undefined;

  constructor(private readonly fd: number) {
    for (let i = 0; i < SLOTS; i++) this.free.push(Buffer.allocUnsafe(SLOT));
  }

  /** Queue an entry; a promise when the walk is too far ahead (the caller awaits it before adding more). */
  add(entry: ContextEntry): Promise<void> | undefined {
    if (this.failure) throw this.failure;
    this.expected += tarEntryBytes(entry);
    this.pending.push(entry);
    this.pump();
    if (this.failure) throw this.failure;
    if (this.pending.length - this.head < AHEAD) return undefined;
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }

  /** Write the end of the archive; settles with the bytes written once all of them are. */
  finish(): Promise<number> {
    if (this.failure) return Promise.reject(this.failure);
    const done = new Promise<number>((resolve, reject) => {
      this.finished = { resolve, reject };
    });
    this.ending = true;
    this.pump();
    return done;
  }

  /** Stop (the walk failed): nothing more is written; whatever went out stays short of an archive's end. */
  abort(err: Error): void {
    this.fail(err);
  }

  private fail(err: Error): void {
    if (this.failure) return;
    this.failure = err;
    this.closeBody();
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.reject(err);
    this.finished?.reject(err);
  }

  private closeBody(): void {
    if (this.body?.fd !== undefined) closeSync(this.body.fd);
    this.body = null;
  }

  /**
   * Room for `n` contiguous bytes in the current buffer, taking the next one when they do not fit (the
   * full one is queued); false when every buffer waits for the pool.
   */
  private room(n: number): boolean {
    if (this.current && this.fill + n <= this.current.length) return true;
    if (this.current && this.fill > 0) {
      this.queued.push({ buf: this.current, from: 0, to: this.fill });
      this.current = null;
    }
    if (!this.current) {
      // A header larger than a buffer (names and link targets of several KiB) gets one of its own.
      const next = n > SLOT ? Buffer.allocUnsafe(n) : this.free.pop();
      if (!next) return false;
      this.current = next;
      this.fill = 0;
    }
    return true;
  }

  private zeros(n: number): boolean {
    if (n === 0) return true;
    if (!this.room(n)) return false;
    (this.current as Buffer).fill(0, this.fill, this.fill + n);
    this.fill += n;
    return true;
  }

  /** Copies as much of the body as fits; true once it is all out (padding included). */
  private copyBody(body: Body): boolean {
    while (body.left > 0) {
      if (!this.room(1)) return false;
      const buf = this.current as Buffer;
      const want = Math.min(body.left, buf.length - this.fill);
      if (body.data) {
        const from = body.entry.size - body.left;
        body.data.copy(buf, this.fill, from, from + want);
        this.fill += want;
        body.left -= want;
        continue;
      }
      const n = readSync(body.fd as number, buf, this.fill, want, null);
      if (n === 0) throw shrank(body.entry);
      this.fill += n;
      body.left -= n;
    }
    if (!this.zeros(tarPadding(body.entry.size))) return false;
    this.closeBody();
    return true;
  }

  /** One entry's header, and where its content comes from; false when it must wait for a buffer. */
  private start(entry: ContextEntry): boolean {
    if (!this.room(BLOCK)) return false;
    const written = writeUstarHeader(entry, this.current as Buffer, this.fill);
    if (written > 0) this.fill += written;
    else {
      // Rare (a PAX header): when no buffer has room for it now, the entry starts again once one has.
      const blocks = tarHeaderBlocks(entry);
      if (!this.room(blocks.length)) return false;
      blocks.copy(this.current as Buffer, this.fill);
      this.fill += blocks.length;
    }
    if (entry.type !== 'file' || entry.size === 0) return true;
    this.body = entry.content
      ? { entry, data: entry.content, left: entry.size }
      : { entry, fd: openSource(entry), left: entry.size };
    return true;
  }

  /** Formats and reads as far as the buffers allow, and hands full buffers to the pool. */
  private pump(): void {
    if (this.failure) return;
    try {
      for (;;) {
        if (this.body) {
          if (!this.copyBody(this.body)) break;
          continue;
        }
        if (this.head < this.pending.length) {
          // An entry that finds no buffer has written nothing yet: it starts again once one is free.
          if (!this.start(this.pending[this.head] as ContextEntry)) break;
          // Written entries are let go: the reading is behind the walk for most of a large context.
          if (++this.head >= AHEAD) {
            this.pending = this.pending.slice(this.head);
            this.head = 0;
          }
          continue;
        }
        this.pending = [];
        this.head = 0;
        if (this.ending) {
          if (!this.zeros(TAR_END_BYTES)) break;
          if (this.current && this.fill > 0) this.queued.push({ buf: this.current, from: 0, to: this.fill });
          this.current = null;
          this.ending = false;
        }
        break;
      }
    } catch (err) {
      this.fail(err as Error);
      return;
    }
    if (this.waiter && this.pending.length - this.head < AHEAD / 2) {
      const waiter = this.waiter;
      this.waiter = undefined;
      waiter.resolve();
    }
    this.write();
  }

  /** Every queued buffer in one writev on the pool, unless one is under way. */
  private write(): void {
    if (this.writing || this.failure) return;
    if (this.queued.length === 0) {
      if (this.finished && !this.ending && !this.current && !this.body && this.head >= this.pending.length) this.done();
      return;
    }
    // A few buffers per write: the rest stay queued, to go out the moment this write is done.
    const batch = this.queued.splice(0, PER_WRITE);
    this.writing = true;
    this.writeFrom(batch);
  }

  private writeFrom(batch: Queued[]): void {
    const views = batch.map((b) => b.buf.subarray(b.from, b.to));
    writev(this.fd, views, (err, n) => {
      if (err?.code === 'EAGAIN') {
        // A pipe left non-blocking by whoever made it, and full: try again once its reader has had a moment.
        setTimeout(() => this.writeFrom(batch), 1);
        return;
      }
      if (err) {
        this.writing = false;
        this.fail(err);
        return;
      }
      this.written += n;
      // A short write (a signal): the rest goes again.
      let skip = n;
      const rest: Queued[] = [];
      for (const b of batch) {
        const length = b.to - b.from;
        if (skip >= length) {
          skip -= length;
          if (b.buf.length === SLOT) this.free.push(b.buf);
          continue;
        }
        rest.push({ buf: b.buf, from: b.from + skip, to: b.to });
        skip = 0;
      }
      if (rest.length > 0) {
        this.writeFrom(rest);
        return;
      }
      this.writing = false;
      this.write();
      this.pump();
    });
  }

  private done(): void {
    const finished = this.finished;
    this.finished = undefined;
    if (!finished) return;
    if (this.written !== this.expected) {
      this.fail(
        new Error(
          `the tar written has ${this.written} bytes where the walk counted ${this.expected}: the context changed while it was sent`,
        ),
      );
      finished.reject(this.failure as Error);
      return;
    }
    finished.resolve(this.written);
  }
}
