import { createHash } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import type Docker from 'dockerode';
import type { Browser, Locator, Page } from 'playwright-core';
import tar from 'tar-stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runAnalyzeCommand } from '../../src-main/cli/analyze-command';
import { bytesWithExact, percent } from '../../src-renderer/components/layers/figures';
import { BUSYBOX, describeWithEngine, testDocker } from '../integration/engine-available';
import { buildFixture } from '../integration/images/fixtures';
import { launchChromium, openApp, screenshot, startPreview, type Preview } from './harness';

const REPO = 'strata-e2e-layers';
const TAG = `${REPO}/files:${process.pid}`;
const BIG = `${REPO}/big:${process.pid}`;

// Layer 2 adds, layer 3 overwrites, layer 4 deletes: one kind of change per layer.
const DOCKERFILE = `FROM ${BUSYBOX}
RUN mkdir /data && echo first > /data/notes.txt && ln -s notes.txt /data/link && head -c 20000 /dev/zero > /data/blob
RUN echo second-version > /data/notes.txt && head -c 30000 /dev/zero > /data/blob && chmod 750 /data/blob
RUN rm /data/notes.txt
`;

interface AnalyzeJson {
  efficiency: number;
  wastedBytes: number;
  wastedUserPercent: number | null;
  reclaimableBytes: number;
  layers: Array<{ index: number; command: string; sizeBytes: number }>;
  inefficientFiles: Array<{ path: string; count: number; wastedBytes: number }>;
}

/** A `docker save` archive (legacy layout) of one layer with 500 folders of 100 files: 50,500 paths. */
async function writeManyFilesArchive(path: string): Promise<void> {
  const layer = tar.pack();
  const chunks: Buffer[] = [];
  layer.on('data', (chunk: unknown) => chunks.push(chunk as Buffer));
  const ended = new Promise<void>((resolve) => layer.on('end', () => resolve()));
  for (let d = 0; d < 500; d++) {
    layer.entry({ name: `usr/d${d}/`, type: 'directory', mode: 0o755 });
    for (let f = 0; f < 100; f++)
      layer.entry({ name: `usr/d${d}/file${f}.so`, mode: 0o644 }, f % 10 ? '' : 'x'.repeat(100));
  }
  layer.finalize();
  await ended;
  const layerTar = Buffer.concat(chunks);
  const diffId = `sha256:${createHash('sha256').update(layerTar).digest('hex')}`;
  const config = JSON.stringify({
    architecture: 'amd64',
    os: 'linux',
    rootfs: { type: 'layers', diff_ids: [diffId] },
    history: [{ created: '2024-01-01T00:00:00Z', created_by: 'synthetic: 50,000 files' }],
  });
  const configName = `${createHash('sha256').update(config).digest('hex')}.json`;
  const archive = tar.pack();
  archive.entry({ name: configName }, config);
  archive.entry({ name: 'many/layer.tar' }, layerTar);
  archive.entry(
    { name: 'manifest.json' },
    JSON.stringify([{ Config: configName, RepoTags: ['synthetic/many:1'], Layers: ['many/layer.tar'] }]),
  );
  archive.finalize();
  await pipeline(archive as unknown as NodeJS.ReadableStream, createWriteStream(path));
}

/** What `strata analyze --json` says about an image or archive: the numbers the screen must show. */
async function strataAnalyze(target: string): Promise<AnalyzeJson> {
  let out = '';
  const stdout = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      out += chunk.toString();
      callback();
    },
  });
  const stderr = new Writable({ write: (_chunk, _encoding, callback) => callback() });
  expect(await runAnalyzeCommand([target, '--json'], { stdout, stderr })).toBe(0);
  return JSON.parse(out) as AnalyzeJson;
}

