import Docker from 'dockerode';
import { execFileSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { BUSYBOX, describeWithEngine, onPodman } from '../integration/engine-available';
import { buildFixture, randomFile } from '../integration/images/fixtures';
import { launchChromium, openApp, repoRoot, screenshot, startPreview, type Preview } from './harness';

// Prune deletes every dangling image of an engine, so this suite runs its own isolated test engine, of the
// kind this pass tests (the project's scripts/test-engine.sh, or scripts/test-podman.sh in the Podman pass), in a
// directory of its own instead of the shared one.
const engineDir = mkdtempSync(join(tmpdir(), 'si-'));
const workDir = mkdtempSync(join(tmpdir(), 'strata-e2e-images-'));
const script = join(repoRoot, 'scripts', onPodman ? 'test-podman.sh' : 'test-engine.sh');
const engine = (command: 'start' | 'stop' | 'purge') =>
  execFileSync('bash', [script, command], {
    env: { ...process.env, STRATA_ENGINE_DIR: engineDir, STRATA_PODMAN_DIR: engineDir },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });

const REPO = 'strata-e2e-images';
// The layer of `COPY b` (30,000 bytes of file) as each engine sizes it: Docker counts the files' bytes, Podman
// the layer's tar (headers and padding included). The app shows the engine's own figure.
const COPY_LAYER = onPodman ? '31.7kB' : '30kB';
// The committed layer of 7,000 bytes of /junk: Podman's tar also holds the mount points it adds to every container
// it runs (/etc/hosts, /etc/hostname, /run/.containerenv, /dev, /proc, /sys), 13,312 bytes in all.
const DANGLING_LAYER = onPodman ? '13.3kB' : '7kB';

describeWithEngine('images in the browser preview', () => {
  let preview: Preview;
  let browser: Browser;
  let page: Page;
  let consoleErrors: string[];
  let docker: Docker;
  let host: string;
  let danglingId: string;
  const cli = (...args: string[]) =>
    execFileSync('docker', args, { env: { ...process.env, DOCKER_HOST: host }, encoding: 'utf8' });

  beforeAll(async () => {
    host = engine('start')
      .trim()
      .split('\n')
      .at(-1)!
      .replace(/^DOCKER_HOST=/, '');
    docker = new Docker({ socketPath: host.replace(/^unix:\/\//, '') });
    await buildFixture(docker, {
      tag: `${REPO}/base:1`,
      dockerfile: `FROM ${BUSYBOX}\nCOPY a /a\nENV STAGE=base\n`,
      files: { a: randomFile(2000) },
    });
    await buildFixture(docker, {
      tag: `${REPO}/app:1`,
      dockerfile: `FROM ${REPO}/base:1\nCOPY b /b\nENV STAGE=app\nCMD ["cat", "/b"]\n`,
      files: { b: randomFile(30_000) },
    });
    const c = await docker.createContainer({
      Image: BUSYBOX,
      Cmd: ['sh', '-c', 'head -c 7000 /dev/urandom > /junk'],
      HostConfig: { NetworkMode: 'none' },
    });
    await c.start();
    await c.wait();
    // Podman's commit answers the bare hex ID, Docker's "sha256:…": the test compares the hex.
    danglingId = ((await c.commit()) as { Id: string }).Id.replace(/^sha256:/, '');
    await c.remove();
    preview = await startPreview({ env: { DOCKER_HOST: host } });
    browser = await launchChromium();
    ({ page, consoleErrors } = await openApp(browser, preview));
    await page.getByRole('table', { name: 'Images' }).waitFor({ timeout: 20_000 });
  });

  afterAll(async () => {
    await browser?.close();
    await preview?.stop();
    try {
      // Podman leaves its storage mounted after it stops: purge unmounts and deletes its directory.
      engine(onPodman ? 'purge' : 'stop');
    } finally {
      rmSync(workDir, { recursive: true, force: true });
      rmSync(engineDir, { recursive: true, force: true });
    }
  });

  const row = (reference: string) =>
    page.getByRole('row').filter({ has: page.getByRole('checkbox', { name: `Select ${reference}`, exact: true }) });
  const firstDataRow = () => page.getByRole('table', { name: 'Images' }).getByRole('row').nth(1);

  it('lists every image, filters and sorts', async () => {
    await row(`${REPO}/app:1`).waitFor();
    await row(BUSYBOX).waitFor();
    await expect.poll(() => page.getByRole('row').filter({ hasText: '<none>' }).count()).toBe(1);
    await expect.poll(() => page.getByLabel('Shown totals').textContent()).toMatch(/4 rows shown · 4 images/);

    await page.getByLabel('Filter images').fill('app');
    await expect.poll(() => page.getByLabel('Shown totals').textContent()).toMatch(/1 row shown/);
    await page.getByLabel('Filter images').fill(danglingId.slice(0, 6));
    await expect.poll(() => page.getByLabel('Shown totals').textContent()).toMatch(/1 row shown/);
    await page.getByLabel('Filter images').fill('');

    await page.getByRole('radio', { name: 'Dangling' }).click();
    await expect.poll(() => page.getByLabel('Shown totals').textContent()).toMatch(/^\s*1 row shown/);
    await page.getByRole('radio', { name: 'All' }).click();

    const sizeHeader = page.getByRole('columnheader', { name: /Size/ });
    await sizeHeader.getByRole('button').click();
    expect(await sizeHeader.getAttribute('aria-sort')).toBe('descending');
    await expect.poll(() => firstDataRow().textContent()).toContain(`${REPO}/app`);
    await sizeHeader.getByRole('button').click();
    expect(await sizeHeader.getAttribute('aria-sort')).toBe('ascending');
    await expect.poll(() => firstDataRow().textContent()).toContain(BUSYBOX.split(':')[0]!);
    await screenshot(page, 'images-list');
  });

  it('opens details and reads the history, each layer with its size', async () => {
    await row(`${REPO}/app:1`)
      .getByRole('button', { name: `${REPO}/app` })
      .click();
    const details = page.getByRole('region', { name: `Image ${REPO}/app:1` });
    await expect.poll(() => details.textContent()).toContain('STAGE=app');
    await details.getByRole('tab', { name: 'History' }).click();
    const history = details.getByRole('table', { name: 'History' });
    const copyRow = history.getByRole('row').filter({ hasText: /COPY file:[0-9a-f]+ in \/b/ });
    await expect.poll(() => copyRow.textContent()).toContain(COPY_LAYER);
    // Podman's image size also counts the manifest and config it stores: the app says so instead of "≠".
    await expect
      .poll(() => details.textContent())
      .toMatch(onPodman ? /\+ [\d.]+k?B of manifest and config = image size/ : /= image size ✓/);
    await expect
      .poll(() => history.getByRole('row').filter({ hasText: 'ENV STAGE=app' }).textContent())
      .toContain('empty');
    await details
      .getByRole('button', { name: /Show full text of entry/ })
      .last()
      .click();
    await expect.poll(() => details.getByLabel('Full created_by').last().textContent()).toContain('/bin/sh -c #(nop)');
    await screenshot(page, 'images-history');

    await details.getByRole('tab', { name: 'Inspect' }).click();
    await details.getByLabel('Search inspect JSON').fill('STAGE');
    await expect.poll(() => details.getByLabel('Inspect JSON', { exact: true }).textContent()).toContain('"STAGE=app"');
    await details.getByRole('button', { name: 'Close details' }).click();
  });

  it('compares two images: the shared base and the layer only B has', async () => {
    await row(`${REPO}/base:1`).getByRole('checkbox').check();
    await row(`${REPO}/app:1`).getByRole('checkbox').check();
    await page.getByRole('toolbar', { name: 'Selection' }).getByRole('button', { name: 'Compare' }).click();
    const compare = page.getByRole('region', { name: 'Compare images' });
    const layers = compare.getByRole('table', { name: 'Layers' });
    await layers.waitFor();
    const kinds = await layers.getByRole('row').allTextContents();
    expect(kinds.slice(1).map((t) => (/shared|only in B|only in A|differs/.exec(t) ?? [''])[0])).toEqual([
      'shared',
      'shared',
      'only in B',
    ]);
    await expect
      .poll(() => compare.getByLabel('Layer totals').textContent())
      .toMatch(new RegExp(`2 shared layers[\\s\\S]*${COPY_LAYER} only in B`));
    const config = compare.getByRole('table', { name: 'Config' });
    // Key by key, side by side: A's value, then B's.
    await expect
      .poll(() => config.getByRole('row', { name: /Env/ }).textContent())
      .toMatch(/STAGE=base[\s\S]*STAGE=app/);
    await screenshot(page, 'images-compare');
    await page.getByRole('toolbar', { name: 'Selection' }).getByRole('button', { name: 'Clear selection' }).click();
    await compare.getByRole('button', { name: 'Close comparison' }).click();
  });

  it('tags with validation, and picks up a tag made from a terminal by itself', async () => {
    await row(BUSYBOX)
      .getByRole('button', { name: BUSYBOX.split(':')[0]! })
      .click();
    await page
      .getByRole('region', { name: `Image ${BUSYBOX}` })
      .getByRole('button', { name: 'Tag…' })
      .click();
    const dialog = page.getByRole('dialog', { name: /^Tag / });
    await dialog.getByLabel('Repository').fill(`${REPO}/Tagged`);
    await expect.poll(() => dialog.getByRole('alert').textContent()).toMatch(/must be lowercase/);
    expect(await dialog.getByRole('button', { name: 'Tag' }).isDisabled()).toBe(true);
    await screenshot(page, 'images-tag-invalid');
    await dialog.getByLabel('Repository').fill(`${REPO}/tagged`);
    await dialog.getByLabel('Tag').fill('v1');
    await dialog.getByRole('button', { name: 'Tag' }).click();
    await expect
      .poll(() => page.getByRole('status').first().textContent(), { timeout: 30_000 })
      .toContain(`as ${REPO}/tagged:v1`);
    await row(`${REPO}/tagged:v1`).waitFor({ timeout: 5000 });

    // From a terminal: the list follows the engine's events within a second.
    cli('tag', BUSYBOX, `${REPO}/from-terminal:1`);
    await row(`${REPO}/from-terminal:1`).waitFor({ timeout: 1500 });
    cli('rmi', `${REPO}/from-terminal:1`);
    await row(`${REPO}/from-terminal:1`).waitFor({ state: 'detached', timeout: 1500 });
  });

  it('removes an image a container uses only with force, saying what force does', async () => {
    const user = await docker.createContainer({
      Image: `${REPO}/app:1`,
      Cmd: ['true'],
      HostConfig: { NetworkMode: 'none' },
    });
    await page
      .getByRole('region', { name: `Image ${BUSYBOX}` })
      .getByRole('button', { name: 'Close details' })
      .click();
    await row(`${REPO}/app:1`).getByRole('checkbox').check();
    await page.getByRole('toolbar', { name: 'Selection' }).getByRole('button', { name: 'Remove…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Remove image?' });
    await expect.poll(() => dialog.textContent()).toContain('used by stopped container ');
    // Podman's forced removal takes the stopped containers along: the dialog says so there.
    await expect
      .poll(() => dialog.textContent())
      .toContain(onPodman ? 'Podman removes the stopped container ' : 'stays and can still start');
    expect(await dialog.getByRole('button', { name: 'Remove', exact: true }).isDisabled()).toBe(true);
    await screenshot(page, 'images-remove');
    await dialog.getByRole('checkbox').check();
    await dialog.getByRole('button', { name: 'Remove with force' }).click();
    await expect
      .poll(() => page.getByRole('status').first().textContent(), { timeout: 30_000 })
      .toContain('Removed 1 image');
    await row(`${REPO}/app:1`).waitFor({ state: 'detached' });
    if (onPodman) await expect(user.inspect()).rejects.toMatchObject({ statusCode: 404 });
    else {
      expect((await user.inspect()).State.Status).toBe('created');
      await user.remove();
    }
  });

  it('prunes: lists what goes and the space it frees, then frees it', async () => {
    await page.getByRole('button', { name: 'Prune…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Prune dangling images' });
    const table = dialog.getByRole('table', { name: 'Images to prune' });
    await table.waitFor();
    expect(await table.getByRole('row').count()).toBe(2);
    await expect.poll(() => table.textContent()).toContain(danglingId.slice(0, 12));
    await expect.poll(() => dialog.textContent()).toMatch(new RegExp(`This frees\\s+${DANGLING_LAYER}`));
    // The image's size counts the base it shares: the dialog says why it frees less than that.
    expect(await dialog.getByRole('note').textContent()).toContain(
      'they count the layers these images share with images you keep',
    );
    await screenshot(page, 'images-prune');
    await dialog.getByRole('button', { name: 'Prune 1 image' }).click();
    await expect
      .poll(() => page.getByRole('status').first().textContent())
      .toContain(`Pruned 1 image, freed ${DANGLING_LAYER}`);
    await expect.poll(() => page.getByRole('row').filter({ hasText: '<none>' }).count()).toBe(0);
  });

  it('saves to a tar with progress and loads it back', async () => {
    const file = join(workDir, 'base.tar');
    await row(`${REPO}/base:1`)
      .getByRole('button', { name: `${REPO}/base` })
      .click();
    await page
      .getByRole('region', { name: `Image ${REPO}/base:1` })
      .getByRole('button', { name: 'Save…' })
      .click();
    const save = page.getByRole('dialog', { name: /^Save / });
    await save.getByLabel('File').fill(file);
    await save.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(() => page.getByRole('status').first().textContent(), { timeout: 30_000 })
      .toContain(`to ${file}`);
    expect(existsSync(file)).toBe(true);

    const id = (await docker.getImage(`${REPO}/base:1`).inspect()).Id;
    cli('rmi', `${REPO}/base:1`);
    await row(`${REPO}/base:1`).waitFor({ state: 'detached', timeout: 3000 });

    await page.getByRole('button', { name: 'Load…' }).click();
    const load = page.getByRole('dialog', { name: 'Load images from a tar file' });
    await load.getByLabel('File').fill(file);
    await load.getByRole('button', { name: 'Load' }).click();
    const arrived = load.getByRole('list', { name: 'Loaded images' });
    await expect.poll(() => arrived.textContent(), { timeout: 20_000 }).toContain(`${REPO}/base:1`);
    expect(await arrived.textContent()).toContain(id.slice(7, 19));
    await expect.poll(() => load.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
    await screenshot(page, 'images-load');
    await load.getByRole('button', { name: 'Close' }).click();
    await row(`${REPO}/base:1`).waitFor({ timeout: 3000 });
  });

  it('imports a root filesystem as a new image, refusing a change the engine would refuse', async () => {
    const source = await docker.createContainer({ Image: BUSYBOX, Cmd: ['true'], HostConfig: { NetworkMode: 'none' } });
    const rootfs = join(workDir, 'rootfs.tar');
    await pipeline((await source.export()) as unknown as Readable, createWriteStream(rootfs));
    await source.remove();

    await page.getByRole('button', { name: 'Import…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import a root filesystem as a new image' });
    await dialog.getByLabel('Root filesystem tarball').fill(rootfs);
    await dialog.getByLabel('Repository').fill(`${REPO}/imported`);
    await dialog.getByLabel('Tag').fill('1');
    await dialog.getByLabel(/^Changes/).fill('RUN make');
    await expect.poll(() => dialog.getByRole('alert').first().textContent()).toMatch(/RUN is not allowed/);
    expect(await dialog.getByRole('button', { name: 'Import' }).isDisabled()).toBe(true);
    await dialog.getByLabel(/^Changes/).fill('CMD ["sh"]\nENV FROM=import');
    await dialog.getByLabel('Message').fill('made in the e2e test');
    await screenshot(page, 'images-import');
    await dialog.getByRole('button', { name: 'Import' }).click();
    await expect
      .poll(() => page.getByRole('status').first().textContent(), { timeout: 30_000 })
      .toContain(`Imported ${REPO}/imported:1`);
    await row(`${REPO}/imported:1`).waitFor({ timeout: 3000 });
    const info = await docker.getImage(`${REPO}/imported:1`).inspect();
    expect(info.Config.Env).toEqual(['FROM=import']);
    expect(info.Comment).toBe('made in the e2e test');
    expect(consoleErrors).toEqual([]);
  });
});
