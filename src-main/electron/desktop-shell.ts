import { mkdir } from 'node:fs/promises';
import { BrowserWindow, dialog, nativeTheme, Notification, shell } from 'electron';
import type { DesktopShell } from '../ipc/handlers/app';
import { choosePathWithDialog } from './dialogs';
import type { JobNotice } from './job-progress';

/** The desktop's half of the `app` domain: native dialogs, the file manager, the theme. */
export function createDesktopShell(window: () => BrowserWindow | undefined): DesktopShell {
  return {
    versions: {
      electron: process.versions.electron ?? '',
      chrome: process.versions.chrome ?? '',
      node: process.versions.node,
    },
    choosePath: (request) => choosePathWithDialog(dialog, window(), request),
    showFolder: async (path) => {
      await mkdir(path, { recursive: true });
      const problem = await shell.openPath(path);
      if (problem) throw new Error(problem);
    },
    // The page follows prefers-color-scheme; Electron makes that media query answer what the user chose.
    applyTheme: (theme) => {
      nativeTheme.themeSource = theme;
    },
  };
}

/** Bring the window to the front, restoring it when minimised. */
export function focusWindow(window: BrowserWindow | undefined): void {
  if (!window || window.isDestroyed()) return;
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}

/** A system notification; clicking it brings the window back. Silently nothing where the system has none. */
export function showJobNotice(notice: JobNotice, window: () => BrowserWindow | undefined): void {
  if (!Notification.isSupported()) return;
  const notification = new Notification({ title: notice.title, body: notice.body });
  notification.on('click', () => focusWindow(window()));
  notification.show();
}
