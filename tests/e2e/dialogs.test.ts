import Docker from 'dockerode';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { shortId } from '$shared/images/format';
import { BUSYBOX, describeWithEngine } from '../integration/engine-available';
import { launchChromium, openApp, screenshot, startPreview, type Preview } from './harness';

// The image dialogs as a person meets them: a finished load offers nothing that would load it again, a press
// runs its action once, and an error line or a long path wraps inside a dialog that keeps its width.
const REPO = `strata-e2e-dialogs-${process.pid}`;
const LONG_FOLDER = `${'a-folder-name-with-no-spaces-that-goes-on-'.repeat(4)}end`;

describeWithEngine('image dialogs in the browser preview', () => {
  let preview: Preview;
  let browser: Browser;
  let page: Page;
  let consoleErrors: string[];
  const docker = new Docker();
  const workDir = mkdtempSync(join(tmpdir(), 'strata-e2e-dialogs-'));
  const tagged = join(workDir, 'tagged.tar');
  const untagged = join(workDir, 'untagged.tar');
  let busyboxId: string;
  const cli = (...args: string[]) => execFileSync('docker', args, { encoding: 'utf8' });
  const isFocused = (locator: Locator) => locator.evaluate((el) => el === document.activeElement);
  const width = async (locator: Locator) => (await locator.boundingBox())!.width;

  beforeAll(async () => {
    await docker.getImage(BUSYBOX).tag({ repo: `${REPO}/load`, tag: '1' });
    busyboxId = (await docker.getImage(BUSYBOX).inspect()).Id;
    cli('save', '-o', tagged, `${REPO}/load:1`);
    cli('save', '-o', untagged, busyboxId);
    preview = await startPreview();
    browser = await launchChromium();
    ({ page, consoleErrors } = await openApp(browser, preview));
    await page.getByRole('table', { name: 'Images' }).waitFor({ timeout: 20_000 });
  });

  // Each test starts from a fresh page: a dialog one left open does not decide the next one's outcome.
  beforeEach(async () => {
    await page.reload();
    await page.getByRole('table', { name: 'Images' }).waitFor({ timeout: 20_000 });
  });

  afterAll(async () => {
    await browser?.close();
    await preview?.stop();
    for (const image of await docker.listImages({ filters: { reference: [`${REPO}/*`] } }))
      // Only this suite's tags: the busybox image it tagged keeps the shared test tag the other suites use.
      for (const tag of image.RepoTags ?? []) if (tag.includes(`${REPO}/`)) await docker.getImage(tag).remove();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('a finished load names what arrived, offers Close (focused) and Load only for another file', async () => {
    await page.getByRole('button', { name: 'Load…' }).click();
    const load = page.getByRole('dialog', { name: 'Load images from a tar file' });
    await load.getByLabel('File').fill(tagged);
    await load.getByRole('button', { name: 'Load' }).click();
    const status = load.getByRole('status');
    await expect.poll(() => status.textContent(), { timeout: 30_000 }).toContain(`Loaded ${REPO}/load:1.`);
    await screenshot(page, 'dialogs-load-finished');

    // Done: one button, Close, with the focus; no Load that would load the same archive again.
    const buttons = load.getByRole('button');
    expect(await buttons.allTextContents()).toEqual(['Close']);
    expect(await isFocused(load.getByRole('button', { name: 'Close' }))).toBe(true);
    // Enter in the path field (the form's primary action) does not load it again either.
    await load.getByLabel('File').press('Enter');
    expect(await load.getByRole('progressbar').count()).toBe(1);
    expect(await load.getByRole('button', { name: 'Load' }).count()).toBe(0);
    expect(await status.textContent()).toContain(`Loaded ${REPO}/load:1.`);

    // Another file: Load is offered again, and this load names its untagged image by short ID.
    await load.getByLabel('File').fill(untagged);
    expect(await load.getByRole('button', { name: 'Load' }).isEnabled()).toBe(true);
    expect(await status.textContent()).toContain(`(from ${tagged})`);
    await load.getByRole('button', { name: 'Load' }).click();
    await expect
      .poll(() => status.textContent(), { timeout: 30_000 })
      .toContain(`Loaded ${shortId(busyboxId)} (untagged).`);
    expect(await buttons.allTextContents()).toEqual(['Close']);
    // Going back to the first file offers Load again: it is another choice the person made.
    await load.getByLabel('File').fill(tagged);
    expect(await load.getByRole('button', { name: 'Load' }).isEnabled()).toBe(true);
    await load.getByLabel('File').fill(untagged);
    await load.getByRole('button', { name: 'Close' }).click();
    await load.waitFor({ state: 'detached', timeout: 3000 });
    await expect
      .poll(() => page.getByRole('status').first().textContent())
      .toContain(`Loaded ${shortId(busyboxId)} (untagged).`);
  });

  it('a double click on Import imports once', async () => {
    const source = await docker.createContainer({ Image: BUSYBOX, Cmd: ['true'], HostConfig: { NetworkMode: 'none' } });
    const rootfs = join(workDir, 'rootfs.tar');
    execFileSync('docker', ['export', '-o', rootfs, source.id]);
    await source.remove();
    const comment = `imported once by ${REPO}`;

    await page.getByRole('button', { name: 'Import…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import a root filesystem as a new image' });
    await dialog.getByLabel('Root filesystem tarball').fill(rootfs);
    await dialog.getByLabel('Repository').fill(`${REPO}/imported`);
    await dialog.getByLabel('Message').fill(comment);
    await dialog.getByRole('button', { name: 'Import' }).dblclick();
    await expect
      .poll(() => page.getByRole('status').first().textContent(), { timeout: 30_000 })
      .toContain(`Imported ${REPO}/imported:latest`);
    await dialog.waitFor({ state: 'detached', timeout: 3000 });
    // Every image the engine holds with this comment: a second import would have left one more (untagged).
    const withComment: string[] = [];
    for (const image of await docker.listImages({ all: true }))
      if ((await docker.getImage(image.Id).inspect()).Comment === comment) withComment.push(image.Id);
    expect(withComment).toHaveLength(1);
  });

  for (const scheme of ['light', 'dark'] as const) {
    it(`keeps each dialog's width when a long path's error appears, at 1024×700 (${scheme})`, async () => {
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize({ width: 1024, height: 700 });
      try {
        const missing = join(workDir, LONG_FOLDER, LONG_FOLDER, 'missing.tar');

        await page.getByRole('button', { name: 'Load…' }).click();
        const load = page.getByRole('dialog', { name: 'Load images from a tar file' });
        const before = await width(load);
        await load.getByLabel('File').fill(missing);
        await load.getByRole('button', { name: 'Load' }).click();
        await expect.poll(() => load.getByRole('alert').textContent()).toContain(`${missing} does not exist`);
        await screenshot(page, `dialogs-load-error-1024-${scheme}`);
        await expectStable(load, before);
        await load.getByRole('button', { name: 'Close' }).click();

        await page.getByRole('button', { name: 'Import…' }).click();
        const importing = page.getByRole('dialog', { name: 'Import a root filesystem as a new image' });
        const importBefore = await width(importing);
        await importing.getByLabel('Root filesystem tarball').fill(missing);
        await importing.getByRole('button', { name: 'Import' }).click();
        await expect.poll(() => importing.getByRole('alert').textContent()).toContain(`${missing} does not exist`);
        await screenshot(page, `dialogs-import-error-1024-${scheme}`);
        await expectStable(importing, importBefore);
        await importing.getByRole('button', { name: 'Close' }).click();

        await page.getByLabel('Filter images').fill(`${REPO}/load`);
        await page
          .getByRole('row')
          .filter({ hasText: `${REPO}/load` })
          .getByRole('button', { name: `${REPO}/load` })
          .click();
        await page
          .getByRole('region', { name: `Image ${REPO}/load:1` })
          .getByRole('button', { name: 'Save…' })
          .click();
        const save = page.getByRole('dialog', { name: /^Save / });
        const saveBefore = await width(save);
        await save.getByLabel('File').fill(missing);
        await save.getByRole('button', { name: 'Save' }).click();
        await expect.poll(() => save.getByRole('alert').textContent()).toContain('does not exist');
        // Found by Strata before the engine was asked: nothing says the engine answered.
        expect(await save.getByRole('alert').textContent()).not.toContain('Engine answered');
        await screenshot(page, `dialogs-save-error-1024-${scheme}`);
        await expectStable(save, saveBefore);
        await save.getByRole('button', { name: 'Close' }).click();
        await page.getByLabel('Filter images').fill('');
      } finally {
        await page.setViewportSize({ width: 1400, height: 900 });
      }
    });
  }

  it('has no console errors', () => {
    expect(consoleErrors).toEqual([]);
  });

  /** The dialog is as wide as before its error, inside the window, and no text in it runs past its edge. */
  async function expectStable(dialog: Locator, before: number): Promise<void> {
    expect(await width(dialog)).toBe(before);
    const box = (await dialog.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(1024);
    const overflowing = await dialog.evaluate((root) =>
      [root, ...root.querySelectorAll('*')]
        .filter((el) => !(el instanceof HTMLInputElement) && el.scrollWidth > el.clientWidth + 1)
        .map((el) => `${el.tagName}.${el.className}`),
    );
    expect(overflowing).toEqual([]);
  }
});
