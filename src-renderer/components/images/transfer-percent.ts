import type { ImageTransferProgress } from '../../../src-main/ipc/contract/images';

/** How far a transfer is, 0 to 100; undefined while its total is unknown. */
export function percent(progress: ImageTransferProgress | undefined): number | undefined {
  if (!progress?.totalBytes) return undefined;
  return Math.min(100, Math.round((progress.bytes / progress.totalBytes) * 100));
}
