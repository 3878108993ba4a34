import type { AppSettings } from '../../../src-main/ipc/contract/app';

/**
 * Mark the page with the chosen theme. In the desktop app main also sets Electron's theme source, so the
 * stylesheet's prefers-color-scheme (and native controls) follow the choice; `data-theme` is there for the
 * stylesheet to do the same in the browser preview, where the browser alone answers that media query.
 */
export function applyTheme(theme: AppSettings['theme']): void {
  document.documentElement.dataset.theme = theme;
}
