import Docker from 'dockerode';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { humanSize } from '$shared/images/format';
import { normalizeImageId } from '../../src-main/core/images/image-id';
import { familiarNames } from '$shared/images/reference';
import { BUSYBOX, describeWithEngine, onPodman } from '../integration/engine-available';
import { buildFixture } from '../integration/images/fixtures';
import { launchChromium, openApp, screenshot, startPreview, type Preview } from './harness';

const REPO = `strata-e2e-everyday-${process.pid}`;
// How the busybox import's history entry reads: blank on Docker (shown "(imported)"), Buildah's ADD line on Podman.
const IMPORTED = onPodman ? /ADD file:[0-9a-f]{64} in \// : /\(imported\)/;
// What a commit of `echo hello > /new-file` adds: on Podman also the mount points it puts in every container.
const ADDED = onPodman
  ? ['/etc/hostname', '/etc/hosts', '/etc/mtab', '/new-file', '/run/.containerenv']
  : ['/new-file'];
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** How the app names a commit's layer: by the command the engine recorded (Podman records "/bin/sh" alone). */
const committedBy = (createdBy: string) => (onPodman ? createdBy : 'ln -s /bin/busybox /mylink');

/** A container from busybox that ran `script`, stopped, as a commit source. */
async function commitOf(docker: Docker, script: string, options: { repo?: string; tag?: string; comment?: string }) {
  const c = await docker.createContainer({
    Image: BUSYBOX,
    Cmd: ['sh', '-c', script],
    HostConfig: { NetworkMode: 'none' },
  });
  await c.start();
  await c.wait();
  const made = (await c.commit({ ...options })) as { Id: string };
  await c.remove();
  // Podman answers the commit with the bare hex ID; asked for by it once gone, Podman says 500, not 404.
  return normalizeImageId(made.Id);
}

/**
 * Disk the images' layers take, each layer (keyed by the layers under it) once, from the engine's own figures:
 * each image's RootFS layers and the sizes of the history entries that made them. For Podman, whose /system/df
 * reports 0B of layers.
 */
async function layersOnDisk(docker: Docker): Promise<number> {
  const sizes = new Map<string, number>();
  for (const image of await docker.listImages()) {
    const diffIds = (await docker.getImage(image.Id).inspect()).RootFS.Layers ?? [];
    const made = (await docker.getImage(image.Id).history())
      .reverse()
      .filter((entry: { Size: number }) => entry.Size > 0)
      .map((entry: { Size: number }) => entry.Size);
    expect(made).toHaveLength(diffIds.length);
    diffIds.forEach((_, i) => sizes.set(diffIds.slice(0, i + 1).join(' '), made[i]!));
  }
  return [...sizes.values()].reduce((sum, size) => sum + size, 0);
}

