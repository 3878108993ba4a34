import { commands, type CommandDef } from '$shared/commands';

/** The parts of a KeyboardEvent a shortcut depends on (tests pass plain objects). */
export interface KeyPress {
  key: string;
  code: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

export interface Shortcut {
  /** The main modifier: Cmd on macOS, Ctrl elsewhere. */
  primary: boolean;
  shift: boolean;
  alt: boolean;
  /** Lower-case key as typed ("o", "1", ","). */
  key: string;
}

const CODE_FOR_KEY: Record<string, string> = { ',': 'Comma', '.': 'Period', '/': 'Slash', '=': 'Equal', '-': 'Minus' };

/** Read Electron's accelerator syntax (`CmdOrCtrl+Shift+O`); only the modifiers our table uses. */
export function parseAccelerator(accelerator: string): Shortcut {
  const parts = accelerator.split('+');
  // "CmdOrCtrl++" names the plus key: an empty last part after the split.
  const key = (parts.length > 1 && parts.at(-1) === '' ? '+' : (parts.at(-1) ?? '')).toLowerCase();
  const mods = new Set(parts.slice(0, -1).map((p) => p.toLowerCase()));
  return {
    primary: mods.has('cmdorctrl') || mods.has('commandorcontrol'),
    shift: mods.has('shift'),
    alt: mods.has('alt') || mods.has('option'),
    key,
  };
}

/** Whether a key press is this shortcut. Keys are matched as typed, and by physical key on other alphabets. */
export function matchesShortcut(press: KeyPress, shortcut: Shortcut, mac: boolean): boolean {
  const primary = mac ? press.metaKey && !press.ctrlKey : press.ctrlKey && !press.metaKey;
  if (primary !== shortcut.primary || press.shiftKey !== shortcut.shift || press.altKey !== shortcut.alt) return false;
  if (press.key.toLowerCase() === shortcut.key) return true;
  // A Cyrillic or Greek layout types another letter on the O key; AZERTY types & on the 1 key.
  const expectedCode = /^[a-z]$/.test(shortcut.key)
    ? `Key${shortcut.key.toUpperCase()}`
    : /^[0-9]$/.test(shortcut.key)
      ? `Digit${shortcut.key}`
      : CODE_FOR_KEY[shortcut.key];
  const typedLatin = /^[a-z0-9]$/i.test(press.key);
  return !!expectedCode && press.code === expectedCode && !typedLatin;
}

const table = commands.flatMap((c) =>
  c.accelerator ? [{ command: c, shortcut: parseAccelerator(c.accelerator) }] : [],
);

/** The command a key press runs, if any. */
export function commandForKey(press: KeyPress, mac: boolean): CommandDef | undefined {
  return table.find((entry) => matchesShortcut(press, entry.shortcut, mac))?.command;
}

/** A shortcut as people read it on their system: ⇧⌘O on macOS, Ctrl+Shift+O elsewhere. */
export function displayAccelerator(accelerator: string, mac: boolean): string {
  const s = parseAccelerator(accelerator);
  const key = s.key.length === 1 ? s.key.toUpperCase() : s.key[0]!.toUpperCase() + s.key.slice(1);
  if (mac) return `${s.alt ? '⌥' : ''}${s.shift ? '⇧' : ''}${s.primary ? '⌘' : ''}${key}`;
  return [s.primary ? 'Ctrl' : '', s.alt ? 'Alt' : '', s.shift ? 'Shift' : '', key].filter(Boolean).join('+');
}

/** Whether this page runs on macOS (Cmd is the main modifier there). */
export function isMac(): boolean {
  const nav = globalThis.navigator as (Navigator & { userAgentData?: { platform?: string } }) | undefined;
  const platform = nav?.userAgentData?.platform ?? nav?.platform ?? '';
  return /mac/i.test(platform);
}
