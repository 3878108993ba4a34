import Docker from 'dockerode';
import { randomBytes } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { humanSize } from '$shared/images/format';
import { BUSYBOX, describeWithEngine, onPodman } from '../integration/engine-available';
import { openBuildView, type BuildView } from './build-view';
import { screenshot } from './harness';

const nonce = `nonce-${randomBytes(6).toString('hex')}`;
const IGNORE = [
  '# keep the context small',
  'node_modules',
  '!**/keep.txt',
  '*.md',
  '!README*.md',
  'README-secret.md',
  '**/*.log',
  'docs',
  '!docs/guide.txt',
].join('\n');

describeWithEngine('the whole build context: every file, its rule, folder sizes, changes since the last build', () => {
  let view: BuildView | undefined;
  let page: Page;
  let consoleErrors: string[];
  let contextDir: string;
  const docker = new Docker();

  beforeAll(async () => {
    const files: Record<string, string | Buffer> = {
      Dockerfile: `FROM ${BUSYBOX}\nRUN echo ${nonce}\nCOPY . /app/\n`,
      '.dockerignore': IGNORE + '\n',
      'src/app.js': 'console.log(1)\n',
      'src/lib/util.js': 'export const x = 1\n',
      'README.md': 'readme\n',
      'README-secret.md': 'secret\n',
      'notes.md': 'notes\n',
      'logs/build.log': Buffer.alloc(20_000, 'l'),
      'docs/guide.txt': 'guide\n',
      'docs/draft.txt': 'draft\n',
      'node_modules/left-pad/index.js': Buffer.alloc(150_000, 'x'),
      'node_modules/left-pad/keep.txt': 'k\n',
    };
    view = await openBuildView({ tempPrefix: 'strata-e2e-ctx-tree-', files, docker, nonce });
    ({ page, consoleErrors, contextDir } = view);
  });

  afterAll(() => view?.close());

  const dialog = () => page.getByRole('dialog', { name: 'Context files' });
  const tree = () => dialog().getByRole('treegrid', { name: 'Context files' });
  const row = (path: string) => tree().getByRole('row', { name: path, exact: true });
  const rowText = (path: string) => row(path).textContent();

  async function openFiles(): Promise<void> {
    await page.getByRole('button', { name: 'Show all files…' }).click();
    await dialog().getByLabel('Context files summary').waitFor();
    await expect.poll(() => tree().getAttribute('aria-busy')).toBe('false');
  }

  it('opens the tree of a dropped-in context: excluded paths with their rule and line, folder sizes', async () => {
    await page.getByLabel('Context folder').fill(contextDir);
    await page.getByLabel('Context folder').press('Enter');
    await page.getByLabel('Builder', { exact: true }).selectOption('classic');
    await page.getByLabel('Network').selectOption('none');
    await openFiles();

    const facts = await dialog().getByLabel('Context files summary').textContent();
    // Sent: .dockerignore, Dockerfile, README.md, src/app.js, src/lib/util.js, docs/guide.txt.
    expect(facts).toMatch(/Sent\s*6 files/);
    expect(facts).toMatch(/Excluded\s*6 files/);
    // Only the top level is open at first.
    expect(await tree().getByRole('row').count()).toBe(1 + 9);
    expect(await rowText('node_modules')).toMatch(/excluded\s*node_modules\s*\.dockerignore line 2/);
    // Folder sizes: node_modules holds 150,002 excluded bytes and sends none.
    expect(await rowText('node_modules')).toContain(humanSize(150_002));
    expect(await rowText('src')).toContain(humanSize(15 + 19));
    expect(await rowText('README-secret.md')).toMatch(/README-secret\.md\s*\.dockerignore line 6/);
    expect(await rowText('README.md')).toMatch(/re-included\s*!README\*\.md\s*\.dockerignore line 5/);
    await screenshot(page, 'context-tree-top');
  });

  it('expands folders: a re-included file inside an excluded one, and a `!` that cannot reach inside', async () => {
    await tree().getByRole('button', { name: 'Expand docs' }).click();
    await row('docs/guide.txt').waitFor();
    expect(await rowText('docs/guide.txt')).toMatch(/re-included\s*!docs\/guide\.txt\s*\.dockerignore line 9/);
    expect(await rowText('docs/draft.txt')).toMatch(/excluded\s*docs\s*\.dockerignore line 8/);
    expect(await rowText('docs')).toContain('1 file inside re-included');

    await tree().getByRole('button', { name: 'Expand node_modules' }).click();
    await tree().getByRole('button', { name: 'Expand node_modules/left-pad' }).click();
    await row('node_modules/left-pad/keep.txt').waitFor();
    expect(await rowText('node_modules/left-pad/keep.txt')).toMatch(
      /excluded\s*node_modules\s*\.dockerignore line 2\s*folder not entered: !\*\*\/keep\.txt cannot reach it/,
    );
    expect(await row('node_modules/left-pad/keep.txt').getByRole('gridcell').nth(2).getAttribute('title')).toMatch(
      /Docker does not look inside it/,
    );
    await screenshot(page, 'context-tree-expanded');
  });

  it('moves through the tree and opens and closes folders from the keyboard and by double-click', async () => {
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? '');
    await row('docs').click();
    expect(await row('docs').getAttribute('aria-expanded')).toBe('true');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => row('docs').getAttribute('aria-expanded')).toBe('false');
    expect(await row('docs/guide.txt').count()).toBe(0);
    await page.keyboard.press('ArrowRight');
    await row('docs/guide.txt').waitFor();
    await page.keyboard.press('ArrowDown');
    await expect.poll(focused).toBe('docs/draft.txt');
    await page.keyboard.press('End');
    await expect.poll(focused).toBe('src');
    await page.keyboard.press('Enter');
    await row('src/app.js').waitFor();
    await page.keyboard.press(' ');
    await expect.poll(() => row('src').getAttribute('aria-expanded')).toBe('false');
    await page.keyboard.press('Home');
    await expect.poll(focused).toBe('.dockerignore');
    await page.keyboard.press('PageDown');
    await expect.poll(focused).not.toBe('.dockerignore');
    // Only the row the keyboard is on takes Tab.
    expect(await tree().locator('[role="row"][tabindex="0"]').count()).toBe(1);
    await screenshot(page, 'context-tree-keyboard');

    await row('logs').dblclick();
    await row('logs/build.log').waitFor();
    await row('logs').dblclick();
    await expect.poll(() => row('logs/build.log').count()).toBe(0);
  });

  it('walks into folders with Right and back out with Left, as a WAI-ARIA tree grid does', async () => {
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? '');
    await row('node_modules').click();
    expect(await row('node_modules').getAttribute('aria-expanded')).toBe('true');
    await page.keyboard.press('ArrowRight');
    await expect.poll(focused).toBe('node_modules/left-pad');
    await page.keyboard.press('ArrowRight');
    await expect.poll(focused).toBe('node_modules/left-pad/index.js');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(focused).toBe('node_modules/left-pad');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => row('node_modules/left-pad').getAttribute('aria-expanded')).toBe('false');
    expect(await row('node_modules/left-pad/index.js').count()).toBe(0);
    await page.keyboard.press('ArrowLeft');
    await expect.poll(focused).toBe('node_modules');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => row('node_modules').getAttribute('aria-expanded')).toBe('false');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => row('node_modules').getAttribute('aria-expanded')).toBe('true');
    await page.keyboard.press('ArrowRight');
    await expect.poll(focused).toBe('node_modules/left-pad');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => row('node_modules/left-pad').getAttribute('aria-expanded')).toBe('true');
    await screenshot(page, 'context-tree-left-right');

    // A search opens every folder holding a match, and they cannot close: Left goes to the folder above instead.
    await dialog().getByLabel('Search context files').fill('util');
    await expect.poll(() => tree().getByRole('row').count()).toBe(1 + 3);
    await row('src/lib/util.js').click();
    await page.keyboard.press('ArrowLeft');
    await expect.poll(focused).toBe('src/lib');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(focused).toBe('src');
    expect(await row('src').getAttribute('aria-expanded')).toBe('true');
    await dialog().getByLabel('Search context files').fill('');
    await expect.poll(() => tree().getByRole('row', { name: 'src/lib/util.js', exact: true }).count()).toBe(0);
  });

  it('searches by glob and shows each match with its folders', async () => {
    await dialog().getByLabel('Search context files').fill('*.log');
    await expect.poll(() => tree().getByRole('row').count()).toBe(1 + 2);
    expect(await rowText('logs/build.log')).toMatch(/excluded\s*\*\*\/\*\.log\s*\.dockerignore line 7/);
    expect(await dialog().getByRole('status').filter({ hasText: 'matching' }).textContent()).toBe('1 matching');
    await dialog().getByLabel('Search context files').fill('util');
    await expect.poll(() => tree().getByRole('row').count()).toBe(1 + 3);
    expect(await rowText('src/lib/util.js')).toContain(humanSize(19));
    await screenshot(page, 'context-tree-search');
    await dialog().getByLabel('Search context files').fill('');
    await dialog().getByRole('button', { name: 'Close' }).click();
  });

  it('after a build, a change and a look again, shows what changed since the last build', async () => {
    await page.getByRole('button', { name: 'Build image' }).click();
    const summary = page.getByRole('region', { name: 'Build summary' });
    await summary.waitFor({ timeout: 120_000 });
    expect(await summary.textContent()).toMatch(/Built/);

    // The classic builder's steps expand to their lines of the builder's log, in the order it printed them, from
    // the step's header to its result image. Buildah commits the image at its last step ("COMMIT", bare when
    // untagged): that is the step's; its image ID and "Successfully built" after are the build's, outside any step.
    const copy = page.getByRole('list', { name: 'Build steps' }).getByRole('listitem', { name: /COPY \. \/app\// });
    await copy.getByRole('button', { name: /^Show log of/ }).click();
    const stepLines = await copy.getByRole('log').locator('.line').allTextContents();
    if (onPodman) {
      expect(stepLines).toHaveLength(3);
      expect(stepLines[0]).toBe('STEP 3/3: COPY . /app/');
      expect(stepLines[1]).toMatch(/^COMMIT( \S+)?$/);
      expect(stepLines[2]).toMatch(/^--> [0-9a-f]{11}$/);
    } else expect(stepLines).toEqual(['Step 3/3 : COPY . /app/', expect.stringMatching(/^ ---> [0-9a-f]{12}$/)]);
    const messages = await page.getByRole('log', { name: 'Builder messages outside any step' }).textContent();
    expect(messages).toMatch(/Successfully built [0-9a-f]{12}/);
    await screenshot(page, 'classic-step-expanded');

    await writeFile(join(contextDir, 'src/app.js'), 'console.log(2)\n');
    await writeFile(join(contextDir, 'src/new.js'), 'new\n');
    await rm(join(contextDir, 'src/lib/util.js'));
    await openFiles();
    const since = dialog().getByLabel('Changes since the last build');
    expect(await since.textContent()).toMatch(/1 changed,\s*1 added,\s*1 removed/);
    await dialog().getByText('Changed (3)').click();
    await row('src/app.js').waitFor();
    expect(await rowText('src/app.js')).toContain('changed since the last build');
    expect(await rowText('src/new.js')).toContain('added since the last build');
    expect(await rowText('src/lib/util.js')).toMatch(/removed since the last build.*sent by the last build, gone now/);
    await screenshot(page, 'context-tree-changed');
    await dialog().getByRole('button', { name: 'Close' }).click();
    expect(consoleErrors).toEqual([]);
  });
});
