import type { PreloadBridge } from '../../lib/transport';

/** The message shown when a drop carries no path the app can use. */
export const BROWSER_DROP_MESSAGE =
  'The browser preview cannot see where a dropped folder is on disk: type its path into Context folder instead.';

/**
 * Where a dropped folder (or Dockerfile) is on disk. The desktop app asks the preload
 * (webUtils.getPathForFile); a browser gives pages no paths, so there the person is told to type it.
 */
export function droppedPath(
  transfer: Pick<DataTransfer, 'files'> | null,
  bridge: Pick<PreloadBridge, 'pathForFile'> | undefined,
): { path: string } | { message: string } {
  const file = transfer?.files[0];
  if (!file) return { message: 'Nothing to open was dropped: drop a folder from your file manager.' };
  if (!bridge) return { message: BROWSER_DROP_MESSAGE };
  const path = bridge.pathForFile(file);
  return path
    ? { path }
    : { message: `Strata cannot open "${file.name}": it is not a file or folder on this computer.` };
}
