import type { MenuItemConstructorOptions } from 'electron';
import { commandById, helpLinks, type CommandId } from '$shared/commands';

export interface MenuOptions {
  platform: NodeJS.Platform;
  appName: string;
  version: string;
  /** Ask the renderer to run a command (main pushes it as an `app.command` event). */
  send(command: CommandId): void;
  /** Open a documentation page in the user's browser. */
  openExternal(url: string): void;
  /** Reload and developer tools: only when running from the sources, never in an installed app. */
  devTools: boolean;
}

/**
 * The application menu as a template, per platform conventions (the macOS app menu; Settings and Quit
 * under File elsewhere). Pure, so tests check every item's shortcut and command without Electron.
 */
export function buildMenuTemplate(options: MenuOptions): MenuItemConstructorOptions[] {
  const mac = options.platform === 'darwin';
  const item = (id: CommandId): MenuItemConstructorOptions => {
    const def = commandById(id);
    if (!def) throw new Error(`The command table has no ${id}`);
    return {
      id,
      label: def.label,
      ...(def.accelerator ? { accelerator: def.accelerator } : {}),
      // The renderer handles these keys itself (the same table, also in the browser preview); registering them
      // here too would run a command twice. macOS gives the page the key first, then the menu, by itself.
      ...(mac ? {} : { registerAccelerator: false }),
      click: () => options.send(id),
    };
  };
  const separator: MenuItemConstructorOptions = { type: 'separator' };
  // Windows and Linux underline the letter after & (Alt+F opens File); macOS has no such keys.
  const top = (label: string) => (mac ? label : `&${label}`);

  const appMenu: MenuItemConstructorOptions = {
    label: options.appName,
    submenu: [
      { role: 'about' },
      separator,
      item('settings'),
      separator,
      { role: 'services' },
      separator,
      { role: 'hide' },
      { role: 'hideOthers' },
      { role: 'unhide' },
      separator,
      { role: 'quit' },
    ],
  };
  const fileMenu: MenuItemConstructorOptions = {
    label: top('File'),
    submenu: [
      item('open-build-context'),
      item('open-dockerfile'),
      item('open-image-archive'),
      separator,
      item('save'),
      separator,
      ...(mac ? [{ role: 'close' } as const] : [item('settings'), separator, { role: 'quit' } as const]),
    ],
  };
  const editMenu: MenuItemConstructorOptions = {
    label: top('Edit'),
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      separator,
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      ...(mac ? [{ role: 'pasteAndMatchStyle' } as const] : []),
      { role: 'delete' },
      separator,
      { role: 'selectAll' },
    ],
  };
  const viewMenu: MenuItemConstructorOptions = {
    label: top('View'),
    submenu: [
      item('show-images'),
      item('show-containers'),
      item('show-build'),
      separator,
      item('command-palette'),
      separator,
      ...(options.devTools ? [{ role: 'reload' } as const, { role: 'toggleDevTools' } as const, separator] : []),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      separator,
      { role: 'togglefullscreen' },
    ],
  };
  const imageMenu: MenuItemConstructorOptions = {
    label: top('Image'),
    submenu: [item('build'), item('commit-container'), item('compare-images')],
  };
  const windowMenu: MenuItemConstructorOptions = mac
    ? { role: 'windowMenu' }
    : { label: top('Window'), submenu: [{ role: 'minimize' }, { role: 'close' }] };
  const helpMenu: MenuItemConstructorOptions = {
    role: 'help',
    label: top('Help'),
    submenu: [
      { id: 'version', label: `${options.appName} ${options.version}`, enabled: false },
      separator,
      ...helpLinks.map((link): MenuItemConstructorOptions => ({
        label: link.label,
        click: () => openHelpLink(link.url, options.openExternal),
      })),
      ...(mac ? [] : [separator, { role: 'about' } as const]),
    ],
  };
  return [...(mac ? [appMenu] : []), fileMenu, editMenu, viewMenu, imageMenu, windowMenu, helpMenu];
}

/** Open one of our own help links; anything else (not https, not in the list) is refused. */
export function openHelpLink(url: string, openExternal: (url: string) => void): boolean {
  if (!url.startsWith('https://') || !helpLinks.some((l) => l.url === url)) return false;
  openExternal(url);
  return true;
}
