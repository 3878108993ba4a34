import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { describeWithEngine, onPodman } from '../integration/engine-available';
import { launchChromium, openApp, repoRoot, screenshot, startPreview, type Preview } from './harness';

// This suite stops and starts an engine, so it uses a second isolated test engine of its own rather than the
// shared one the other suites use: a dockerd, or a Podman service in the Podman pass.
const engineDir = mkdtempSync(join(tmpdir(), 'se-'));
const script = join(repoRoot, 'scripts', onPodman ? 'test-podman.sh' : 'test-engine.sh');
const product = onPodman ? 'Podman' : 'Docker Engine';
const engine = (command: 'start' | 'stop') =>
  execFileSync('bash', [script, command], {
    env: { ...process.env, [onPodman ? 'STRATA_PODMAN_DIR' : 'STRATA_ENGINE_DIR']: engineDir },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });

describeWithEngine('engine connection in the browser preview', () => {
  let preview: Preview;
  let browser: Browser;
  let version: string;

  beforeAll(async () => {
    const host = engine('start')
      .trim()
      .split('\n')
      .at(-1)!
      .replace(/^DOCKER_HOST=/, '');
    version = execFileSync('docker', ['version', '--format', '{{.Server.Version}}'], {
      env: { ...process.env, DOCKER_HOST: host },
      encoding: 'utf8',
    }).trim();
    preview = await startPreview({ env: { DOCKER_HOST: host } });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await preview?.stop();
    engine('stop');
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
});
