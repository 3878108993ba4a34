import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BUSYBOX, describeWithEngine } from '../integration/engine-available';
import { OwnEngine } from '../integration/own-engine';
import { launchChromium, openApp, screenshot, startPreview, type Preview } from './harness';

// Stops and starts an engine, so it runs a second isolated test engine of its own (same data root each time).
// The preview reaches it through a symlink to its socket: with the link gone, the engine can be changed while
// Strata cannot see it, as when an image is removed while the app is away.
const nonce = randomBytes(4).toString('hex');
const KEPT = `strata-e2e/reconnect-kept-${nonce}:1`;
const GONE = `strata-e2e/reconnect-gone-${nonce}:1`;

describeWithEngine('an open image detail across an engine restart, in the browser preview', () => {
  let own: OwnEngine | undefined;
  let host: string;
  let alias: string;
  let preview: Preview;
  let browser: Browser;
  let page: Page;
  let consoleErrors: string[];

  const engine = (command: 'start' | 'stop') => (command === 'start' ? own?.start() : own?.stop());
  const docker = (...args: string[]) => (own as OwnEngine).docker(...args);
  /** A new image of our own (a commit of a created container), so removing it removes an image. */
  const makeImage = (reference: string) => {
    const container = docker('create', '--network', 'none', BUSYBOX);
    docker('commit', '--change', `LABEL strata.e2e=${reference}`, container, reference);
    docker('rm', container);
  };
  const badge = () => page.getByRole('button', { name: /^Engine: Docker Engine / });
  const open = async (reference: string) => {
    const [repository] = reference.split(':');
    await page
      .getByRole('row')
      .filter({ has: page.getByRole('checkbox', { name: `Select ${reference}`, exact: true }) })
      .getByRole('button', { name: repository })
      .click({ timeout: 20_000 });
    const details = page.getByRole('region', { name: `Image ${reference}` });
    await expect.poll(() => details.textContent(), { timeout: 20_000 }).toContain(`strata.e2e`);
    return details;
  };

  beforeAll(async () => {
    own = await OwnEngine.create();
    host = own.start();
    alias = join(await mkdtemp(join(tmpdir(), 'se-alias-')), 'engine.sock');
    await symlink(host.replace(/^unix:\/\//, ''), alias);
    makeImage(KEPT);
    makeImage(GONE);
    preview = await startPreview({ env: { DOCKER_HOST: `unix://${alias}` } });
    browser = await launchChromium();
    ({ page, consoleErrors } = await openApp(browser, preview));
    await page.setViewportSize({ width: 1280, height: 800 });
    await badge().waitFor({ timeout: 20_000 });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await preview?.stop();
    await own?.dispose();
    if (alias) await rm(join(alias, '..'), { recursive: true, force: true });
  });

  it('keeps the detail, marked as not current while the engine is away, and refreshes it when it is back', async () => {
    const details = await open(KEPT);
    await details.getByRole('tab', { name: 'History' }).click();
    await details.getByRole('table', { name: 'History' }).waitFor();
    // A container made from the image while the app looks: the details show it once they are current again.
    docker('create', '--network', 'none', '--name', `reconnect-${nonce}`, KEPT);

    engine('stop');
    await page
      .getByRole('status')
      .filter({ hasText: 'The engine stopped answering. Strata is reconnecting' })
      .waitFor({ timeout: 30_000 });
    await expect.poll(() => details.textContent()).toContain('Not current');
    expect(await details.getByRole('status').textContent()).toContain('The engine is reconnecting');
    expect(await details.getByRole('tab', { name: 'History' }).getAttribute('aria-selected')).toBe('true');
    expect(await details.getByRole('table', { name: 'History' }).isVisible()).toBe(true);
    expect(await details.getByRole('button', { name: 'Remove…' }).isDisabled()).toBe(true);
    expect(await page.getByRole('heading', { name: 'No container engine is reachable' }).count()).toBe(0);
    // Said once, by the note: not again as an error over the list.
    expect(await page.getByRole('alert').count()).toBe(0);
    await screenshot(page, 'image-details-engine-away');

    engine('start');
    await badge().waitFor({ timeout: 30_000 });
    await details.getByRole('tab', { name: 'Containers (1)' }).waitFor({ timeout: 30_000 });
    await expect.poll(() => details.textContent()).not.toContain('Not current');
    expect(await details.getByRole('tab', { name: 'History' }).getAttribute('aria-selected')).toBe('true');
    expect(await details.getByRole('table', { name: 'History' }).isVisible()).toBe(true);
    expect(await details.getByRole('button', { name: 'Remove…' }).isEnabled()).toBe(true);
    expect(await page.getByRole('status').filter({ hasText: 'reconnecting' }).count()).toBe(0);
    await screenshot(page, 'image-details-engine-back');
    docker('rm', `reconnect-${nonce}`);
    expect(consoleErrors.filter((e) => !/WebSocket|net::ERR/.test(e))).toEqual([]);
  }, 180_000);

  it('says the image is no longer in the engine when it was removed while the engine was away', async () => {
    const details = await open(GONE);

    engine('stop');
    await expect.poll(() => details.textContent(), { timeout: 30_000 }).toContain('Not current');
    // Back, but out of Strata's sight until the image is gone.
    await rm(alias);
    engine('start');
    docker('rmi', GONE);
    await symlink(host.replace(/^unix:\/\//, ''), alias);
    await badge().waitFor({ timeout: 30_000 });

    const note = details.getByRole('status').filter({ hasText: 'This image is no longer in the engine' });
    await note.waitFor({ timeout: 30_000 });
    expect(await details.textContent()).toContain('Not current');
    expect(await details.getByRole('button', { name: 'Tag…' }).isDisabled()).toBe(true);
    await screenshot(page, 'image-details-gone-after-reconnect');
    await details.getByRole('button', { name: 'Close details' }).click();
    await expect.poll(() => details.count()).toBe(0);
  }, 180_000);
});
