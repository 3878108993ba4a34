import { ApiError } from '../../lib/api';
import { followJob } from '../../lib/follow-job';
import type { StrataErrorShape } from '$shared/engine/errors';
import type { TransferProgress } from '../../../src-main/ipc/contract/core-types';

/** Follow a save/load/import job to its end: progress as it comes, the result or the failure at the end. */
export function imageJobResult<T>(jobId: string, onProgress: (progress: TransferProgress) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const off = followJob(jobId, (event) => {
      if (event.type === 'progress') onProgress(event.data as TransferProgress);
      else if (event.type === 'done') {
        off();
        resolve(event.data as T);
      } else if (event.type === 'error' || event.type === 'cancelled') {
        off();
        reject(new ApiError(event.data as StrataErrorShape));
      }
    });
  });
}

/** "12.3MB of 40MB" style text for a transfer. */
export function percent(progress: TransferProgress | undefined): number | undefined {
  if (!progress?.totalBytes) return undefined;
  return Math.min(100, Math.round((progress.bytes / progress.totalBytes) * 100));
}
