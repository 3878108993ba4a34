import { write } from 'node:fs';
import type { ChunkBuffers } from './tar-chunks';

interface Slot {
  readonly buffer: Buffer;
  /** Taken (by `take`, or by `push` for a copy) and not yet written and given back. */
  lent: boolean;
}

/**
 * Writes to a file descriptor in order, each write a blocking `write(2)` on one of libuv's pool threads,
 * so this thread goes on with other work (reading the next files, walking) while the kernel copies the
 * bytes into a pipe and waits for its reader.
 *
 * Its buffers are lent out (`take`, as TarChunks' ChunkBuffers): a chunk that is a view of one of them
 * is queued as it is, and the buffer comes back once written. Any other chunk is copied into free
 * buffers. When no buffer is free, `room` waits for a write to finish.
 */
export class FdWriteQueue implements ChunkBuffers {
  private readonly slots = new Map<ArrayBufferLike, Slot>();
  private free: Slot[] = [];
  private readonly queue: { slot: Slot; start: number; end: number }[] = [];
  private writing = false;
  private failure: Error | null = null;
  private waiters: (() => void)[] = [];
  /** Bytes written so far. */
  written = 0;

  constructor(
    private readonly fd: number,
    private readonly slotBytes: number,
    count: number,
  ) {
    for (let i = 0; i < count; i++) {
      // Each its own ArrayBuffer (never a view of Node's shared pool), so a chunk finds its slot by it.
      const slot = { buffer: Buffer.allocUnsafeSlow(slotBytes), lent: false };
      this.slots.set(slot.buffer.buffer, slot);
      this.free.push(slot);
    }
  }

  /** Whether a buffer is free (or a write has failed: `push` then throws). */
  get ready(): boolean {
    return this.free.length > 0 || this.failure !== null;
  }

  /** Waits until a buffer is free, or a write has failed. */
  async room(): Promise<void> {
    while (!this.ready) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  /** Lends a free buffer (call only when `ready`). */
  take(): Buffer {
    if (this.failure) throw this.failure;
    const slot = this.free.pop();
    if (!slot) throw new Error('FdWriteQueue: take without a free buffer');
    slot.lent = true;
    return slot.buffer;
  }

  /**
   * Queues a chunk: as it is when it is a view of a lent buffer (which comes back once written), else a copy
   * of at most one buffer's length, returning how many bytes were taken (call again for the rest, when `ready`).
   * Throws the error of an earlier write that failed.
   */
  push(chunk: Buffer): number {
    if (this.failure) throw this.failure;
    const own = this.slots.get(chunk.buffer);
    if (own?.lent) {
      this.queue.push({ slot: own, start: chunk.byteOffset, end: chunk.byteOffset + chunk.length });
    } else {
      const slot = this.free.pop();
      if (!slot) throw new Error('FdWriteQueue: push of a copy without a free buffer');
      slot.lent = true;
      const n = Math.min(chunk.length, this.slotBytes);
      chunk.copy(slot.buffer, 0, 0, n);
      this.queue.push({ slot, start: 0, end: n });
      this.next();
      return n;
    }
    this.next();
    return chunk.length;
  }

  /** Waits for every queued byte to be written; throws if a write failed. */
  async flush(): Promise<void> {
    while ((this.writing || this.queue.length > 0) && !this.failure)
      await new Promise<void>((resolve) => this.waiters.push(resolve));
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
    this.writeFrom(item.slot, item.start, item.end, () => {
      item.slot.lent = false;
      this.free.push(item.slot);
      this.writing = false;
      this.next();
      this.wake();
    });
  }

  private writeFrom(slot: Slot, start: number, end: number, done: () => void): void {
    write(this.fd, slot.buffer, start, end - start, null, (err, n) => {
      if (err?.code === 'EAGAIN') {
        // A pipe left non-blocking by whoever made it, and full: try again once its reader has had a moment.
        setTimeout(() => this.writeFrom(slot, start, end, done), 1);
        return;
      }
      if (err) {
        this.failure = err;
        this.writing = false;
        this.wake();
        return;
      }
      this.written += n;
      if (start + n < end) this.writeFrom(slot, start + n, end, done);
      else done();
    });
  }
}
