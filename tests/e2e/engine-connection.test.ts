import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { describeWithEngine, onPodman } from '../integration/engine-available';
import { OwnEngine } from '../integration/own-engine';
import { launchChromium, openApp, screenshot, startPreview, type Preview } from './harness';

// This suite stops and starts an engine, so it uses a second isolated test engine of its own rather than the
// shared one the other suites use: a dockerd, or a Podman service in the Podman pass. Its folder (and the folders
// of the socket aliases below) is made when the suite runs and removed after it.
let own: OwnEngine | undefined;
const made: string[] = [];
const scratch = (prefix: string): string => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
};
const product = onPodman ? 'Podman' : 'Docker Engine';
const engine = (command: 'start' | 'stop') => (command === 'start' ? own?.start() : own?.stop());

function savedSettings(preview: Preview): { engineAddress?: string; addedEngines?: string[] } {
  const path = join(preview.dataDir, 'settings.json');
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as { addedEngines?: string[] }) : {};
}

describeWithEngine('engine connection in the browser preview', () => {
  let preview: Preview;
  let browser: Browser;
  let version: string;
  let host: string;

  beforeAll(async () => {
    own = await OwnEngine.create({ podman: onPodman });
    host = own.start();
    version = own.docker('version', '--format', '{{.Server.Version}}');
    preview = await startPreview({ env: { DOCKER_HOST: host } });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await preview?.stop();
    await own?.dispose();
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
  });

  it('shows the connected engine, loses it when it stops, and reconnects by itself when it is back', async () => {
    const { page, consoleErrors } = await openApp(browser, preview);
    const badge = page.getByRole('button', { name: new RegExp(`^Engine: ${product} `) });
    await badge.waitFor({ timeout: 20_000 });
    expect(await badge.getAttribute('aria-label')).toBe(`Engine: ${product} ${version}. Choose engine`);
    await expect.poll(() => badge.textContent()).toContain('API 1.');
    await screenshot(page, 'engine-connected');

    engine('stop');
    const heading = page.getByRole('heading', { name: 'No container engine is reachable' });
    await heading.waitFor({ timeout: 20_000 });
    const places = page.getByRole('table', { name: 'Places looked at' });
    await expect.poll(() => places.textContent()).toContain('DOCKER_HOST');
    await screenshot(page, 'engine-unreachable');

    engine('start');
    await badge.waitFor({ timeout: 30_000 });
    expect(await heading.count()).toBe(0);
    expect(consoleErrors.filter((e) => !/WebSocket|net::ERR/.test(e))).toEqual([]);
  });

  it('keeps the no-engine page, what is typed into it and the focus across retries', async () => {
    const { page } = await openApp(browser, preview);
    const badge = page.getByRole('button', { name: new RegExp(`^Engine: ${product} `) });
    await badge.waitFor({ timeout: 20_000 });
    engine('stop');
    try {
      const heading = page.getByRole('heading', { name: 'No container engine is reachable' });
      await heading.waitFor({ timeout: 20_000 });

      const address = page.getByRole('textbox', { name: 'Add an engine by address' });
      const archive = page.getByRole('textbox', { name: /Explore an image archive/ });
      // Its label reads as one line above the field, the command inline in it, not stacked pieces.
      const labelTop = (await page.locator('label').filter({ has: archive }).boundingBox())!.y;
      const commandTop = (await page.getByText('docker save', { exact: true }).boundingBox())!.y;
      expect(Math.abs(commandTop - labelTop)).toBeLessThan(6);
      await archive.fill('/tmp/some/image.tar');
      await address.fill('tcp://127.0.0.1:2');
      await address.press('End');
      // Mark the page's elements: a rebuild replaces them, and the Images view showing even for a moment is seen.
      await page.evaluate(() => {
        const w = window as unknown as { seen: { views: number }; marked: Element[] };
        w.marked = [document.getElementById('no-engine-title')!, document.activeElement!];
        w.seen = { views: 0 };
        new MutationObserver(() => {
          if (!document.getElementById('no-engine-title')) w.seen.views += 1;
        }).observe(document.querySelector('main')!, { childList: true, subtree: true });
      });
      const attempt = async () =>
        Number(/attempt (\d+)/.exec((await page.locator('.no-engine').textContent()) ?? '')?.[1]);
      const first = await attempt();
      await expect.poll(attempt, { timeout: 30_000 }).toBeGreaterThanOrEqual(first + 3);

      expect(await address.inputValue()).toBe('tcp://127.0.0.1:2');
      expect(await archive.inputValue()).toBe('/tmp/some/image.tar');
      expect(await address.evaluate((el) => el === document.activeElement)).toBe(true);
      const kept = await page.evaluate(() => {
        const w = window as unknown as { seen: { views: number }; marked: Element[] };
        return { connected: w.marked.map((el) => el.isConnected), views: w.seen.views };
      });
      expect(kept).toEqual({ connected: [true, true], views: 0 });
    } finally {
      // Back for the next tests, whatever happened here.
      engine('start');
    }
    await badge.waitFor({ timeout: 30_000 });
  });

  it('keeps the engine in use when a typed address does not answer, does not remember it, and fits a narrow window', async () => {
    // Accepts connections and never answers: the engine probe times out.
    const silent: Server = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const silentAddress = `tcp://127.0.0.1:${(silent.address() as { port: number }).port}`;
    try {
      const { page } = await openApp(browser, preview);
      const badge = page.getByRole('button', { name: new RegExp(`^Engine: ${product} `) });
      await badge.click({ timeout: 20_000 });
      const picker = page.getByRole('dialog', { name: 'Container engine' });
      await picker.getByRole('textbox', { name: 'Add an engine by address' }).fill(silentAddress);
      await picker.getByRole('button', { name: 'Connect' }).click();
      const alert = picker.getByRole('alert');
      await alert.waitFor({ timeout: 20_000 });
      expect(await alert.textContent()).toContain(`No engine answered at ${silentAddress}`);
      expect(await alert.textContent()).toContain('stays with the engine in use');
      expect(await picker.getByRole('textbox', { name: 'Add an engine by address' }).inputValue()).toBe(silentAddress);
      expect(await badge.getAttribute('aria-label')).toBe(`Engine: ${product} ${version}. Choose engine`);
      expect(await page.getByRole('heading', { name: 'No container engine is reachable' }).count()).toBe(0);
      // Nothing was remembered (the settings file may not even exist yet).
      expect(JSON.stringify(savedSettings(preview))).not.toContain(silentAddress);
      const rows = picker.getByRole('table', { name: 'Engines found' });
      expect(await rows.textContent()).not.toContain(silentAddress);

      // In a narrow window the socket paths and their sources wrap: every button stays inside the dialog.
      await page.setViewportSize({ width: 700, height: 700 });
      const box = (await picker.boundingBox())!;
      const buttons = await picker.getByRole('button').all();
      expect(buttons.length).toBeGreaterThan(2);
      for (const button of buttons) {
        const b = (await button.boundingBox())!;
        expect(b.x + b.width, (await button.textContent()) ?? undefined).toBeLessThanOrEqual(box.x + box.width);
      }
      await screenshot(page, 'engine-picker-700px');
    } finally {
      silent.close();
    }
  });

  it('remembers an engine added by an address that answers, and forgets it on request', async () => {
    // Another path to the same engine's socket: a different address that answers.
    const alias = join(scratch('se-alias-'), 'alias.sock');
    symlinkSync(host.replace(/^unix:\/\//, ''), alias);
    const aliasAddress = `unix://${alias}`;
    const { page } = await openApp(browser, preview);
    const badge = page.getByRole('button', { name: new RegExp(`^Engine: ${product} `) });
    await badge.click({ timeout: 20_000 });
    const picker = page.getByRole('dialog', { name: 'Container engine' });
    await picker.getByRole('textbox', { name: 'Add an engine by address' }).fill(aliasAddress);
    await picker.getByRole('button', { name: 'Connect' }).click();
    await expect.poll(() => picker.textContent(), { timeout: 20_000 }).toContain(`at ${aliasAddress}`);
    const saved = () => savedSettings(preview);
    expect(saved()).toMatchObject({ engineAddress: aliasAddress, addedEngines: [aliasAddress] });

    await picker.getByRole('button', { name: `Forget ${aliasAddress}` }).click();
    const rows = picker.getByRole('table', { name: 'Engines found' });
    await expect.poll(() => rows.textContent(), { timeout: 20_000 }).not.toContain(aliasAddress);
    expect(saved().addedEngines).toEqual([]);
    expect(saved().engineAddress).toBeUndefined();
    // Forgetting the engine in use went back to finding one automatically: DOCKER_HOST.
    await expect.poll(() => picker.textContent(), { timeout: 20_000 }).toContain(`at ${host}`);
    await screenshot(page, 'engine-picker-forgot');
  });

  it('lists saved engines on the no-engine page, where they can be forgotten', async () => {
    const alias = join(scratch('se-alias-'), 'alias.sock');
    symlinkSync(host.replace(/^unix:\/\//, ''), alias);
    const aliasAddress = `unix://${alias}`;
    const { page } = await openApp(browser, preview);
    const badge = page.getByRole('button', { name: new RegExp(`^Engine: ${product} `) });
    await badge.click({ timeout: 20_000 });
    const picker = page.getByRole('dialog', { name: 'Container engine' });
    await picker.getByRole('textbox', { name: 'Add an engine by address' }).fill(aliasAddress);
    await picker.getByRole('button', { name: 'Connect' }).click();
    await expect.poll(() => picker.textContent(), { timeout: 20_000 }).toContain(`at ${aliasAddress}`);
    await picker.getByRole('button', { name: 'Close' }).click();

    engine('stop');
    try {
      await page.getByRole('heading', { name: 'No container engine is reachable' }).waitFor({ timeout: 20_000 });
      const saved = page.getByRole('table', { name: 'Saved engines' });
      await expect.poll(() => saved.textContent(), { timeout: 10_000 }).toContain(aliasAddress);
      await page.getByRole('button', { name: `Forget ${aliasAddress}` }).click();
      await expect.poll(() => saved.count(), { timeout: 10_000 }).toBe(0);
      expect(savedSettings(preview)).toMatchObject({ addedEngines: [] });
      expect(savedSettings(preview).engineAddress).toBeUndefined();
      // Back to finding the engine automatically: DOCKER_HOST is where it now looks.
      const places = page.getByRole('table', { name: 'Places looked at' });
      await expect.poll(() => places.textContent(), { timeout: 20_000 }).toContain('DOCKER_HOST');
    } finally {
      engine('start');
    }
    await page.getByRole('button', { name: new RegExp(`^Engine: ${product} `) }).waitFor({ timeout: 30_000 });
  });
});
