import Docker from 'dockerode';
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { containersWithNonce } from '../integration/build/build-context';
import { BUSYBOX, describeWithEngine, onPodman } from '../integration/engine-available';
import { openBuildView, type BuildView } from './build-view';
import { screenshot } from './harness';

const nonce = `nonce-${randomBytes(6).toString('hex')}`;
const TAG = 'strata-e2e-build/app:latest';

function dockerfile(last: string, extra = ''): string {
  return `FROM ${BUSYBOX}\nRUN echo ${nonce} > /nonce\nWORKDIR /app\nCOPY hello.txt ./\nRUN cat hello.txt && printf '\\033[32mgreen\\033[0m\\n'\n${extra}${last}\n`;
}

describeWithEngine('the Build view in the browser preview', () => {
  let view: BuildView | undefined;
  let page: Page;
  let consoleErrors: string[];
  let contextDir: string;
  const docker = new Docker();

  beforeAll(async () => {
    view = await openBuildView({
      tempPrefix: 'strata-e2e-build-',
      files: {
        'hello.txt': `hello ${nonce}\n`,
        'ignored.log': 'not sent\n',
        '.dockerignore': '*.log\n',
        Dockerfile: dockerfile('RUN echo last-1'),
      },
      docker,
      nonce,
    });
    ({ page, consoleErrors, contextDir } = view);
  });

  afterAll(() => view?.close());

  const steps = () => page.getByRole('list', { name: 'Build steps' }).getByRole('listitem');
  const summary = () => page.getByRole('region', { name: 'Build summary' });

  const output = () => page.getByRole('region', { name: 'Build output' });
  const historyRows = () => page.getByRole('table', { name: 'Build history' }).getByRole('row');
  const editorText = () => page.getByRole('textbox', { name: 'Dockerfile editor' }).textContent();

  it('offers BuildKit only where the engine has it, and on Podman says why and offers the classic builder', async () => {
    const builder = page.getByLabel('Builder', { exact: true });
    const buildkit = builder.getByRole('option', { name: /^BuildKit/ });
    await expect.poll(() => buildkit.textContent()).toBe(onPodman ? 'BuildKit (not on Podman)' : 'BuildKit');
    expect(await buildkit.isDisabled()).toBe(onPodman);
    if (!onPodman) return;
    // A default of BuildKit (from the settings) meets Podman: the form says so and offers what works.
    await builder.evaluate((select: HTMLSelectElement) => {
      select.value = 'buildkit';
      select.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await page.getByRole('alert').filter({ hasText: 'Podman has no BuildKit' }).waitFor();
    await page.getByRole('button', { name: 'Use the classic builder' }).click();
    expect(await builder.inputValue()).toBe('classic');
    await builder.selectOption('auto');
  });

  it('builds a context folder, showing the upload, each step with its log, and a summary', async () => {
    expect(await output().textContent()).toContain('Choose a context folder and press Build (Ctrl+Enter)');
    await page.getByLabel('Context folder').fill(contextDir);
    await page.getByLabel('Context folder').press('Enter');
    // Once the folder is open the hint no longer asks for one.
    await expect.poll(() => output().textContent()).toContain('Press Build (Ctrl+Enter)');
    expect(await output().textContent()).not.toContain('Choose a context folder');
    await page.getByLabel('Tags').fill(TAG);
    await page.getByLabel('Network').selectOption('none');
    await page.getByRole('button', { name: 'Build image' }).click();

    await summary()
      .getByRole('heading', { name: /^Built in / })
      .waitFor({ timeout: 60_000 });
    await expect
      .poll(() => page.getByRole('status', { name: 'Context upload' }).textContent())
      .toMatch(/Sent context: \d/);
    const run = page.getByRole('listitem', { name: /RUN cat hello\.txt/ });
    expect(await run.getAttribute('data-state')).toBe('done');
    await run.getByRole('button', { name: /^Show log of/ }).click();
    const log = run.getByRole('log');
    await expect.poll(() => log.textContent()).toContain(`hello ${nonce}`);
    // The ANSI colour is drawn, not printed.
    expect(await log.getByText('green', { exact: true }).getAttribute('style')).toContain('--ansi-green');
    expect(await summary().textContent()).toContain(TAG);
    expect(await summary().textContent()).toMatch(/\d+ cached, \d+ run/);
    const image = await docker.getImage(TAG).inspect();
    expect(await summary().textContent()).toContain(image.Id.slice(7, 19));
    await screenshot(page, 'build-done');
  });

  it('builds with Ctrl+Enter from the editor without typing into the Dockerfile, every step cached', async () => {
    const onDisk = await readFile(join(contextDir, 'Dockerfile'), 'utf8');
    const shown = await editorText();
    const builds = await historyRows().count();
    await page.getByRole('textbox', { name: 'Dockerfile editor' }).click();
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => historyRows().count(), { timeout: 60_000 }).toBe(builds + 1);
    await summary()
      .getByRole('heading', { name: /^Built in / })
      .waitFor({ timeout: 60_000 });
    expect(await readFile(join(contextDir, 'Dockerfile'), 'utf8')).toBe(onDisk);
    expect(await editorText()).toBe(shown);
    const instructions = steps().filter({ hasText: /(RUN|COPY|WORKDIR) / });
    expect(await instructions.count()).toBe(5);
    for (const item of await instructions.all()) expect(await item.getAttribute('data-state')).toBe('cached');
  });

  it('rebuilds after the last instruction changed, every earlier step CACHED, and says what the cache saved', async () => {
    await writeFile(join(contextDir, 'Dockerfile'), dockerfile('RUN echo last-2'));
    await summary().getByRole('button', { name: 'Rebuild' }).click();
    await summary()
      .getByRole('heading', { name: /^Built in / })
      .waitFor({ timeout: 60_000 });
    await page.getByRole('listitem', { name: /RUN echo last-2/ }).waitFor();
    const items = await steps().all();
    const states: Array<[string, string]> = [];
    for (const item of items)
      states.push([(await item.getAttribute('aria-label')) ?? '', (await item.getAttribute('data-state')) ?? '']);
    const instructions = states.filter(([name]) => /(RUN|COPY|WORKDIR) /.test(name));
    expect(instructions.at(-1)).toEqual([expect.stringContaining('RUN echo last-2'), 'done']);
    expect(instructions.slice(0, -1).map(([, state]) => state)).toEqual(instructions.slice(0, -1).map(() => 'cached'));
    expect(await page.getByText('CACHED', { exact: true }).count()).toBe(instructions.length - 1);
    expect(await summary().textContent()).toMatch(/saved \d+(\.\d)?s against the previous build/);
    // The step that ran says why, with the old and new text.
    const last = page.getByRole('listitem', { name: /RUN echo last-2/ });
    expect(await last.getByLabel('Instruction change').textContent()).toMatch(/- RUN echo last-1\s*\+ RUN echo last-2/);
    await screenshot(page, 'build-rebuild-cached');
  });

  it("after one file changed: the COPY that read it names it, and the Log tab shows the builder's cache lines", async () => {
    await writeFile(join(contextDir, 'hello.txt'), `hello again ${nonce}\n`);
    await summary().getByRole('button', { name: 'Rebuild' }).click();
    await summary()
      .getByRole('heading', { name: /^Built in / })
      .waitFor({ timeout: 60_000 });
    const copy = page.getByRole('listitem', { name: /COPY hello\.txt/ });
    await expect.poll(() => copy.textContent()).toContain('Ran again: hello.txt changed');
    const reasons = summary().getByRole('list', { name: 'Why steps ran again' });
    expect(await reasons.textContent()).toContain('COPY hello.txt ./ ran again: hello.txt changed');
    expect(await reasons.textContent()).toMatch(/2 later steps ran because an earlier step did/);
    // The step list and the summary count alike.
    const counts = (await page.locator('.counts').textContent())?.match(/(\d+) cached · (\d+) run/);
    expect(await summary().textContent()).toContain(`${counts?.[1]} cached, ${counts?.[2]} run`);
    await screenshot(page, 'build-cache-miss-reasons');

    // The step's "log" link opens the builder's own text at its lines.
    await copy.getByRole('button', { name: /in the builder log$/ }).click();
    const log = page.getByRole('log', { name: 'Builder log' });
    if (onPodman) {
      // Podman builds with Buildah (the classic path): its own STEP lines and cache marks.
      await expect.poll(() => log.textContent()).toMatch(/--> Using cache/);
      expect((await log.textContent()) ?? '').toMatch(/STEP \d+\/\d+: COPY hello\.txt \.\//);
    } else {
      await expect.poll(() => log.textContent()).toMatch(/#\d+ CACHED/);
      const text = (await log.textContent()) ?? '';
      expect(text).toMatch(/#\d+ \[\d\/\d\] COPY hello\.txt \.\//);
      expect(text).toMatch(/#\d+ DONE \d+\.\ds/);
    }
    const text = (await log.textContent()) ?? '';
    expect(text).toContain(`hello again ${nonce}`);
    expect(await log.locator('.line.focused').first().textContent()).toMatch(/COPY hello\.txt/);
    // Only the log scrolls to the step: the tabs stay where they were.
    expect((await page.getByRole('tab', { name: 'Log' }).boundingBox())?.y).toBeGreaterThan(40);
    // Each builder's own mark for a step taken from the cache.
    await page.getByLabel('Search the log').fill(onPodman ? 'Using cache' : 'CACHED');
    await expect.poll(() => log.locator('.line.match').count()).toBeGreaterThanOrEqual(2);
    await screenshot(page, 'build-log-tab');
    await page.getByLabel('Search the log').fill('');
    await page.getByRole('tab', { name: 'Steps' }).click();
    await writeFile(join(contextDir, 'hello.txt'), `hello ${nonce}\n`);
  });

  it('cancels a running build at once and leaves no container behind', async () => {
    await writeFile(
      join(contextDir, 'Dockerfile'),
      dockerfile('RUN echo after-sleep', `RUN sleep 30 && echo ${nonce}-slept\n`),
    );
    await page.getByLabel('Builder', { exact: true }).selectOption('classic');
    // Docker's earlier builds were BuildKit's, so the classic builder runs every step; on Podman they were
    // already classic and cached: build without the cache there, so the steps run and log as on Docker.
    if (onPodman) await page.getByLabel('No cache').check();
    await page.getByRole('button', { name: 'Build image' }).click();
    const sleeping = page.getByRole('listitem', { name: /RUN sleep 30/ });
    await sleeping.waitFor({ timeout: 60_000 });
    await expect.poll(() => sleeping.getAttribute('data-state')).toBe('running');
    // Docker runs the step in a container it lists; Podman's (Buildah's) build containers are not listed.
    await expect.poll(() => containersWithNonce(docker, nonce)).toHaveLength(onPodman ? 0 : 1);
    await screenshot(page, 'build-running');
    // Leave the view during the build and come back: nothing it showed is lost.
    const nav = page.getByRole('navigation', { name: 'Views' });
    await nav.getByRole('button', { name: 'Containers' }).click();
    await page.getByRole('region', { name: 'Containers' }).waitFor();
    await nav.getByRole('button', { name: 'Build' }).click();
    expect(await sleeping.getAttribute('data-state')).toBe('running');
    const cat = page.getByRole('listitem', { name: /RUN cat hello\.txt/ });
    await cat.getByRole('button', { name: /^Show log of/ }).click();
    await expect.poll(() => cat.getByRole('log').textContent()).toContain(`hello ${nonce}`);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await summary()
      .getByRole('heading', { name: /^Build cancelled/ })
      .waitFor({ timeout: 20_000 });
    expect(await sleeping.getAttribute('data-state')).toBe('stopped');
    expect(await containersWithNonce(docker, nonce)).toEqual([]);
    // The classic builder's own text (Buildah's STEP lines on Podman), up to the step it was running (its first build here: no cache lines).
    await page.getByRole('tab', { name: 'Log' }).click();
    const log = page.getByRole('log', { name: 'Builder log' });
    if (onPodman) {
      await expect.poll(() => log.textContent()).toMatch(/STEP \d+\/\d+: RUN sleep 30/);
    } else {
      await expect.poll(() => log.textContent()).toMatch(/Step \d+\/\d+ : RUN sleep 30/);
      const classicLog = (await log.locator('.line').allTextContents()).join('\n');
      expect(classicLog).toMatch(/^Sending build context to Docker daemon {2}\d/m);
      expect(classicLog).toMatch(/^Step 1\/\d+ : FROM /m);
      expect(classicLog).toMatch(/^ ---> Running in [0-9a-f]{12}$/m);
    }
    await page.getByRole('tab', { name: 'Steps' }).click();
    if (onPodman) await page.getByLabel('No cache').uncheck();
  });

  it('keeps every build in the history, reopens one with its log, and opens a built image', async () => {
    const history = page.getByRole('table', { name: 'Build history' });
    await expect.poll(() => history.getByRole('row').count()).toBeGreaterThanOrEqual(4); // header + 3 builds
    const rows = history.getByRole('row');
    expect(await rows.nth(1).textContent()).toContain('Cancelled');
    // The oldest build: reopen it, its first RUN's log is there again.
    await rows
      .last()
      .getByRole('button', { name: /^Open build/ })
      .click();
    await summary()
      .getByRole('heading', { name: /^Built in / })
      .waitFor();
    const run = page.getByRole('listitem', { name: /RUN cat hello\.txt/ });
    await run.getByRole('button', { name: /^Show log of/ }).click();
    await expect.poll(() => run.getByRole('log').textContent()).toContain(`hello ${nonce}`);
    await screenshot(page, 'build-history-reopened');

    await summary().getByRole('button', { name: 'Open image' }).click();
    await expect
      .poll(() =>
        page
          .getByRole('navigation', { name: 'Views' })
          .getByRole('button', { name: 'Images' })
          .getAttribute('aria-current'),
      )
      .toBe('page');
    expect(consoleErrors).toEqual([]);
  });

  it('marks the failing line until the next build, in focus colour for lines only looked at', async () => {
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Build' }).click();
    await writeFile(join(contextDir, 'Dockerfile'), dockerfile(`RUN echo ${nonce}-failing && exit 3`));
    const changed = page.getByRole('alert', { name: 'File changed on disk' });
    await changed.getByRole('button', { name: 'Reload' }).click({ timeout: 20_000 });
    await page.getByRole('button', { name: 'Build image' }).click();
    await summary()
      .getByRole('heading', { name: /^Build failed in / })
      .waitFor({ timeout: 60_000 });
    const errorMark = page.locator('.cm-strata-line-error');
    const focusMark = page.locator('.cm-strata-line-focus');
    await expect.poll(() => errorMark.textContent()).toBe(`RUN echo ${nonce}-failing && exit 3`);

    // Looking at a cached step's line marks it in the focus colour; the failing line keeps its mark.
    await page
      .getByRole('listitem', { name: /COPY hello\.txt/ })
      .getByRole('button', { name: /^Show line 4 / })
      .click();
    await expect.poll(() => focusMark.textContent()).toBe('COPY hello.txt ./');
    expect(await errorMark.textContent()).toBe(`RUN echo ${nonce}-failing && exit 3`);
    const colour = (locator: typeof errorMark) => locator.evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(await colour(focusMark)).not.toBe(await colour(errorMark));
    // So does the step's own "Show line" in its error box: focus, not a second error mark.
    await page.getByRole('button', { name: 'Show line 6 in the Dockerfile' }).click();
    await expect.poll(() => focusMark.textContent()).toBe(`RUN echo ${nonce}-failing && exit 3`);
    expect(await errorMark.count()).toBe(1);

    // Fixed and built again: the build that succeeds leaves no error mark behind.
    await writeFile(join(contextDir, 'Dockerfile'), dockerfile('RUN echo last-3'));
    await changed.getByRole('button', { name: 'Reload' }).click({ timeout: 20_000 });
    await page.getByRole('button', { name: 'Build image' }).click();
    await summary()
      .getByRole('heading', { name: /^Built in / })
      .waitFor({ timeout: 60_000 });
    expect(await errorMark.count()).toBe(0);
    expect(consoleErrors).toEqual([]);
  });
});
