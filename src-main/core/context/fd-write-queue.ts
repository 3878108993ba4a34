import { write } from 'node:fs';

/**
 * Writes to a file descriptor in order, each write a blocking `write(2)` on one of libuv's pool threads,
 * so this thread goes on with other work (reading the next files, walking) while the kernel copies the
 * bytes into a pipe and waits for its reader. Chunks are copied into a few buffers of its own, so the
 * caller may reuse its buffer at once; when every buffer waits to be written, `push` waits for one.
 */
export class FdWriteQueue {
  private readonly free: Buffer[] = [];
  private readonly queue: { slot: Buffer; length: number }[] = [];
  private writing = false;
  private failure: Error | null = null;
  private waiters: (() => void)[] = [];
  /** Bytes written so far. */
  written = 0;

  constructor(
    private readonly fd: number,
    /** The largest chunk that will be pushed. */
    slotBytes: number,
    slots: number,
  ) {
    for (let i = 0; i < slots; i++) this.free.push(Buffer.allocUnsafe(slotBytes));
  }

  /** Whether `push` can take a chunk without waiting. */
  get ready(): boolean {
    return this.free.length > 0 || this.failure !== null;
  }

  /** Waits until `push` can take a chunk (or a write has failed: `push` then throws). */
  async room(): Promise<void> {
    while (!this.ready) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  /** Queues a copy of `chunk`; call only when `ready`. Throws the error of an earlier write that failed. */
  push(chunk: Buffer): void {
    if (this.failure) throw this.failure;
    const slot = this.free.pop();
    if (!slot) throw new Error('FdWriteQueue: push without room');
    if (chunk.length > slot.length) throw new Error(`FdWriteQueue: a chunk of ${chunk.length} bytes, over its slots`);
    chunk.copy(slot);
    this.queue.push({ slot, length: chunk.length });
    this.next();
  }

  /** Waits for every queued byte to be written; throws if a write failed. */
  async flush(): Promise<void> {
    while (this.writing || this.queue.length > 0) {
      if (this.failure) break;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    if (this.failure) throw this.failure;
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  private next(): void {
    if (this.writing || this.failure) return;
    const item = this.queue.shift();
    if (!item) return;
    this.writing = true;
    this.writeFrom(item.slot, 0, item.length, () => {
      this.free.push(item.slot);
      this.writing = false;
      this.next();
      this.wake();
    });
  }

  private writeFrom(slot: Buffer, offset: number, end: number, done: () => void): void {
    write(this.fd, slot, offset, end - offset, null, (err, n) => {
      if (err?.code === 'EAGAIN') {
        // A pipe left non-blocking by whoever made it, and full: try again once its reader has had a moment.
        setTimeout(() => this.writeFrom(slot, offset, end, done), 1);
        return;
      }
      if (err) {
        this.failure = err;
        this.writing = false;
        this.wake();
        return;
      }
      this.written += n;
      if (offset + n < end) this.writeFrom(slot, offset + n, end, done);
      else done();
    });
  }
}
