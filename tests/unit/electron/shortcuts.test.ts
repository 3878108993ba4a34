import { describe, expect, it } from 'vitest';
import { commands } from '$shared/commands';
import {
  commandForKey,
  displayAccelerator,
  matchesShortcut,
  parseAccelerator,
  type KeyPress,
} from '../../../src-renderer/lib/shortcuts';
import {
  commandItems,
  containerItems,
  filterItems,
  imageItems,
} from '../../../src-renderer/components/palette/palette-items';

function press(key: string, mods: Partial<KeyPress> = {}, code?: string): KeyPress {
  const derived = /^[a-z]$/i.test(key) ? `Key${key.toUpperCase()}` : /^[0-9]$/.test(key) ? `Digit${key}` : '';
  return { key, code: code ?? derived, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods };
}

/** The key press that a person makes for an accelerator, on this system. */
function pressFor(accelerator: string, mac: boolean): KeyPress {
  const s = parseAccelerator(accelerator);
  const key = s.shift && /^[a-z]$/.test(s.key) ? s.key.toUpperCase() : s.key;
  return press(
    key,
    { ctrlKey: s.primary && !mac, metaKey: s.primary && mac, shiftKey: s.shift, altKey: s.alt },
    key === ',' ? 'Comma' : undefined,
  );
}

describe('renderer shortcuts (the same table as the menu)', () => {
  it('runs every command of the table from its accelerator, with Cmd on macOS and Ctrl elsewhere', () => {
    for (const mac of [true, false]) {
      for (const command of commands) {
        if (!command.accelerator) continue;
        expect(commandForKey(pressFor(command.accelerator, mac), mac)?.id, `${command.accelerator} mac=${mac}`).toBe(
          command.id,
        );
      }
    }
  });

  it('does not take Ctrl for Cmd on macOS, nor keys with extra or missing modifiers', () => {
    expect(commandForKey(press('k', { ctrlKey: true }), true)).toBeUndefined();
    expect(commandForKey(press('k', { metaKey: true }), false)).toBeUndefined();
    expect(commandForKey(press('k'), false)).toBeUndefined();
    expect(commandForKey(press('O', { ctrlKey: true, shiftKey: true }), false)?.id).toBe('open-dockerfile');
    expect(commandForKey(press('o', { ctrlKey: true }), false)?.id).toBe('open-build-context');
    expect(commandForKey(press('o', { ctrlKey: true, altKey: true }), false)).toBeUndefined();
    expect(commandForKey(press('o', { ctrlKey: true, metaKey: true }), false)).toBeUndefined();
  });

  it('finds the key on other layouts: AZERTY digits, Cyrillic letters, Dvorak as typed', () => {
    expect(commandForKey(press('&', { ctrlKey: true }, 'Digit1'), false)?.id).toBe('show-images');
    expect(commandForKey(press('л', { ctrlKey: true }, 'KeyK'), false)?.id).toBe('command-palette');
    // Dvorak: the key labelled K sits where QWERTY has V; the typed letter wins over the physical key.
    expect(commandForKey(press('k', { ctrlKey: true }, 'KeyV'), false)?.id).toBe('command-palette');
    expect(commandForKey(press('v', { ctrlKey: true }, 'KeyK'), false)).toBeUndefined();
  });

  it('reads accelerators and writes them as each system does', () => {
    expect(parseAccelerator('CmdOrCtrl+Shift+O')).toEqual({ primary: true, shift: true, alt: false, key: 'o' });
    expect(parseAccelerator('CmdOrCtrl++').key).toBe('+');
    expect(matchesShortcut(press(',', { metaKey: true }, 'Comma'), parseAccelerator('CmdOrCtrl+,'), true)).toBe(true);
    expect(displayAccelerator('CmdOrCtrl+Shift+O', true)).toBe('⇧⌘O');
    expect(displayAccelerator('CmdOrCtrl+Shift+O', false)).toBe('Ctrl+Shift+O');
    expect(displayAccelerator('CmdOrCtrl+K', false)).toBe('Ctrl+K');
    expect(displayAccelerator('CmdOrCtrl+,', true)).toBe('⌘,');
  });
});

describe('command palette items', () => {
  const images = imageItems([
    {
      key: 'a',
      imageId: 'sha256:' + 'a'.repeat(64),
      repository: 'busybox',
      tag: 'latest',
      dangling: false,
      size: 4_261_550,
    },
    { key: 'b', imageId: 'sha256:' + 'b'.repeat(64), repository: '<none>', tag: '<none>', dangling: true, size: 1000 },
  ]);
  const containers = containerItems([
    { id: 'c'.repeat(64), name: 'web', image: 'busybox', state: 'running', status: 'Up 2 minutes' },
    { id: 'd'.repeat(64), name: 'old', image: 'busybox', state: 'exited', status: 'Exited (0) 1 hour ago' },
  ]);

  it('lists commands with their shortcuts, but not the palette itself', () => {
    const items = commandItems(false);
    expect(items.map((i) => i.key)).not.toContain('command:command-palette');
    expect(items.find((i) => i.key === 'command:open-build-context')).toMatchObject({
      label: 'Open Build Context…',
      shortcut: 'Ctrl+O',
      action: { kind: 'command', command: 'open-build-context' },
    });
  });

  it('names images as Docker does and opens them in the Images view by the tag chosen', () => {
    expect(images[0]).toMatchObject({
      label: 'busybox:latest',
      detail: 'aaaaaaaaaaaa · 4.26MB',
      action: {
        kind: 'navigate',
        view: 'images',
        params: { id: 'sha256:' + 'a'.repeat(64), reference: 'busybox:latest' },
      },
    });
    expect(images[1]?.label).toBe('<none> bbbbbbbbbbbb');
    expect(images[1]?.action).toEqual({ kind: 'navigate', view: 'images', params: { id: 'sha256:' + 'b'.repeat(64) } });
  });

  it('offers a running container’s terminal, not a stopped one’s', () => {
    expect(containers.map((c) => c.label)).toEqual(['web', 'Open Terminal: web', 'old']);
    expect(containers[1]?.action).toEqual({
      kind: 'navigate',
      view: 'containers',
      params: { terminal: 'c'.repeat(64), name: 'web' },
    });
  });

  it('filters by every word typed, labels that start with the query first', () => {
    const all = [...commandItems(false), ...images, ...containers];
    expect(filterItems(all, '').length).toBe(all.length);
    expect(filterItems(all, 'busybox').map((i) => i.label)).toEqual([
      'busybox:latest',
      'web',
      'Open Terminal: web',
      'old',
    ]);
    expect(filterItems(all, 'open dockerfile').map((i) => i.label)).toEqual(['Open Dockerfile…']);
    expect(filterItems(all, 'load')[0]?.label).toBe('Open Image Archive…');
    expect(filterItems(all, 'terminal web').map((i) => i.label)).toEqual(['Open Terminal: web']);
    expect(filterItems(all, 'zzz')).toEqual([]);
  });
});
