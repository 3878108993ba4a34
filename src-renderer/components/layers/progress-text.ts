import { humanSize } from '$shared/images/format';
import type { LayersProgress } from '../../../src-main/ipc/contract/layers';

/** Where the bytes come from: an image the engine streams, or an archive file read from disk. */
export type ProgressOrigin = 'engine' | 'file';

/** The words under the progress bar of a layer read. */
export function analysisProgressText(progress: LayersProgress | undefined, origin: ProgressOrigin): string {
  if (!progress) return 'Starting…';
  const about = progress.estimated ? 'about ' : '';
  const total = progress.totalBytes ? humanSize(progress.totalBytes) : undefined;
  if (progress.bytesRead === 0) {
    // `docker save` lays the whole image out before its first byte: say so rather than show a stuck 0B.
    // A file on disk has no engine to wait for.
    return origin === 'engine'
      ? `Waiting for the engine to start sending the image${total ? ` (${about}${total})` : ''}…`
      : `Opening the archive${total ? ` (${total})` : ''}…`;
  }
  return `${humanSize(progress.bytesRead)}${total ? ` of ${about}${total}` : ''}`;
}
