import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BUSYBOX, describeWithEngine } from '../integration/engine-available';
import { OwnEngine } from '../integration/own-engine';
import { launchChromium, openApp, screenshot, startPreview, type Preview } from './harness';

// Kills an engine with SIGKILL mid-build, so it runs a second isolated test engine of its own and kills only
// the dockerd whose pid that engine's script recorded.
const nonce = `death-${randomBytes(6).toString('hex')}`;

describeWithEngine('the engine killed mid-build, in the browser preview', () => {
  let own: OwnEngine | undefined;
  let host: string;
  let contextDir: string;
  let preview: Preview;
  let browser: Browser;
  let page: Page;
  let consoleErrors: string[];

  const engine = (command: 'start' | 'stop') => (command === 'start' ? own?.start() : own?.stop());
  const docker = (...args: string[]) => (own as OwnEngine).docker(...args);

  beforeAll(async () => {
    own = await OwnEngine.create();
    host = own.start();
    contextDir = await mkdtemp(join(tmpdir(), 'strata-e2e-death-'));
    preview = await startPreview({ env: { DOCKER_HOST: host } });
    browser = await launchChromium();
    ({ page, consoleErrors } = await openApp(browser, preview));
    await page.getByRole('button', { name: /^Engine: Docker Engine / }).waitFor({ timeout: 20_000 });
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Build' }).click();
    await page.getByLabel('Context folder').fill(contextDir);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await preview?.stop();
    await own?.dispose();
    if (contextDir) await rm(contextDir, { recursive: true, force: true });
  });

  async function killEngine(): Promise<void> {
    const pid = (own as OwnEngine).pid();
    expect(Number.isInteger(pid) && pid > 1).toBe(true);
    process.kill(pid, 'SIGKILL');
    await expect
      .poll(
        () => {
          try {
            process.kill(pid, 0);
            return 'running';
          } catch {
            return 'gone';
          }
        },
        { timeout: 30_000 },
      )
      .toBe('gone');
  }

  for (const [builder, label] of [
    ['classic', 'Classic builder'],
    ['buildkit', 'BuildKit'],
  ] as const) {
    it(`with the ${label}: says what happened, reconnects by itself, leaves no container`, async () => {
      await writeFile(
        join(contextDir, 'Dockerfile'),
        `FROM ${BUSYBOX}\nRUN echo ${nonce}-${builder}\nRUN sleep 120\nRUN echo never\n`,
      );
      await page.getByLabel('Context folder').press('Enter');
      // The form is ready once the editor shows this round's Dockerfile.
      await expect
        .poll(() => page.getByRole('textbox', { name: 'Dockerfile editor' }).textContent(), { timeout: 30_000 })
        .toContain(`${nonce}-${builder}`);
      await page.getByLabel('Builder', { exact: true }).selectOption(builder);
      await page.getByLabel('Network').selectOption('none');
      await page.getByRole('button', { name: 'Build image' }).click();
      await page
        .getByRole('listitem', { name: /RUN sleep 120/ })
        .waitFor({ timeout: 60_000 })
        .catch(async (err: unknown) => {
          await screenshot(page, `build-engine-killed-${builder}-no-step`);
          const alerts = await page.getByRole('alert').allTextContents();
          throw new Error(`the long step never showed; alerts: ${JSON.stringify(alerts)}`, { cause: err });
        });
      if (builder === 'classic') await expect.poll(() => docker('ps', '-q'), { timeout: 30_000 }).not.toBe('');

      await killEngine();
      const alert = page.getByRole('alert').filter({ hasText: 'The engine stopped answering' });
      await alert.waitFor({ timeout: 30_000 });
      expect(await alert.textContent()).toContain(
        'The engine stopped answering during step 3/4 (RUN sleep 120); nothing was tagged; Strata will reconnect by itself',
      );
      await screenshot(page, `build-engine-killed-${builder}`);

      // Strata notices the engine is gone, then finds it again with nobody clicking anything.
      const noEngine = page.getByRole('button', { name: 'Engine: No engine. Choose engine' });
      await noEngine.waitFor({ timeout: 30_000 });
      engine('start');
      await page.getByRole('button', { name: /^Engine: Docker Engine / }).waitFor({ timeout: 30_000 });
      expect(await noEngine.count()).toBe(0);
      await expect.poll(() => docker('ps', '-a', '--format', '{{.ID}} {{.Status}}'), { timeout: 30_000 }).toBe('');
      expect(consoleErrors.filter((e) => !/WebSocket|net::ERR/.test(e))).toEqual([]);
    }, 240_000);
  }
});