describeWithEngine('the Files view in the browser preview', () => {
  let docker: Docker;
  let preview: Preview;
  let browser: Browser;
  let page: Page;
  let consoleErrors: string[];
  let dir: string;
  let archivePath: string;
  let expected: AnalyzeJson;

  beforeAll(async () => {
    docker = await testDocker();
    dir = mkdtempSync(join(tmpdir(), 'strata-e2e-layers-'));
    await buildFixture(docker, { tag: TAG, dockerfile: DOCKERFILE });
    // Big enough that reading it takes seconds, so Cancel can be pressed while it reads.
    await buildFixture(docker, {
      tag: BIG,
      dockerfile: `FROM ${BUSYBOX}\nRUN head -c 300000000 /dev/zero > /zeros\n`,
    });
    archivePath = join(dir, 'files.tar');
    await pipeline(await docker.getImage(TAG).get(), createWriteStream(archivePath));
    expected = await strataAnalyze(TAG);
    preview = await startPreview();
    browser = await launchChromium();
    ({ page, consoleErrors } = await openApp(browser, preview));
    await page.getByRole('table', { name: 'Images' }).waitFor({ timeout: 20_000 });
  });

  afterAll(async () => {
    await browser?.close();
    await preview?.stop();
    for (const tag of [TAG, BIG]) {
      await docker
        ?.getImage(tag)
        .remove({ force: true })
        .catch(() => undefined);
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const imageRow = (reference: string) =>
    page.getByRole('row').filter({ has: page.getByRole('checkbox', { name: `Select ${reference}`, exact: true }) });
  const details = () => page.getByRole('region', { name: `Image ${TAG}` });
  const tree = (scope: Locator, layer: number) => scope.getByRole('treegrid', { name: `Files after layer ${layer}` });
  /** "notes.txt added" style lines for the rows shown, mark words included (as a screen reader reads them). */
  const treeLines = async (grid: Locator): Promise<string[]> =>
    (await grid.getByRole('row').allTextContents())
      .slice(1)
      .map((text) => text.replace(/\s+/g, ' ').trim())
      .filter((text) => text !== '…');
  /** The row the keyboard is on: its level and its text ("1 unchanged ▾ bin/ 1.98MB …"). */
  const focusedRow = () =>
    page.evaluate(() => {
      const row = document.activeElement;
      return `${row?.getAttribute('aria-level') ?? '-'} ${(row?.textContent ?? '').replace(/\s+/g, ' ').trim()}`;
    });
  const pickLayer = (scope: Locator, layer: number) =>
    scope.getByRole('option', { name: new RegExp(`^Layer ${layer},`) }).click();

  async function openFilesTab(): Promise<Locator> {
    await imageRow(TAG)
      .getByRole('button', { name: TAG.split(':')[0]! })
      .click();
    await details().getByRole('tab', { name: 'Files' }).click();
    await details().getByRole('listbox', { name: 'Layers' }).waitFor({ timeout: 30_000 });
    return details();
  }

  it('shows dive’s figures and the reclaimable bytes exactly as strata analyze --json computes them', async () => {
    await imageRow(TAG).waitFor({ timeout: 20_000 });
    const view = await openFilesTab();
    const dive = view.getByRole('region', { name: /Efficiency/ });
    const text = async () => (await dive.textContent())?.replace(/\s+/g, ' ') ?? '';
    await expect.poll(text).toContain(`Efficiency score ${percent(expected.efficiency)}`);
    expect(await text()).toContain(`Wasted bytes ${bytesWithExact(expected.wastedBytes)}`);
    expect(await text()).toContain(`User wasted percent ${percent(expected.wastedUserPercent)}`);
    expect(await text()).toContain('as dive computes it');
    const strata = view.getByRole('region', { name: /Reclaimable/ });
    expect(await strata.textContent()).toContain(bytesWithExact(expected.reclaimableBytes));
    expect(await strata.textContent()).toContain('Strata’s figure, not dive’s');
    // notes.txt: 6 + 15 bytes + a whiteout; blob: 20000 + 30000; dive counts every copy.
    expect(expected.inefficientFiles.slice(0, 2)).toEqual([
      { path: '/data/blob', count: 2, wastedBytes: 50_000 },
      { path: '/data/notes.txt', count: 3, wastedBytes: 21 },
    ]);
    expect(expected.reclaimableBytes).toBe(20_000 + 6 + 15);

    await dive.getByRole('button', { name: /Inefficient files \(/ }).click();
    const table = view.getByRole('table', { name: 'Inefficient files' });
    const rows: string[] = [];
    for (const row of await table.locator('tbody tr').all())
      rows.push((await row.getByRole('cell').allTextContents()).join(' '));
    expect(rows.length).toBe(expected.inefficientFiles.length);
    expect(rows[0]).toBe('/data/blob 2 50kB');
    expect(rows[1]).toBe('/data/notes.txt 3 21B');
    expect(await view.getByRole('listbox', { name: 'Layers' }).getByRole('option').count()).toBe(4);
    await screenshot(page, 'layers-files-efficiency');
    await dive.getByRole('button', { name: /Inefficient files \(/ }).click();
  });

  it('picks layers and shows what each added, modified and removed', async () => {
    const view = details();
    await view.getByLabel('Filter paths').fill('/data');

    await pickLayer(view, 2);
    await expect
      .poll(() => treeLines(tree(view, 2)))
      .toEqual([
        expect.stringMatching(/^A added ▾ data\/ 20kB drwxr-xr-x 0:0$/),
        expect.stringMatching(/^A added blob 20kB -rw-r--r-- 0:0$/),
        expect.stringMatching(/^A added link → notes.txt 0B lrwxrwxrwx 0:0$/),
        expect.stringMatching(/^A added notes.txt 6B -rw-r--r-- 0:0$/),
      ]);
    await screenshot(page, 'layers-files-added');

    await pickLayer(view, 3);
    await expect
      .poll(() => treeLines(tree(view, 3)))
      .toEqual([
        expect.stringMatching(/^M modified ▾ data\/ 30kB/),
        expect.stringMatching(/^M modified blob 30kB -rwxr-x--- 0:0$/),
        expect.stringMatching(/^unchanged link → notes.txt/),
        expect.stringMatching(/^M modified notes.txt 15B/),
      ]);

    await pickLayer(view, 4);
    await expect
      .poll(() => treeLines(tree(view, 4)))
      .toEqual([
        expect.stringMatching(/^M modified ▾ data\//),
        expect.stringMatching(/^unchanged blob 30kB/),
        expect.stringMatching(/^unchanged link/),
        expect.stringMatching(/^R removed notes.txt 15B/),
      ]);
    await view.getByLabel('Only changes').check();
    await expect.poll(() => treeLines(tree(view, 4))).toHaveLength(2);
    expect((await treeLines(tree(view, 4)))[1]).toMatch(/^R removed notes.txt/);
    await screenshot(page, 'layers-files-removed');

    // Folders close and open; the filter narrows to matching paths and the folders that hold them.
    await view.getByLabel('Only changes').uncheck();
    await view.getByRole('button', { name: 'Collapse /data' }).click();
    await expect.poll(() => treeLines(tree(view, 4))).toEqual([expect.stringMatching(/^M modified ▸ data\//)]);
    await view.getByRole('button', { name: 'Expand /data' }).click();
    // A double-click on a folder's row toggles it too, as in the build context's tree.
    const dataRow = tree(view, 4).getByRole('row', { name: /data\// });
    await dataRow.dblclick();
    await expect.poll(() => dataRow.getAttribute('aria-expanded')).toBe('false');
    await dataRow.dblclick();
    await expect.poll(() => treeLines(tree(view, 4))).toHaveLength(4);
    await view.getByLabel('Filter paths').fill('blob');
    await expect.poll(() => treeLines(tree(view, 4))).toHaveLength(2);
    await view.getByLabel('Filter paths').fill('');
    // The whole final image: busybox's /bin (277 entries) and /data; the view renders only what is in sight.
    await expect.poll(() => view.getByLabel('Shown rows').textContent()).toMatch(/^\s*28\d rows/);
    expect((await treeLines(tree(view, 4))).length).toBeLessThan(80);
    await view.getByLabel('Sort by size').check();
    await expect.poll(async () => (await treeLines(tree(view, 4)))[0]).toMatch(/^unchanged ▾ bin\/ 1.9\dMB/);
    await view.getByLabel('Sort by size').uncheck();
    await screenshot(page, 'layers-files-tree');
  });

  it('shows each layer’s instruction readably at 1280×800 and 1024×700, whole on hover and for the picked layer', async () => {
    const view = details();
    const list = view.getByRole('listbox', { name: 'Layers' });
    const option = list.getByRole('option', { name: /^Layer 2,/ });
    await pickLayer(view, 2);
    const full = (await option.getAttribute('aria-label'))!.replace(/^[^:]*: /, '');
    expect(full).toMatch(/^RUN mkdir \/data && echo first > \/data\/notes.txt/);
    expect(full.length).toBeGreaterThan(80);
    const sizes = [
      [1280, 800],
      [1024, 700],
    ] as const;
    const theme = await page.evaluate(() => document.documentElement.dataset.theme ?? 'system');
    for (const [width, height] of sizes) {
      await page.setViewportSize({ width, height });
      for (const look of ['light', 'dark']) {
        await page.evaluate((name) => (document.documentElement.dataset.theme = name), look);
        await screenshot(page, `layers-files-instruction-${width}x${height}-${look}`);
        // The characters in sight: the text's share of its cell's visible width (the font is monospaced).
        const shown = await option.locator('.command').evaluate((cell) => {
          const text = cell.textContent ?? '';
          return Math.floor((text.length * cell.clientWidth) / Math.max(cell.clientWidth, cell.scrollWidth));
        });
        expect(shown, `characters of the instruction in sight at ${width}×${height}`).toBeGreaterThanOrEqual(40);
        // The whole of it: on hover, and for the picked layer written out in full (wrapped, nothing cut).
        expect(await option.getAttribute('title')).toContain(full);
        const picked = view.getByRole('note', { name: 'Instruction of layer 2' });
        expect((await picked.textContent())?.trim()).toBe(full);
        expect(
          await picked.evaluate((el) => el.scrollWidth <= el.clientWidth && el.scrollHeight <= el.clientHeight),
        ).toBe(true);
        // The file tree keeps room to be used.
        expect((await tree(view, 2).boundingBox())!.height).toBeGreaterThan(150);
      }
    }
    await page.evaluate((name) => (document.documentElement.dataset.theme = name), theme);
    await page.setViewportSize({ width: 1400, height: 900 });
  });

  it('walks the file tree with Right and Left: into a folder, back to it, closed, and to a folder pages above', async () => {
    const view = details();
    const grid = tree(view, 2);
    const shown = () => view.getByLabel('Shown rows').textContent();
    const bin = grid.getByRole('row', { name: /bin\// });
    await bin.click();
    await expect.poll(focusedRow).toMatch(/^1 .*bin\//);
    const all = await shown();
    expect(await bin.getAttribute('aria-expanded')).toBe('true');

    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => bin.getAttribute('aria-expanded')).toBe('false');
    await expect.poll(shown).not.toBe(all);
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => bin.getAttribute('aria-expanded')).toBe('true');
    await expect.poll(shown).toBe(all);
    await page.keyboard.press('ArrowRight');
    await expect.poll(focusedRow).toMatch(/^2 .*\[ → busybox/);
    await page.keyboard.press('ArrowLeft');
    await expect.poll(focusedRow).toMatch(/^1 .*bin\//);

    // From /data's last file: up to /data, close it, then from bin's last file to bin, whose row is on a page
    // that closing /data dropped (the rows were fetched again from where the view stands).
    await grid.evaluate((element) => (element.parentElement!.scrollTop = element.parentElement!.scrollHeight));
    await grid
      .getByRole('row', { name: /notes\.txt/ })
      .filter({ hasNotText: '→' })
      .click();
    await expect.poll(focusedRow).toMatch(/^2 .*notes\.txt/);
    await page.keyboard.press('ArrowLeft');
    await expect.poll(focusedRow).toMatch(/^1 .*data\//);
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => grid.getByRole('row', { name: /data\// }).getAttribute('aria-expanded')).toBe('false');
    await page.keyboard.press('ArrowUp');
    await expect.poll(focusedRow).toMatch(/^2 /);
    expect(await grid.locator('[aria-rowindex="2"]').count()).toBe(0);
    await page.keyboard.press('ArrowLeft');
    await expect.poll(focusedRow).toMatch(/^1 .*bin\//);
    expect(await bin.getAttribute('aria-rowindex')).toBe('2');
    await screenshot(page, 'layers-files-tree-keys');
    await view.getByRole('button', { name: 'Expand all' }).click();
    await expect.poll(shown).toBe(all);
  });

  it('follows a history row to that layer’s files', async () => {
    const view = details();
    await view.getByRole('tab', { name: 'History' }).click();
    await view.getByRole('button', { name: 'Show the files of layer 3' }).click();
    expect(await view.getByRole('tab', { name: 'Files' }).getAttribute('aria-selected')).toBe('true');
    const option = view.getByRole('option', { name: /^Layer 3,/ });
    await expect.poll(() => option.getAttribute('aria-selected')).toBe('true');
    await tree(view, 3).waitFor();
    await view.getByRole('button', { name: 'Close details' }).click();
  });

  it('shows progress while a big image is read, and Cancel stops it', async () => {
    await imageRow(BIG)
      .getByRole('button', { name: BIG.split(':')[0]! })
      .click();
    const view = page.getByRole('region', { name: `Image ${BIG}` });
    await view.getByRole('tab', { name: 'Files' }).click();
    const bar = view.getByRole('progressbar', { name: 'Read progress' });
    await bar.waitFor();
    // The engine's image size is the estimate; bytes flow once the engine has laid out its archive.
    await expect.poll(() => bar.getAttribute('aria-valuetext')).toMatch(/about 30\dMB/);
    await screenshot(page, 'layers-files-reading');
    await view.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => view.getByRole('status').textContent()).toContain('was cancelled');
    await view.getByRole('button', { name: 'Read again' }).click();
    await view.getByRole('listbox', { name: 'Layers' }).waitFor({ timeout: 60_000 });
    await view.getByLabel('Filter paths').fill('zeros');
    await expect
      .poll(() => treeLines(tree(view, 2)))
      .toEqual([expect.stringMatching(/^A added zeros 300MB -rw-r--r-- 0:0$/)]);
    await view.getByRole('button', { name: 'Close details' }).click();
  });

  it('opens an image archive from a typed path, without the engine, to the same figures', async () => {
    await page.getByRole('button', { name: 'Open archive…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Open an image archive' });
    await dialog.getByLabel('Archive path').fill(archivePath);
    await dialog.getByRole('button', { name: 'Open' }).click();
    const panel = page.getByRole('region', { name: 'Archive files.tar' });
    await panel.getByRole('listbox', { name: 'Layers' }).waitFor({ timeout: 30_000 });
    const fromFile = await strataAnalyze(archivePath);
    const text = (await panel.getByRole('region', { name: /Efficiency/ }).textContent())?.replace(/\s+/g, ' ');
    expect(text).toContain(`Efficiency score ${percent(fromFile.efficiency)}`);
    expect(text).toContain(bytesWithExact(fromFile.wastedBytes));
    expect(fromFile.efficiency).toBe(expected.efficiency);
    await pickLayer(panel, 4);
    await panel.getByLabel('Filter paths').fill('notes');
    await expect
      .poll(() => treeLines(tree(panel, 4)))
      .toEqual([expect.stringMatching(/^M modified ▾ data\//), expect.stringMatching(/^R removed notes.txt/)]);
    await screenshot(page, 'layers-files-archive');

    await panel.getByRole('button', { name: 'Maximize' }).click();
    await screenshot(page, 'layers-files-maximized');
    await page.keyboard.press('Escape');
    await panel.getByRole('button', { name: 'Close archive' }).click();

    await page.getByRole('button', { name: 'Open archive…' }).click();
    await dialog.getByLabel('Archive path').fill(join(dir, 'missing.tar'));
    await dialog.getByRole('button', { name: 'Open' }).click();
    await expect
      .poll(() => page.getByRole('region', { name: 'Archive missing.tar' }).getByRole('alert').textContent())
      .toContain('There is no file at');
    expect(consoleErrors).toEqual([]);
  });

  it('stays responsive with 50,000 files: renders only the rows in view, scrolls and filters', async () => {
    const many = join(dir, 'many.tar');
    await writeManyFilesArchive(many);
    await page.getByRole('button', { name: 'Open archive…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Open an image archive' });
    await dialog.getByLabel('Archive path').fill(many);
    await dialog.getByRole('button', { name: 'Open' }).click();
    const panel = page.getByRole('region', { name: 'Archive many.tar' });
    await panel.getByRole('listbox', { name: 'Layers' }).waitFor({ timeout: 60_000 });
    const grid = tree(panel, 1);
    await expect.poll(() => panel.getByLabel('Shown rows').textContent()).toMatch(/^\s*50,501 rows/);
    expect(await grid.getAttribute('aria-rowcount')).toBe('50502');
    expect(await grid.getByRole('row').count()).toBeLessThan(100);

    // To the very end by scrolling: the last rows arrive as a page of their own.
    await grid.evaluate((element) => {
      const scroller = element.parentElement!;
      scroller.scrollTop = scroller.scrollHeight;
    });
    await expect.poll(async () => (await treeLines(grid)).at(-1)).toMatch(/^A added file99.so 0B -rw-r--r-- 0:0$/);
    expect(await grid.getByRole('row').count()).toBeLessThan(100);
    await screenshot(page, 'layers-files-50k');

    // The keyboard moves through the whole tree too.
    await grid.evaluate((element) => (element.parentElement!.scrollTop = 0));
    await grid.getByRole('row', { name: /usr\// }).first().click();
    await page.keyboard.press('End');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent ?? '')).toContain('file99.so');
    // Scrolled away from that row, the grid takes Tab in its place and hands the focus back to it.
    await grid.evaluate((element) => (element.parentElement!.scrollTop = 0));
    await expect.poll(() => grid.getAttribute('tabindex')).toBe('0');
    await grid.focus();
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent ?? '')).toContain('file99.so');
    expect(await grid.getAttribute('tabindex')).toBe('-1');
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => panel.getByLabel('Shown rows').textContent()).toMatch(/^\s*50,401 rows/);
    // Left from the last folder's last file: to that folder (d99, by name), closes it, then to /usr, 250 pages above.
    await page.keyboard.press('End');
    await expect.poll(focusedRow).toMatch(/^3 .*file99\.so/);
    await page.keyboard.press('ArrowLeft');
    await expect.poll(focusedRow).toMatch(/^2 .*d99\//);
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => panel.getByLabel('Shown rows').textContent()).toMatch(/^\s*50,301 rows/);
    expect(await grid.locator('[aria-rowindex="2"]').count()).toBe(0);
    await page.keyboard.press('ArrowLeft');
    await expect.poll(focusedRow).toMatch(/^1 .*usr\//);
    await page.keyboard.press('ArrowRight');
    await expect.poll(focusedRow).toMatch(/^2 .*d0\//);
    await screenshot(page, 'layers-files-keyboard');

    await page.keyboard.press('End');
    await panel.getByLabel('Filter paths').fill('d42/file7');
    await expect.poll(() => treeLines(grid)).toHaveLength(13);
    // The tree shrank under the row the keyboard was on: its last row takes Tab now.
    expect(await grid.locator('[role="row"][tabindex="0"]').textContent()).toContain('file79.so');
    await panel.getByRole('button', { name: 'Close archive' }).click();
    expect(consoleErrors).toEqual([]);
  });
});
