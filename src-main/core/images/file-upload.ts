import { createReadStream } from 'node:fs';
import { Transform } from 'node:stream';
import type { TransferProgress } from './save-images';

export interface FileUpload {
  /** The file's bytes, counted as the engine reads them: pass this as the request body. */
  readonly body: Transform;
  /** Bytes the engine has read so far. */
  sentBytes(): number;
  /** Stop reading the file (after the request failed). */
  close(): void;
}

/** Stream a file to the engine, reporting progress at most every 100 ms. */
export function uploadFile(options: {
  path: string;
  totalBytes: number;
  onProgress?: ((progress: TransferProgress) => void) | undefined;
}): FileUpload {
  let sent = 0;
  let lastReport = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      sent += chunk.length;
      const now = Date.now();
      if (options.onProgress && now - lastReport >= 100) {
        lastReport = now;
        options.onProgress({ bytes: sent, totalBytes: options.totalBytes });
      }
      callback(null, chunk);
    },
  });
  const file = createReadStream(options.path);
  file.on('error', (err) => counter.destroy(err));
  file.pipe(counter);
  return { body: counter, sentBytes: () => sent, close: () => file.destroy() };
}