describeWithEngine('images: everyday use in the browser preview', () => {
  let preview: Preview;
  let browser: Browser;
  let page: Page;
  let consoleErrors: string[];
  const docker = new Docker();
  const workDir = mkdtempSync(join(tmpdir(), 'strata-e2e-everyday-'));
  let committedId: string;
  const cleanupImages: string[] = [];

  const row = (reference: string) => page.getByRole('row').filter({ hasText: reference });

  beforeAll(async () => {
    committedId = await commitOf(docker, 'echo hello > /new-file', {
      repo: `${REPO}/committed`,
      tag: '1',
      comment: 'Add the new file',
    });
    cleanupImages.push(committedId);
    // Built, not committed: Podman's commit records "/bin/sh" as created_by, not the command the container ran.
    cleanupImages.push(
      await buildFixture(docker, {
        tag: `${REPO}/long:1`,
        dockerfile: `FROM ${BUSYBOX}\nRUN echo ${'x'.repeat(240)} > /long-file\n`,
      }),
    );
    // Tags that sort wrongly as plain text, and enough rows to scroll the header over.
    for (const t of ['t1', 't2', 't10', 't100']) await docker.getImage(BUSYBOX).tag({ repo: `${REPO}/sorted`, tag: t });
    for (let i = 0; i < 30; i++) await docker.getImage(BUSYBOX).tag({ repo: `${REPO}/many`, tag: `n${i}` });
    preview = await startPreview();
    browser = await launchChromium();
    ({ page, consoleErrors } = await openApp(browser, preview));
    await page.setViewportSize({ width: 1200, height: 800 });
    await page.getByRole('table', { name: 'Images' }).waitFor({ timeout: 20_000 });
  });

  afterAll(async () => {
    await browser?.close();
    await preview?.stop();
    for (const c of await docker.listContainers({ all: true })) {
      if (c.Names.some((n) => n.startsWith(`/${REPO}`)) || cleanupImages.includes(c.ImageID)) {
        await docker
          .getContainer(c.Id)
          .remove({ force: true })
          .catch(() => undefined);
      }
    }
    for (const image of await docker.listImages()) {
      // Podman names them docker.io/…: compared by the familiar name.
      const mine = familiarNames(image.RepoTags).filter((t) => t.startsWith(`${REPO}/`));
      for (const t of mine)
        await docker
          .getImage(t)
          .remove()
          .catch(() => undefined);
    }
    for (const id of cleanupImages)
      await docker
        .getImage(id)
        .remove({ force: true })
        .catch(() => undefined);
    rmSync(workDir, { recursive: true, force: true });
  });

  it('sorts tags naturally, keeps the header clickable over scrolled rows, and says when nothing matches', async () => {
    const filter = page.getByLabel('Filter images');
    await filter.fill(`${REPO}/sorted`);
    await page.getByRole('button', { name: 'Tag', exact: true }).click();
    await expect
      .poll(
        async () => (await page.getByRole('table', { name: 'Images' }).getByRole('row').allTextContents()).slice(1),
        {
          timeout: 15_000,
        },
      )
      .toHaveLength(4);
    // innerText keeps the cells apart (a tag "t1" beside an image ID "3f…" reads "t13" as textContent).
    const tags = (await page.getByRole('table', { name: 'Images' }).getByRole('row').allInnerTexts())
      .slice(1)
      .map((t) => /(?:^|\s)(t\d+)(?=\s|$)/.exec(t)?.[1]);
    expect(tags).toEqual(['t1', 't2', 't10', 't100']);

    // Rows under the sticky header must not take its clicks.
    await filter.fill('');
    const scroller = page.locator('.scroller');
    await scroller.evaluate((el) => (el.scrollTop = 290));
    await expect.poll(() => scroller.evaluate((el) => el.scrollTop)).toBeGreaterThan(200);
    const header = page.getByRole('columnheader', { name: /Repository/ });
    await page.getByRole('button', { name: /^Repository/ }).click({ timeout: 5000 });
    await expect.poll(() => header.getAttribute('aria-sort')).toBe('ascending');
    expect(await page.getByRole('region', { name: /^Image / }).count()).toBe(0);

    // The "N tags" chip and a long age fit their columns.
    await filter.fill(`${REPO}/many`);
    const cells = await page
      .getByRole('table', { name: 'Images' })
      .locator('tbody tr:not(.spacer)')
      .first()
      .evaluate((tr) => {
        const id = tr.children[3] as HTMLElement;
        const created = tr.children[4] as HTMLElement;
        const before = created.textContent;
        created.textContent = 'About a minute ago';
        const fits = {
          id: id.scrollWidth <= id.clientWidth,
          created: created.scrollWidth <= created.clientWidth,
          chip: id.textContent,
        };
        created.textContent = before;
        return fits;
      });
    expect(cells.chip).toMatch(/\d+ tags/);
    expect(cells).toMatchObject({ id: true, created: true });

    await filter.fill('no-such-image-anywhere');
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'No images match' }).textContent())
      .toContain('No images match “no-such-image-anywhere”');
    // The totals say how many rows the filter hides, not "0 images" and "sizes add up to 0B".
    const totals = (await page.getByLabel('Shown totals').textContent()) ?? '';
    expect(totals).toMatch(/^\s*0 of \d+ rows shown/);
    expect(totals).not.toContain('add up to');
    await screenshot(page, 'images-no-match');
    await filter.fill('');
  });

  it('keeps its toolbar on one row at 1024 px, and a tag or repository cut to its column shows whole on hover', async () => {
    const tag = '2024.06-with-a-rather-long-tag-name-that-the-column-cuts';
    const repository = `${REPO}/a-rather-long-repository-name-that-the-column-cuts-as-well`;
    await docker.getImage(BUSYBOX).tag({ repo: repository, tag });
    await page.setViewportSize({ width: 1024, height: 700 });
    try {
      // Every toolbar control on the row of the view's title: no second row taken from the list.
      const title = (await page.getByRole('heading', { name: 'Images', level: 1 }).boundingBox())!;
      for (const control of [
        page.getByLabel('Filter images'),
        page.getByRole('button', { name: 'Refresh' }),
        page.getByRole('button', { name: 'Load…' }),
        page.getByRole('button', { name: 'Import…' }),
        page.getByRole('button', { name: 'Prune…' }),
      ]) {
        const box = (await control.boundingBox())!;
        expect(Math.abs(box.y + box.height / 2 - (title.y + title.height / 2))).toBeLessThan(box.height / 2);
        expect(box.x + box.width).toBeLessThanOrEqual(1024);
      }

      await page.getByLabel('Filter images').fill(repository);
      const cells = row(tag).getByRole('cell');
      await cells.first().waitFor({ timeout: 15_000 });
      const tagCell = cells.nth(2);
      expect(await tagCell.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
      expect(await tagCell.getAttribute('title')).toBe(tag);
      const open = row(tag).getByRole('button', { name: repository });
      expect(await open.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
      expect(await open.getAttribute('title')).toBe(`${repository}: open details`);
      await screenshot(page, 'images-1024px');
    } finally {
      await page.getByLabel('Filter images').fill('');
      await page.setViewportSize({ width: 1200, height: 800 });
    }
    expect(consoleErrors).toEqual([]);
  });

  it('counts disk use as the engine does, each shared layer once', async () => {
    const df = (await docker.df()) as { LayersSize: number; Images: Array<{ Size: number }> };
    const summed = (await docker.listImages()).reduce((sum, i) => sum + i.Size, 0);
    // Podman's /system/df reports 0B of layers: the app adds up each image's layers itself, each layer once.
    const onDisk = onPodman ? await layersOnDisk(docker) : df.LayersSize;
    if (onPodman) expect(df.LayersSize).toBe(0);
    expect(summed).toBeGreaterThan(onDisk);
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect
      .poll(() => page.getByLabel('Shown totals').textContent(), { timeout: 15_000 })
      .toContain(`${humanSize(onDisk)} on disk for all images`);
    expect(await page.getByLabel('Shown totals').textContent()).toContain(`sizes shown add up to ${humanSize(summed)}`);
  });

  it('removes an image used by a running container: stops and removes the container, then the image', async () => {
    const id = await commitOf(docker, 'echo x > /x', { repo: `${REPO}/busy`, tag: '1' });
    cleanupImages.push(id);
    const user = await docker.createContainer({
      Image: `${REPO}/busy:1`,
      name: `${REPO}-user`,
      Cmd: ['sleep', '600'],
      HostConfig: { NetworkMode: 'none' },
    });
    await user.start();
    await page.getByLabel('Filter images').fill(`${REPO}/busy`);
    await row(`${REPO}/busy`).getByRole('checkbox').check();
    await page.getByRole('toolbar', { name: 'Selection' }).getByRole('button', { name: 'Remove…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Remove image?' });
    await expect.poll(() => dialog.textContent()).toContain('used by running container ');
    const remove = dialog.getByRole('button', { name: /^Remove/ });
    expect(await remove.isDisabled()).toBe(true);
    await dialog.getByLabel(/Stop and remove the containers that use it, then the image/).check();
    await expect.poll(() => dialog.getByLabel('Containers to remove').textContent()).toContain(`${REPO}-user`);
    // Destructive: the button is the danger colour.
    const colours = await remove.evaluate((el) => {
      const probe = document.createElement('span');
      probe.style.color = 'var(--danger)';
      document.body.append(probe);
      const danger = getComputedStyle(probe).color;
      probe.remove();
      return { background: getComputedStyle(el).backgroundColor, danger };
    });
    expect(colours.background).toBe(colours.danger);
    await screenshot(page, 'images-remove-with-containers');
    await dialog.getByRole('button', { name: 'Remove containers and image' }).click();
    await expect
      .poll(() => page.getByRole('status').first().textContent(), { timeout: 30_000 })
      .toContain('Removed 1 image');
    expect(await user.inspect().catch((e: { statusCode?: number }) => e.statusCode)).toBe(404);
    expect(
      await docker
        .getImage(id)
        .inspect()
        .catch((e: { statusCode?: number }) => e.statusCode),
    ).toBe(404);
    await page.getByLabel('Filter images').fill('');
  });

  it('prune explains a dangling image kept because a container uses it, and offers no empty prune', async () => {
    const dangling = await commitOf(docker, 'echo d > /d', {});
    cleanupImages.push(dangling);
    const user = await docker.createContainer({
      Image: dangling,
      name: `${REPO}-dangling-user`,
      Cmd: ['true'],
      HostConfig: { NetworkMode: 'none' },
    });
    // Only this one dangling image may exist for the plan to be empty: others of this engine are not ours to prune.
    const others = (await docker.listImages({ filters: { dangling: ['true'] } })).filter((i) => i.Id !== dangling);
    await page.getByRole('button', { name: 'Prune…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Prune dangling images' });
    if (others.length === 0) {
      await expect.poll(() => dialog.textContent(), { timeout: 15_000 }).toContain('used by containers');
      expect(await dialog.getByLabel('Dangling images in use').textContent()).toContain(`${REPO}-dangling-user`);
      expect(await dialog.getByRole('button', { name: /^Prune/ }).count()).toBe(0);
      await screenshot(page, 'images-prune-in-use');
    } else {
      await expect.poll(() => dialog.textContent(), { timeout: 15_000 }).toMatch(/\bgo(es)?\.|used by containers/);
    }
    await dialog.getByRole('button', { name: /^(Close|Cancel)$/ }).click();
    await user.remove();
  });

  it('asks before a save replaces a file, and a load of a missing file names it', async () => {
    const file = join(workDir, 'exists.tar');
    writeFileSync(file, 'keep me');
    await page.getByLabel('Filter images').fill(`${REPO}/committed`);
    await row(`${REPO}/committed`)
      .getByRole('button', { name: `${REPO}/committed` })
      .click();
    const details = page.getByRole('region', { name: `Image ${REPO}/committed:1` });
    await details.getByRole('button', { name: 'Save…' }).click();
    const save = page.getByRole('dialog', { name: /^Save / });
    // A path the save cannot take is answered with what to type, not a Save button that stays grey.
    await save.getByLabel('File').fill('images/exists.tar');
    await save.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(() => save.getByRole('alert').textContent())
      .toContain('Type an absolute path (starting with / or ~/): "images/exists.tar" is relative.');
    await save.getByLabel('File').fill('~/exists.tar');
    expect(await save.getByRole('button', { name: 'Save' }).isEnabled()).toBe(true);
    await save.getByLabel('File').fill(file);
    await save.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => save.getByRole('alert').textContent()).toContain(`${file} already exists. Replace it`);
    expect((await import('node:fs')).readFileSync(file, 'utf8')).toBe('keep me');
    await save.getByRole('button', { name: 'Replace' }).click();
    await expect
      .poll(() => page.getByRole('status').first().textContent(), { timeout: 30_000 })
      .toContain(`to ${file}`);
    expect((await import('node:fs')).statSync(file).size).toBeGreaterThan(1000);

    await page.getByRole('button', { name: 'Load…' }).click();
    const load = page.getByRole('dialog', { name: 'Load images from a tar file' });
    const missing = join(workDir, 'missing.tar');
    await load.getByLabel('File').fill(missing);
    await load.getByRole('button', { name: 'Load' }).click();
    await expect.poll(() => load.getByRole('alert').textContent()).toContain(`The file ${missing} does not exist`);
    expect(await load.getByRole('alert').textContent()).not.toContain('Engine answered');
    await load
      .getByRole('button', { name: /Close|Cancel/ })
      .first()
      .click();
  });

  it('opens an image from the Ctrl+K palette by its tag, with Untag available', async () => {
    await page.keyboard.press('Control+k');
    const search = page.getByLabel('Search commands, images and containers');
    await search.fill(`${REPO}/sorted:t10`);
    await page
      .getByRole('option', { name: new RegExp(`${REPO}/sorted:t10`) })
      .first()
      .click();
    const details = page.getByRole('region', { name: `Image ${REPO}/sorted:t10` });
    await details.waitFor({ timeout: 10_000 });
    expect(await details.getByRole('button', { name: 'Untag' }).isDisabled()).toBe(false);
  });

  it('history: counts in good English, full text only where the line is cut, and then not cut', async () => {
    await page.getByLabel('Filter images').fill(`${REPO}/long`);
    await row(`${REPO}/long`)
      .getByRole('button', { name: `${REPO}/long` })
      .click();
    const details = page.getByRole('region', { name: `Image ${REPO}/long:1` });
    await details.getByRole('tab', { name: 'History' }).click();
    const base = await docker.getImage(BUSYBOX).inspect();
    const layers = (base.RootFS.Layers ?? []).length + 1;
    const entries = (await docker.getImage(`${REPO}/long:1`).history()).length;
    await expect
      .poll(() => details.locator('.summary').textContent())
      .toContain(
        `${layers} layer${layers === 1 ? '' : 's'}, ${entries} history ${entries === 1 ? 'entry' : 'entries'}.`,
      );
    const history = details.getByRole('table', { name: 'History' });
    const links = history.getByRole('button', { name: /Show full text of entry/ });
    // Only the long RUN line is cut; the short busybox entries get no link. On Podman busybox's import entry is
    // "/bin/sh -c #(nop) ADD file:<64 hex> in /", cut as well.
    await expect.poll(() => links.count()).toBe(onPodman ? 2 : 1);
    await links.last().click();
    const full = details.getByLabel('Full created_by');
    await expect.poll(() => full.last().textContent()).toContain(`${'x'.repeat(240)} > /long-file`);
    const box = await full.last().evaluate((el) => ({
      cut: el.scrollWidth > el.clientWidth + 1,
      overflow: getComputedStyle(el).textOverflow,
      wrap: getComputedStyle(el).whiteSpace,
    }));
    expect(box).toEqual({ cut: false, overflow: 'clip', wrap: 'pre-wrap' });
    await screenshot(page, 'images-history-full-text');
    await details.getByRole('button', { name: 'Close details' }).click();
  });

  it('History and Files agree on a symlink layer: the same size and the same names', async () => {
    const id = await commitOf(docker, 'ln -s /bin/busybox /mylink', { repo: `${REPO}/symlink`, tag: '1' });
    cleanupImages.push(id);
    const history = await docker.getImage(id).history();
    const engineSize = humanSize(history[0]!.Size);
    await page.getByLabel('Filter images').fill(`${REPO}/symlink`);
    await row(`${REPO}/symlink`)
      .getByRole('button', { name: `${REPO}/symlink` })
      .click();
    const details = page.getByRole('region', { name: `Image ${REPO}/symlink:1` });
    await details.getByRole('tab', { name: 'History' }).click();
    const table = details.getByRole('table', { name: 'History' });
    await expect.poll(() => table.getByRole('row').last().textContent()).toContain(engineSize);
    // Docker's import leaves the history entry blank, shown "(imported)"; Podman's writes "ADD file:<hex> in /".
    await expect.poll(() => table.getByRole('row').nth(1).textContent()).toMatch(IMPORTED);
    await details.getByRole('tab', { name: 'Files' }).click();
    const layers = details.getByRole('listbox', { name: 'Layers' });
    await layers.waitFor({ timeout: 30_000 });
    const options = layers.getByRole('option');
    const count = await options.count();
    await expect
      .poll(() => options.nth(count - 1).getAttribute('aria-label'))
      .toMatch(new RegExp(`^Layer ${count}, ${engineSize},[\\s\\S]*${escape(committedBy(history[0]!.CreatedBy))}`));
    expect(await options.first().getAttribute('aria-label')).toMatch(
      onPodman ? /: ADD file:[0-9a-f]{64} in \/$/ : /: \(imported\)$/,
    );
    await screenshot(page, 'images-files-symlink');
    await details.getByRole('button', { name: 'Close details' }).click();
  });

  it('compares a commit with its base: base as A, the layer named by its message, and the one new file added', async () => {
    await page.getByLabel('Filter images').fill(`${REPO}/committed`);
    await row(`${REPO}/committed`)
      .getByRole('button', { name: `${REPO}/committed` })
      .click();
    const details = page.getByRole('region', { name: `Image ${REPO}/committed:1` });
    const base = await docker.getImage(BUSYBOX).inspect();
    // Sized by its prompt, not stretched to the longest tag among the options (this suite tags a long one).
    expect((await details.getByLabel('Compare with').boundingBox())!.width).toBeLessThanOrEqual(220);
    await details.getByLabel('Compare with').selectOption({ value: base.Id });
    const compare = page.getByRole('region', { name: 'Compare images' });
    // The base is A even though the comparison started from the derived image, which keeps the tag it was opened by.
    // A is labelled by one of the base's tags: the first the engine lists (Docker and Podman order them differently).
    await expect
      .poll(() => compare.locator('header').textContent())
      .toMatch(new RegExp(`A\\s*\\S+[\\s\\S]*B\\s*${REPO}/committed:1`));
    const labelA = /A\s*(\S+)/.exec((await compare.locator('header').textContent()) ?? '')?.[1];
    expect(familiarNames(base.RepoTags)).toContain(labelA);
    const layers = compare.getByRole('table', { name: 'Layers' });
    await layers.waitFor({ timeout: 20_000 });
    const added = layers.getByRole('row', { name: /only in B/ });
    await expect.poll(() => added.textContent()).toContain('Commit: Add the new file');
    expect(await layers.getByRole('row', { name: /only in A/ }).count()).toBe(0);
    const configTitle = (await compare.getByRole('heading', { name: /^Config/ }).textContent()) ?? '';
    const differ = /\((\d+) (fields? differs?)\)/.exec(configTitle);
    expect(differ).not.toBeNull();
    expect(differ![2]).toBe(differ![1] === '1' ? 'field differs' : 'fields differ');
    await screenshot(page, 'compare-commit-layers');

    // Files: exactly one path added, /new-file, and nothing else changed; on Podman the layer also holds the
    // mount points it adds to every container it runs (empty files, and /etc/mtab's link), as Podman committed them.
    await compare.getByRole('tab', { name: 'Files' }).click();
    const files = compare.getByRole('table', { name: 'Changed files' });
    await files.waitFor({ timeout: 30_000 });
    await expect
      .poll(() => compare.getByLabel('File totals').textContent())
      .toMatch(new RegExp(`${ADDED.length} files? added[\\s\\S]*0 modified[\\s\\S]*0 removed`));
    const rows = await files.getByRole('row').allTextContents();
    expect(
      rows
        .slice(1)
        .map((r) => /added\s*(\/[^\s—]+)/.exec(r)?.[1])
        .sort(),
    ).toEqual(ADDED);
    expect(rows.find((r) => r.includes('/new-file'))).toMatch(/added\s*\/new-file\s*—\s*6B/);
    await compare.getByLabel('Filter changed files').fill('nothing-like-this');
    await expect.poll(() => compare.textContent()).toContain('No changed file matches the filter.');
    await compare.getByLabel('Filter changed files').fill('new');
    await expect.poll(() => files.getByRole('row').count()).toBe(2);
    await compare.getByRole('button', { name: 'removed' }).click();
    await expect.poll(() => compare.textContent()).toContain('No changed file matches the filter.');
    await compare.getByRole('button', { name: 'removed' }).click();
    await screenshot(page, 'compare-files');

    // A click on a layer opens that image's Files tab at it.
    await compare.getByRole('tab', { name: 'Layers and config' }).click();
    await compare
      .getByRole('button', { name: `Show the files of layer ${(base.RootFS.Layers ?? []).length + 1} of B` })
      .click();
    const shown = page.getByRole('region', { name: /^Image / });
    await expect.poll(() => shown.getByRole('tab', { name: 'Files' }).getAttribute('aria-selected')).toBe('true');
    await expect
      .poll(() => shown.textContent(), { timeout: 20_000 })
      .toContain(`After layer ${(base.RootFS.Layers ?? []).length + 1} of ${(base.RootFS.Layers ?? []).length + 1}`);
    await shown.getByRole('button', { name: 'Close details' }).click();

    // Opened by its second tag, an image is labelled by that tag in the comparison.
    await page.getByLabel('Filter images').fill(`${REPO}/sorted:t10`);
    await page
      .getByRole('row')
      .filter({ has: page.getByRole('cell', { name: 't10', exact: true }) })
      .getByRole('button', { name: `${REPO}/sorted` })
      .click();
    await page
      .getByRole('region', { name: `Image ${REPO}/sorted:t10` })
      .getByLabel('Compare with')
      .selectOption({ value: committedId });
    const again = page.getByRole('region', { name: 'Compare images' });
    await expect.poll(() => again.locator('header').textContent()).toMatch(new RegExp(`A\\s*${REPO}/sorted:t10\\s`));
    await again.getByRole('tab', { name: 'Files' }).click();
    await again.getByRole('table', { name: 'Changed files' }).waitFor({ timeout: 30_000 });

    // Click through: B's Files tab at the layer that made the file.
    const newLayer = (base.RootFS.Layers ?? []).length + 1;
    await again
      .getByRole('table', { name: 'Changed files' })
      .getByRole('button', { name: `Show /new-file in the files of B, layer ${newLayer}` })
      .click();
    const opened = page.getByRole('region', { name: /^Image / });
    await expect.poll(() => opened.getByRole('tab', { name: 'Files' }).getAttribute('aria-selected')).toBe('true');
    await expect
      .poll(() => opened.textContent(), { timeout: 20_000 })
      .toContain(`After layer ${newLayer} of ${newLayer}`);
    expect(committedId).toContain(await opened.evaluate((el) => el.getAttribute('aria-label')!.replace('Image ', '')));
    expect(consoleErrors).toEqual([]);
  });
});
