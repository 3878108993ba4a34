import type { BrowserWindow, Dialog, OpenDialogOptions, SaveDialogOptions } from 'electron';
import type { PathKind } from '../ipc/contract/app';

export type DialogSpec = { type: 'open'; options: OpenDialogOptions } | { type: 'save'; options: SaveDialogOptions };

const archiveFilters = [
  { name: 'Image archives', extensions: ['tar', 'gz', 'tgz', 'xz', 'bz2', 'zst'] },
  { name: 'All files', extensions: ['*'] },
];

/** The native dialog each kind of choice needs. Pure, so its shape is tested without Electron. */
export function dialogFor(kind: PathKind, defaultPath?: string): DialogSpec {
  const at = defaultPath ? { defaultPath } : {};
  switch (kind) {
    case 'build-context':
      return {
        type: 'open',
        options: { ...at, title: 'Open Build Context', buttonLabel: 'Open', properties: ['openDirectory'] },
      };
    case 'dockerfile':
      // Dockerfiles rarely have an extension (Dockerfile, Containerfile, web.Dockerfile): no filter.
      return {
        type: 'open',
        options: { ...at, title: 'Open Dockerfile', buttonLabel: 'Open', properties: ['openFile'] },
      };
    case 'image-archive':
      return {
        type: 'open',
        options: {
          ...at,
          title: 'Open Image Archive',
          buttonLabel: 'Load',
          properties: ['openFile'],
          filters: archiveFilters,
        },
      };
    case 'save-archive':
      return {
        type: 'save',
        options: {
          ...at,
          title: 'Save Image Archive',
          buttonLabel: 'Save',
          filters: [{ name: 'Image archive', extensions: ['tar'] }],
          properties: ['createDirectory', 'showOverwriteConfirmation'],
        },
      };
  }
}

/** Ask with a native dialog, attached to the window; null when the user cancels. */
export async function choosePathWithDialog(
  dialog: Pick<Dialog, 'showOpenDialog' | 'showSaveDialog'>,
  window: BrowserWindow | undefined,
  request: { kind: PathKind; defaultPath?: string },
): Promise<string | null> {
  const spec = dialogFor(request.kind, request.defaultPath);
  if (spec.type === 'save') {
    const result = window
      ? await dialog.showSaveDialog(window, spec.options)
      : await dialog.showSaveDialog(spec.options);
    return result.canceled || !result.filePath ? null : result.filePath;
  }
  const result = window ? await dialog.showOpenDialog(window, spec.options) : await dialog.showOpenDialog(spec.options);
  return result.canceled ? null : (result.filePaths[0] ?? null);
}
