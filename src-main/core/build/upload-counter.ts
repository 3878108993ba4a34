import { Transform, type TransformCallback } from 'node:stream';

export interface UploadCounterOptions {
  /** Total bytes of the context tar, when known. */
  totalBytes: number | null;
  /** Called at most every `intervalMs` while bytes flow, and once at the end with `done`. */
  onProgress: (sentBytes: number, done: boolean) => void;
  intervalMs?: number;
}

/**
 * A pass-through that counts the build context's bytes as the engine reads them, for the
 * "bytes sent of total" progress. Reports are throttled so a 1GB context does not flood the view.
 */
export class UploadCounter extends Transform {
  sentBytes = 0;
  private lastReport = 0;
  private readonly intervalMs: number;

  constructor(private readonly options: UploadCounterOptions) {
    super();
    this.intervalMs = options.intervalMs ?? 100;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.sentBytes += chunk.length;
    const now = Date.now();
    if (now - this.lastReport >= this.intervalMs) {
      this.lastReport = now;
      this.options.onProgress(this.sentBytes, false);
    }
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    this.options.onProgress(this.sentBytes, true);
    callback();
  }
}
