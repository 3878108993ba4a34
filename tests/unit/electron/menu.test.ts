import { describe, expect, it } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { commands, helpLinks, type CommandId } from '$shared/commands';
import { dialogFor } from '../../../src-main/electron/dialogs';
import { buildMenuTemplate, openHelpLink } from '../../../src-main/electron/menu';

function build(platform: NodeJS.Platform, devTools = false) {
  const sent: CommandId[] = [];
  const opened: string[] = [];
  const template = buildMenuTemplate({
    platform,
    appName: 'Strata',
    version: '1.2.3',
    send: (c) => sent.push(c),
    openExternal: (url) => opened.push(url),
    devTools,
  });
  return { template, sent, opened };
}

function submenu(item: MenuItemConstructorOptions | undefined): MenuItemConstructorOptions[] {
  return Array.isArray(item?.submenu) ? item.submenu : [];
}

function topLabels(template: MenuItemConstructorOptions[]): string[] {
  return template.map((m) => (m.label ?? m.role ?? '').replace('&', ''));
}

function find(template: MenuItemConstructorOptions[], top: string): MenuItemConstructorOptions[] {
  return submenu(template.find((m) => (m.label ?? '').replace('&', '') === top || m.role === top));
}

function allItems(template: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return template.flatMap((m) => [m, ...allItems(submenu(m))]);
}

function click(item: MenuItemConstructorOptions): void {
  (item.click as unknown as () => void)();
}

describe('application menu', () => {
  it('follows macOS conventions: the app menu first, with About, Settings, Hide and Quit', () => {
    const { template } = build('darwin');
    expect(topLabels(template)).toEqual(['Strata', 'File', 'Edit', 'View', 'Image', 'windowMenu', 'Help']);
    const appMenu = find(template, 'Strata');
    expect(appMenu.map((i) => i.role ?? i.id ?? i.type)).toEqual([
      'about',
      'separator',
      'settings',
      'separator',
      'services',
      'separator',
      'hide',
      'hideOthers',
      'unhide',
      'separator',
      'quit',
    ]);
    expect(find(template, 'File').at(-1)?.role).toBe('close');
    expect(find(template, 'Help').some((i) => i.role === 'about')).toBe(false);
  });

  it('on Windows and Linux puts Settings and Quit under File, About under Help, and mnemonics on the menus', () => {
    for (const platform of ['win32', 'linux'] as const) {
      const { template } = build(platform);
      expect(template.map((m) => m.label)).toEqual(['&File', '&Edit', '&View', '&Image', '&Window', '&Help']);
      const file = find(template, 'File');
      expect(file.map((i) => i.id ?? i.role ?? i.type)).toEqual([
        'open-build-context',
        'open-dockerfile',
        'open-image-archive',
        'separator',
        'save',
        'separator',
        'settings',
        'separator',
        'quit',
      ]);
      expect(find(template, 'Help').at(-1)?.role).toBe('about');
    }
  });

  it('has the items the issue names, in File and Image, with their labels', () => {
    const { template } = build('linux');
    expect(find(template, 'File').flatMap((i) => (i.id ? [i.label] : []))).toEqual([
      'Open Build Context...',
      'Open Dockerfile...',
      'Open Image Archive...',
      'Save',
      'Settings...',
    ]);
    expect(find(template, 'Image').map((i) => i.label)).toEqual(['Build', 'Commit Container...', 'Compare Images...']);
    expect(find(template, 'Edit').map((i) => i.role ?? i.type)).toEqual([
      'undo',
      'redo',
      'separator',
      'cut',
      'copy',
      'paste',
      'delete',
      'separator',
      'selectAll',
    ]);
  });

  it('gives every command item the accelerator of the shared table and sends that command when clicked', () => {
    for (const platform of ['darwin', 'win32', 'linux'] as const) {
      const { template, sent } = build(platform);
      const items = allItems(template).filter((i) => i.id && i.id !== 'version');
      // Every command of the table is in the menu exactly once.
      expect(items.map((i) => i.id).sort()).toEqual(commands.map((c) => c.id).sort());
      for (const item of items) {
        const def = commands.find((c) => c.id === item.id)!;
        expect(item.accelerator).toBe(def.accelerator);
        expect(item.label).toBe(def.label);
        sent.length = 0;
        click(item);
        expect(sent).toEqual([def.id]);
      }
    }
  });

  it('leaves the command keys to the page on Windows and Linux (no double run), and registers them on macOS', () => {
    const commandItems = (p: NodeJS.Platform) => allItems(build(p).template).filter((i) => i.accelerator);
    for (const item of commandItems('linux')) expect(item.registerAccelerator).toBe(false);
    for (const item of commandItems('win32')) expect(item.registerAccelerator).toBe(false);
    for (const item of commandItems('darwin')) expect(item.registerAccelerator).toBeUndefined();
  });

  it('uses each accelerator once', () => {
    const accelerators = commands.flatMap((c) => (c.accelerator ? [c.accelerator] : []));
    expect(new Set(accelerators).size).toBe(accelerators.length);
  });

  it('shows reload and developer tools only when running from the sources', () => {
    const roles = (devTools: boolean) => find(build('linux', devTools).template, 'View').map((i) => i.role);
    expect(roles(false)).not.toContain('toggleDevTools');
    expect(roles(false)).not.toContain('reload');
    expect(roles(true)).toEqual(expect.arrayContaining(['reload', 'toggleDevTools']));
  });

  it('shows the version in Help and opens only the project’s https documentation links', () => {
    const { template, opened } = build('linux');
    const help = find(template, 'Help');
    expect(help[0]).toMatchObject({ label: 'Strata 1.2.3', enabled: false });
    const links = help.filter((i) => i.click && !i.role);
    expect(links.map((i) => i.label)).toEqual(helpLinks.map((l) => l.label));
    links.forEach(click);
    expect(opened).toEqual(helpLinks.map((l) => l.url));
    expect(opened.every((u) => u.startsWith('https://'))).toBe(true);

    const refused: string[] = [];
    expect(openHelpLink('http://docs.docker.com/', (u) => refused.push(u))).toBe(false);
    expect(openHelpLink('https://example.com/', (u) => refused.push(u))).toBe(false);
    expect(openHelpLink('file:///etc/passwd', (u) => refused.push(u))).toBe(false);
    expect(refused).toEqual([]);
  });
});

describe('native dialogs', () => {
  it('asks for a folder for a build context, any file for a Dockerfile, an archive to load, a tar to save', () => {
    expect(dialogFor('build-context')).toMatchObject({ type: 'open', options: { properties: ['openDirectory'] } });
    const dockerfile = dialogFor('dockerfile', '/src');
    expect(dockerfile).toMatchObject({ type: 'open', options: { properties: ['openFile'], defaultPath: '/src' } });
    expect(dockerfile.options.filters).toBeUndefined();
    const archive = dialogFor('image-archive');
    expect(archive.type).toBe('open');
    expect(archive.options.filters?.[0]?.extensions).toEqual(expect.arrayContaining(['tar', 'gz', 'zst']));
    const save = dialogFor('save-archive', '/tmp/busybox.tar');
    expect(save).toMatchObject({ type: 'save', options: { defaultPath: '/tmp/busybox.tar' } });
    expect(save.options.filters?.[0]?.extensions).toEqual(['tar']);
  });
});
