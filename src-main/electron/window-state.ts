import type { BrowserWindow } from 'electron';
import type { SettingsStore } from '../core/settings/settings-store';

/** The window's last size and place, or a sensible default. */
export async function restoredBounds(
  settings: SettingsStore,
): Promise<{ x?: number; y?: number; width: number; height: number }> {
  const saved = (await settings.get()).window;
  if (!saved) return { width: 1280, height: 820 };
  return {
    width: Math.max(900, saved.width),
    height: Math.max(560, saved.height),
    ...(saved.x !== undefined ? { x: saved.x, y: saved.y ?? 0 } : {}),
  };
}

/** Save size and place when the user stops moving the window (debounced) and on close. */
export function rememberWindowBounds(window: BrowserWindow, settings: SettingsStore): void {
  let timer: NodeJS.Timeout | undefined;
  const save = () => {
    if (window.isDestroyed()) return;
    const b = window.getNormalBounds();
    settings
      .update({ window: { x: b.x, y: b.y, width: b.width, height: b.height, maximized: window.isMaximized() } })
      .catch((err: unknown) =>
        // Nobody waits on this (the window may be closing): the next launch opens at the last size saved.
        console.error(
          `Strata: could not save the window's size and place to ${settings.path}: ${(err as Error).message}`,
        ),
      );
  };
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(save, 500);
  };
  window.on('resize', later);
  window.on('move', later);
  window.on('close', save);
}
