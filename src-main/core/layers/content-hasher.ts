/**
 * SHA-1 of every regular file's contents in a layer (LayerEntry.contentDigest), off the thread that
 * parses the archive. Hashing was a quarter of `strata analyze`'s time; on a worker thread it runs
 * beside the parsing instead of after it, and the Electron main process stays free meanwhile.
 *
 * Bodies are copied into batches of about BATCH bytes (a copy costs a tenth of hashing the same
 * bytes) which are handed to the worker whole (transferred, not copied again) with a list of
 * (file, length, last) segments; the worker sends back the digests of the files that ended in the
 * batch, and the batch's memory for reuse. At most IN_FLIGHT batches wait for the worker: the reader
 * awaits `pending()` before reading more, so memory stays bounded however slow the worker is.
 */
import { createHash, type Hash } from 'node:crypto';
import { Worker } from 'node:worker_threads';

/** Receives one file's body and hands its digest to `onDigest`, at the latest when `finish()` settles. */
export interface ContentHasher {
  /** Starts a file; returns its handle for write and end. */
  begin(onDigest: (digest: string) => void): number;
  write(file: number, chunk: Uint8Array): void;
  end(file: number): void;
  /** A promise to await before pushing more input (too much waits for the worker), else undefined. */
  pending(): Promise<void> | undefined;
  /** Settles once every ended file's digest has been delivered. Rejects if hashing failed. */
  finish(): Promise<void>;
  /** Stops the worker (after finish, or on a failure or cancel). */
  close(): void;
}

const BATCH = 2 << 20;
const IN_FLIGHT = 4;
const LAST = 1;

// The worker, as source: a separate file would need its own entry in each bundle (CLI, Electron main,
// preview server) and a path that survives packaging; this is CommonJS, run with `eval`.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const crypto = require('node:crypto');
const open = new Map();
parentPort.on('message', ({ buffer, segments }) => {
  const bytes = new Uint8Array(buffer);
  const digests = [];
  let offset = 0;
  for (let i = 0; i < segments.length; i += 3) {
    const file = segments[i], length = segments[i + 1], last = segments[i + 2] === ${LAST};
    const body = bytes.subarray(offset, offset + length);
    offset += length;
    let hash = open.get(file);
    if (!hash && last && typeof crypto.hash === 'function') {
      digests.push(file, crypto.hash('sha1', body, 'base64'));
      continue;
    }
    if (!hash) open.set(file, (hash = crypto.createHash('sha1')));
    hash.update(body);
    if (last) {
      digests.push(file, hash.digest('base64'));
      open.delete(file);
    }
  }
  parentPort.postMessage({ buffer, digests }, [buffer]);
});
`;

/** The worker hasher, or hashing on this thread where a worker cannot start. */
export function createContentHasher(): ContentHasher {
  try {
    return new WorkerHasher();
  } catch {
    return new InlineHasher();
  }
}

/** Hashing on the calling thread, file by file (the fallback, and the reference for the worker's digests). */
export class InlineHasher implements ContentHasher {
  private readonly open = new Map<number, { hash: Hash; onDigest: (digest: string) => void }>();
  private next = 0;
  begin(onDigest: (digest: string) => void): number {
    const file = this.next++;
    this.open.set(file, { hash: createHash('sha1'), onDigest });
    return file;
  }
  write(file: number, chunk: Uint8Array): void {
    this.open.get(file)?.hash.update(chunk);
  }
  end(file: number): void {
    const entry = this.open.get(file);
    if (!entry) return;
    this.open.delete(file);
    entry.onDigest(entry.hash.digest('base64'));
  }
  pending(): undefined {
    return undefined;
  }
  finish(): Promise<void> {
    return Promise.resolve();
  }
  close(): void {
    this.open.clear();
  }
}

class WorkerHasher implements ContentHasher {
  private readonly worker: Worker;
  private readonly callbacks = new Map<number, (digest: string) => void>();
  private readonly spare: ArrayBuffer[] = [];
  private next = 0;
  private batch: Uint8Array;
  private fill = 0;
  private segments: number[] = [];
  private inFlight = 0;
  private failure: Error | undefined;
  private waiters: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
  private closed = false;

  constructor() {
    // Kept referenced: the reader may wait on nothing but the worker's last digests. Every read closes it.
    this.worker = new Worker(WORKER_SOURCE, { eval: true });
    this.batch = new Uint8Array(BATCH);
    this.worker.on('message', ({ buffer, digests }: { buffer: ArrayBuffer; digests: (number | string)[] }) => {
      this.inFlight--;
      this.spare.push(buffer);
      for (let i = 0; i < digests.length; i += 2) {
        const file = digests[i] as number;
        const done = this.callbacks.get(file);
        this.callbacks.delete(file);
        done?.(digests[i + 1] as string);
      }
      this.wake();
    });
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', (code) => {
      if (!this.closed) this.fail(new Error(`the thread hashing file contents stopped (exit code ${code})`));
    });
  }

  begin(onDigest: (digest: string) => void): number {
    const file = this.next++;
    this.callbacks.set(file, onDigest);
    return file;
  }

  write(file: number, chunk: Uint8Array): void {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.fill === this.batch.length) this.flush();
      const n = Math.min(chunk.length - offset, this.batch.length - this.fill);
      this.batch.set(chunk.subarray(offset, offset + n), this.fill);
      this.fill += n;
      offset += n;
      // Consecutive pieces of one file in a batch make one segment.
      const last = this.segments.length - 3;
      if (last >= 0 && this.segments[last] === file && this.segments[last + 2] !== LAST) {
        this.segments[last + 1] = (this.segments[last + 1] as number) + n;
      } else {
        this.segments.push(file, n, 0);
      }
    }
  }

  end(file: number): void {
    const last = this.segments.length - 3;
    if (last >= 0 && this.segments[last] === file && this.segments[last + 2] !== LAST) this.segments[last + 2] = LAST;
    else this.segments.push(file, 0, LAST);
    // Many small files: a batch is also sent when its list of segments is long.
    if (this.segments.length >= 3 * 8192) this.flush();
  }

  pending(): Promise<void> | undefined {
    if (this.failure) return Promise.reject(this.failure);
    if (this.inFlight < IN_FLIGHT) return undefined;
    return this.waitForWorker();
  }

  async finish(): Promise<void> {
    if (this.segments.length > 0) this.flush();
    while (this.inFlight > 0) await this.waitForWorker();
    if (this.failure) throw this.failure;
    this.close();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    void this.worker.terminate();
    this.fail(new Error('hashing was stopped'));
  }

  private flush(): void {
    if (this.failure) throw this.failure;
    const buffer = this.batch.buffer as ArrayBuffer;
    this.worker.postMessage({ buffer, segments: this.segments }, [buffer]);
    this.inFlight++;
    this.segments = [];
    this.fill = 0;
    this.batch = new Uint8Array(this.spare.pop() ?? new ArrayBuffer(BATCH));
  }

  private waitForWorker(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w.resolve();
  }

  private fail(error: Error): void {
    this.failure ??= error;
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w.reject(this.failure);
  }
}
