import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { _electron as electron } from 'playwright-core';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain .mjs helper shared with `npm start`
import { installedElectronBinary } from '../../scripts/electron-binary.mjs';
import { repoRoot } from './harness';

// The desktop window itself. It needs Electron's binary, which cannot be downloaded on every machine (not on
// this project's CI): there the test is skipped, and says why.
const binary = (installedElectronBinary as () => string | undefined)();
const reason = binary
  ? undefined
  : 'no Electron binary is installed (node_modules/electron/path.txt missing); the browser-preview e2e tests cover the UI';
if (reason) console.warn(`[skip] Electron smoke test: ${reason}`);

describe.skipIf(!!reason)('Electron window (Playwright _electron)', () => {
  it('opens the window with the engine status and a sandboxed page', async () => {
    expect(existsSync(join(repoRoot, 'dist', 'main', 'main.cjs'))).toBe(true);
    const app = await electron.launch({
      executablePath: binary!,
      args: [repoRoot],
      env: process.env as Record<string, string>,
    });
    try {
      const page = await app.firstWindow();
      await page.getByRole('button', { name: /^Engine: / }).waitFor({ timeout: 30_000 });
      expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
      expect(await page.evaluate(() => typeof window.strata?.invoke)).toBe('function');
      // A native menu item reaches the renderer: Build becomes the current view.
      await app.evaluate(({ Menu }) => Menu.getApplicationMenu()?.getMenuItemById('show-build')?.click());
      await page
        .getByRole('button', { name: 'Build', exact: true })
        .and(page.locator('[aria-current="page"]'))
        .waitFor({ timeout: 10_000 });
      // A second launch naming a path that is not there (`strata /no/such/image.tar`): said on the notice line.
      const missing = join(repoRoot, 'no-such-folder', 'image.tar');
      await app.evaluate(
        ({ app: electronApp }, argv) => electronApp.emit('second-instance', {}, argv, '/', undefined),
        [binary!, repoRoot, missing],
      );
      const refused = page
        .getByRole('alert')
        .filter({ hasText: `Strata could not open ${missing}: it does not exist` });
      await refused.waitFor({ timeout: 10_000 });
    } finally {
      await app.close();
    }
  });
});
