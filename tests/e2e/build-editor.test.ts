import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { runContextCommand } from '../../src-main/cli/context-command';
import { planBuild } from '../../src-main/core/build/build-plan';
import { scanBuildFiles, scanContext } from '../../src-main/core/context/context-scan';
import { contextSize } from '$shared/images/format';
import { BUSYBOX, describeWithEngine, onPodman, testDocker } from '../integration/engine-available';
import { launchChromium, openApp, repoRoot, screenshot, startPreview, type Preview } from './harness';

const DOCKERFILE = `FROM ${BUSYBOX}\nWORKDIR /app\nCOPY . .\nCMD ["sh"]\n`;

/** A context with files .dockerignore leaves out, and .git and node_modules it does not (yet). */
function makeContext(root: string): string {
  const dir = join(root, 'app');
  for (const sub of ['src', 'node_modules/pkg', '.git', 'secret']) mkdirSync(join(dir, sub), { recursive: true });
  writeFileSync(join(dir, 'Dockerfile'), DOCKERFILE);
  writeFileSync(join(dir, '.dockerignore'), '*.log\nsecret/\n');
  writeFileSync(join(dir, 'app.txt'), 'hello\n');
  writeFileSync(join(dir, 'src', 'data.bin'), Buffer.alloc(20_000, 7));
  writeFileSync(join(dir, 'src', 'a.txt'), 'a\n');
  writeFileSync(join(dir, 'node_modules', 'pkg', 'index.js'), 'module.exports = 1;\n');
  writeFileSync(join(dir, '.git', 'HEAD'), 'ref: refs/heads/main\n');
  writeFileSync(join(dir, 'build.log'), 'log\n');
  writeFileSync(join(dir, 'secret', 'key'), 'k\n');
  return dir;
}

/** A context with several Dockerfiles: the person has to pick. */
function makeMultiContext(root: string): string {
  const dir = join(root, 'multi');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'Dockerfile'), `FROM ${BUSYBOX}\nCMD ["echo", "default"]\n`);
  writeFileSync(join(dir, 'prod.Dockerfile'), `FROM ${BUSYBOX}\nCMD ["echo", "prod"]\n`);
  writeFileSync(join(dir, 'Containerfile'), `FROM ${BUSYBOX}\nCMD ["echo", "podman"]\n`);
  return dir;
}

/** What `strata context --json` prints for a folder (the CLI's own function, same core). */
async function cliContext(
  dir: string,
): Promise<{ files: Array<{ type: string }>; totalBytes: number; excluded: number }> {
  let out = '';
  const code = await runContextCommand([dir, '--json'], {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: () => true },
  });
  expect(code).toBe(0);
  return JSON.parse(out) as { files: Array<{ type: string }>; totalBytes: number; excluded: number };
}

/** expect.poll with room for a busy engine (its default gives up after one second). */
function poll<T>(read: () => T | Promise<T>) {
  return expect.poll(read, { timeout: 20_000 });
}

function editor(page: Page) {
  return page.getByRole('textbox', { name: 'Dockerfile editor' });
}

/** The value in the context panel's totals table for a row. */
async function total(page: Page, name: string): Promise<string> {
  const row = page.getByRole('table', { name: 'Context totals' }).getByRole('row', { name: new RegExp(`^${name}`) });
  return ((await row.getByRole('cell').textContent()) ?? '').trim();
}

async function expectPanelMatches(page: Page, dir: string): Promise<void> {
  // The panel scans as the build will pack (BuildKit on this engine, build files kept in the tar).
  const scan = await scanContext({ contextDir: dir, builder: 'buildkit', forceBuildFiles: true });
  const cli = await cliContext(dir);
  // With the Dockerfile and .dockerignore not excluded, the CLI's view and the build's are the same.
  expect(cli.totalBytes).toBe(scan.totalBytes);
  expect(cli.excluded).toBe(scan.excluded);
  expect(cli.files.filter((f) => f.type === 'file').length).toBe(scan.fileCount);
  await poll(() => total(page, 'Excluded paths')).toBe(String(cli.excluded));
  expect(await total(page, 'Files sent')).toBe(String(scan.fileCount));
  expect(await total(page, 'Folders sent')).toBe(String(cli.files.filter((f) => f.type === 'dir').length));
  // Docker Engine's BuildKit takes the context through a session, which sends the files' contents, not a tar;
  // Podman's builder takes the tar.
  if (onPodman) expect(await total(page, 'Size sent')).toBe(contextSize(cli.totalBytes));
  else expect(await total(page, 'Size of files')).toBe(contextSize(scan.contentBytes));
}

describeWithEngine('Dockerfile editor and build context panel in the browser preview', () => {
  let preview: Preview;
  let browser: Browser;
  let root: string;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'strata-e2e-editor-'));
    preview = await startPreview();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await preview?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('bundles the language service without its Docker Hub client', () => {
    const assets = join(repoRoot, 'dist', 'renderer', 'assets');
    const js = readdirSync(assets)
      .filter((f) => f.endsWith('.js'))
      .map((f) => readFileSync(join(assets, f), 'utf8'))
      .join('\n');
    expect(js).toContain('Unknown instruction');
    for (const host of ['auth.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com'])
      expect(js).not.toContain(host);
  });

  it("keeps the editor's buttons inside its column in a 1024 px window", async () => {
    const { page, consoleErrors } = await openApp(browser, preview);
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Build', exact: true }).click();
    const pane = page.getByRole('region', { name: 'Editor' });
    const edge = await pane.evaluate((el) => el.getBoundingClientRect().right);
    for (const control of [
      pane.getByRole('button', { name: 'Open file…' }),
      pane.getByLabel('New from template'),
      pane.getByRole('button', { name: 'Format' }),
      pane.getByRole('button', { name: 'Save', exact: true }),
    ]) {
      const box = (await control.boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(edge);
    }
    await screenshot(page, 'build-editor-1024px');
    expect(consoleErrors).toEqual([]);
  });

  it('says once that a typed folder does not exist, and that the panel still shows the folder opened before', async () => {
    const dir = makeContext(mkdtempSync(join(root, 'kept-')));
    const { page, consoleErrors } = await openApp(browser, preview);
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Build', exact: true }).click();
    const contextInput = page.getByLabel('Context folder');
    await contextInput.fill(dir);
    await contextInput.press('Enter');
    await poll(() => editor(page).textContent()).toContain(`FROM ${BUSYBOX}`);

    const missing = join(root, 'no-such-folder');
    await contextInput.fill(missing);
    await contextInput.press('Enter');
    const alert = page.getByRole('alert').filter({ hasText: `There is no folder at ${missing}` });
    await alert.waitFor();
    expect(await alert.textContent()).toContain(`Still showing ${dir}.`);
    // Said once: no second line above the columns about a Dockerfile that cannot be there.
    expect(await page.getByText(missing).count()).toBe(1);
    expect(await page.getByText(/Cannot locate Dockerfile/).count()).toBe(0);
    await screenshot(page, 'build-missing-folder');
    expect(consoleErrors).toEqual([]);
  });

  it('opens a context by path, edits, diagnoses, saves, reloads, resolves conflicts, and adds an ignore rule', async () => {
    const dir = makeContext(root);
    const dockerfile = join(dir, 'Dockerfile');
    const { page, consoleErrors } = await openApp(browser, preview);
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Build', exact: true }).click();

    // Open the context by typing its path.
    const contextInput = page.getByLabel('Context folder');
    await contextInput.fill(dir);
    await contextInput.press('Enter');
    await poll(() => editor(page).textContent()).toContain(`FROM ${BUSYBOX}`);
    await expectPanelMatches(page, dir);
    const warnings = page.getByRole('list', { name: 'Context warnings' });
    await poll(() => warnings.textContent()).toContain('node_modules is sent with the build context');
    const excludedBy = page.getByRole('table', { name: 'Excluded by rule' });
    expect(await excludedBy.getByRole('row').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringMatching(/^\*\.log\s*1\s*1$/), expect.stringMatching(/^secret\s*2\s*1$/)]),
    );
    await screenshot(page, 'build-editor-open');

    // A file added deep in the folder (not watched) shows up by itself within seconds, with no focus or refresh.
    mkdirSync(join(dir, 'src', 'deep', 'er'), { recursive: true });
    writeFileSync(join(dir, 'src', 'deep', 'er', 'new.txt'), 'new\n');
    await poll(() => total(page, 'Files sent')).toBe(
      String((await scanContext({ contextDir: dir, builder: 'buildkit', forceBuildFiles: true })).fileCount),
    );
    await expectPanelMatches(page, dir);

    // Hover documentation comes from the language service.
    await editor(page).getByText('WORKDIR', { exact: true }).hover();
    await poll(() => page.locator('.cm-tooltip-hover').textContent()).toContain('working directory');

    // A bad instruction: the validator's diagnostic appears under the editor.
    await editor(page).click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('FOO bar');
    const diagnostics = page.getByRole('list', { name: 'Diagnostics' });
    await expect
      .poll(() => diagnostics.textContent(), { timeout: 20_000 })
      .toContain('Line 5: unknown instruction: FOO');
    expect(await page.getByRole('status', { name: 'Diagnostics summary' }).textContent()).toContain('1 error');
    expect(await page.locator('.cm-lintRange-error').count()).toBeGreaterThan(0);
    await poll(() => page.getByRole('status').filter({ hasText: 'Unsaved changes' }).count()).toBe(1);
    await diagnostics.getByRole('button', { name: /Line 5/ }).click();
    expect(await page.locator('.cm-strata-line-focus').textContent()).toBe('FOO bar');
    await screenshot(page, 'build-editor-diagnostic');

    // Fix it and save with Ctrl+S: written to disk, the diagnostic and the unsaved mark are gone.
    await editor(page).click();
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Shift+Home');
    await page.keyboard.type('LABEL edited=yes');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+s');
    await poll(() => readFileSync(dockerfile, 'utf8')).toBe(`${DOCKERFILE}LABEL edited=yes`);
    await poll(() => page.getByRole('status', { name: 'Diagnostics summary' }).textContent()).toBe('No problems found');
    expect(await page.getByRole('status').filter({ hasText: 'Unsaved changes' }).count()).toBe(0);

    // Another program changes the file: the editor notices and offers to reload.
    writeFileSync(dockerfile, `${DOCKERFILE}LABEL from=elsewhere\n`);
    const changed = page.getByRole('alert', { name: 'File changed on disk' });
    await changed.waitFor({ timeout: 20_000 });
    expect(await changed.textContent()).toContain('changed on disk by another program');
    await changed.getByRole('button', { name: 'Reload' }).click();
    await poll(() => editor(page).textContent()).toContain('LABEL from=elsewhere');

    // Edit, then the file changes on disk before the save: the save is refused, the person overwrites.
    await editor(page).click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('USER nobody');
    await page.keyboard.press('Escape');
    writeFileSync(dockerfile, `${DOCKERFILE}LABEL second=change\n`);
    await changed.waitFor({ timeout: 20_000 });
    await page.keyboard.press('Control+s');
    const conflict = page.getByRole('alert', { name: 'Save conflict' });
    await conflict.waitFor();
    expect(await conflict.textContent()).toContain('Dockerfile was changed on disk since you opened it');
    expect(readFileSync(dockerfile, 'utf8')).toBe(`${DOCKERFILE}LABEL second=change\n`);
    await screenshot(page, 'build-editor-conflict');
    await conflict.getByRole('button', { name: 'Overwrite' }).click();
    await poll(() => readFileSync(dockerfile, 'utf8')).toBe(`${DOCKERFILE}LABEL from=elsewhere\nUSER nobody`);
    await poll(() => page.getByRole('alert', { name: 'Save conflict' }).count()).toBe(0);

    // One click adds node_modules to .dockerignore (atomically); the panel scans again and agrees with the CLI.
    await warnings.getByRole('button', { name: 'Add "node_modules" to .dockerignore' }).click();
    await poll(() => readFileSync(join(dir, '.dockerignore'), 'utf8')).toBe('*.log\nsecret/\nnode_modules\n');
    await poll(() => warnings.textContent()).not.toContain('node_modules');
    await expectPanelMatches(page, dir);
    expect(await page.getByRole('status').filter({ hasText: 'Added "node_modules"' }).count()).toBe(1);

    // The panel follows the ignore file when another program edits it.
    writeFileSync(join(dir, '.dockerignore'), '*.log\nsecret/\nnode_modules\n.git\n');
    await expect.poll(() => page.getByRole('list', { name: 'Context warnings' }).count(), { timeout: 20_000 }).toBe(0);
    await expectPanelMatches(page, dir);
    await screenshot(page, 'build-editor-rule-added');
    expect(consoleErrors).toEqual([]);
    await page.close();
  });

  it('guards unsaved changes, lets the person pick among several Dockerfiles, completes FROM locally, and starts from a template', async () => {
    const first = join(root, 'app');
    const multi = makeMultiContext(root);
    const { page, consoleErrors } = await openApp(browser, preview);
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Build', exact: true }).click();

    // Recent contexts are remembered in the data folder: the first test's context is offered.
    const recent = page.getByRole('list', { name: 'Recent contexts' });
    await recent.getByRole('button', { name: first, exact: true }).click();
    await poll(() => editor(page).textContent()).toContain('USER nobody');

    // Unsaved edits, then another context: the person is asked, and Cancel keeps everything.
    await editor(page).click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\nEXPOSE 8080');
    await page.keyboard.press('Escape');
    const contextInput = page.getByLabel('Context folder');
    await contextInput.fill(multi);
    await contextInput.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Unsaved changes' });
    await dialog.waitFor();
    await screenshot(page, 'build-editor-unsaved');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await editor(page).textContent()).toContain('EXPOSE 8080');
    expect(readFileSync(join(first, 'Dockerfile'), 'utf8')).not.toContain('EXPOSE 8080');

    // Reloading the page with unsaved changes: the browser asks first.
    const unloadAsked = new Promise<string>((resolve) =>
      page.once('dialog', (d) => void d.dismiss().then(() => resolve(d.type()))),
    );
    void page.reload().catch(() => undefined);
    expect(await unloadAsked).toBe('beforeunload');
    expect(await editor(page).textContent()).toContain('EXPOSE 8080');

    // Again, and discard: the other context opens; it has three Dockerfiles, so the person picks.
    await contextInput.press('Enter');
    await dialog.getByRole('button', { name: 'Discard changes' }).click();
    const pick = page.getByRole('group', { name: 'Several Dockerfiles here: pick one' });
    await pick.waitFor();
    expect(await pick.getByRole('radio').count()).toBe(3);
    await screenshot(page, 'build-editor-pick');
    await pick.getByRole('radio', { name: 'prod.Dockerfile' }).check();
    await poll(() => editor(page).textContent()).toContain('"prod"');
    expect(await page.getByRole('textbox', { name: 'Dockerfile', exact: true }).inputValue()).toBe('prod.Dockerfile');
    expect(readFileSync(join(first, 'Dockerfile'), 'utf8')).not.toContain('EXPOSE 8080');
    await poll(() => total(page, 'Files sent')).toBe('3');

    // A new Dockerfile from a template: its base is the local busybox image, and it is saved where typed.
    await page.getByLabel('New from template').selectOption({ label: 'Small shell image' });
    await poll(() => editor(page).textContent()).toMatch(/^FROM \S*busybox:\S+WORKDIR \/app/);

    // FROM completion offers local images and their tags, and nothing from a registry.
    await editor(page).click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('FROM strata-te');
    await page.keyboard.press('Control+Space');
    const options = page.getByRole('listbox');
    await poll(() => options.getByRole('option').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringContaining(BUSYBOX)]),
    );
    await page.keyboard.press('Escape');
    await page.keyboard.type('st/busybox:');
    await page.keyboard.press('Control+Space');
    await poll(() => options.getByRole('option').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringContaining('latest')]),
    );
    await options.getByRole('option', { name: 'latest' }).click();
    await poll(() => editor(page).textContent()).toContain(`CMD ["sh"]FROM ${BUSYBOX}`);
    await screenshot(page, 'build-editor-template');

    const saveTo = page.getByRole('form', { name: 'Save as' }).getByLabel('Save to');
    await saveTo.fill(join(multi, 'new.Dockerfile'));
    await page.getByRole('button', { name: 'Save here' }).click();
    await expect
      .poll(() => readFileSync(join(multi, 'new.Dockerfile'), 'utf8'), { timeout: 20_000 })
      .toMatch(new RegExp(`^FROM \\S*busybox:\\S+\nWORKDIR /app[^]*\nFROM ${BUSYBOX}$`));
    await poll(() => page.getByRole('textbox', { name: 'Dockerfile', exact: true }).inputValue()).toBe(
      'new.Dockerfile',
    );

    // A folder dropped on the browser preview has no path: the person is told to type it.
    await page.evaluate(() => {
      const transfer = new DataTransfer();
      transfer.items.add(new File(['x'], 'project'));
      for (const type of ['dragover', 'drop']) {
        window.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }));
      }
    });
    const refusal = page.getByRole('status').filter({ hasText: 'type its path into Context folder' });
    await expect.poll(() => refusal.count()).toBe(1);
    // A refusal is drawn in the danger colour, not the success one.
    const [shown, danger, ok] = await refusal.evaluate((el) => {
      const probe = (value: string) => {
        const span = document.createElement('span');
        span.style.color = value;
        el.parentElement?.append(span);
        const colour = getComputedStyle(span).color;
        span.remove();
        return colour;
      };
      return [getComputedStyle(el).color, probe('var(--danger)'), probe('var(--ok)')];
    });
    expect(shown).toBe(danger);
    expect(shown).not.toBe(ok);
    expect(consoleErrors).toEqual([]);
    await page.close();
  });

  it("shows the same problems in the editor's list and the Build view's, from one parser", async () => {
    const dir = join(root, 'problems');
    mkdirSync(dir, { recursive: true });
    // The two lists used to disagree on exactly these: an empty continuation line, EXPOSE with no port.
    writeFileSync(join(dir, 'Dockerfile'), `FROM ${BUSYBOX}\nRUN echo a \\\n\n  b\nEXPOSE\nCOPY onlyone\n`);
    const { page, consoleErrors } = await openApp(browser, preview);
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Build', exact: true }).click();
    await page.getByLabel('Context folder').fill(dir);
    await page.getByLabel('Context folder').press('Enter');
    const editorList = page.getByRole('list', { name: 'Diagnostics' }).getByRole('button');
    const buildViewList = page.getByRole('status', { name: 'Dockerfile problems' }).getByRole('button');
    await poll(() => editorList.count()).toBe(3);
    await poll(() => buildViewList.count()).toBe(3);
    const texts = async (list: typeof editorList) => (await list.allTextContents()).map((t) => t.trim());
    expect(await texts(editorList)).toEqual([
      'Line 4: Empty continuation line found in: RUN echo a   b (empty continuation lines will become errors in a future release)',
      'Line 5: EXPOSE requires at least one argument',
      'Line 6: COPY requires at least two arguments, but only one was provided. Destination could not be determined',
    ]);
    expect(await texts(buildViewList)).toEqual(await texts(editorList));
    expect(await page.getByRole('status', { name: 'Diagnostics summary' }).textContent()).toContain(
      '2 errors, 1 warning',
    );
    expect(consoleErrors).toEqual([]);
    await page.close();
  });

  it('shows the builder and ignore file the build will use, and why, when Dockerfile.dockerignore holds the rules', async () => {
    const dir = join(root, 'specific-rules');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'Dockerfile'), DOCKERFILE);
    writeFileSync(join(dir, 'Dockerfile.dockerignore'), 'Dockerfile\nsecret.txt\n');
    writeFileSync(join(dir, '.dockerignore'), '');
    writeFileSync(join(dir, 'secret.txt'), 'secret\n');
    writeFileSync(join(dir, 'app.txt'), 'app\n');
    mkdirSync(join(dir, 'node_modules', 'pkg'), { recursive: true });
    writeFileSync(join(dir, 'node_modules', 'pkg', 'index.js'), 'module.exports = 1;\n');
    const { page, consoleErrors } = await openApp(browser, preview);
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Build', exact: true }).click();
    const contextInput = page.getByLabel('Context folder');
    await contextInput.fill(dir);
    await contextInput.press('Enter');
    // The build's own plan for this engine: on Docker BuildKit (the classic builder would ignore
    // Dockerfile.dockerignore); on Podman Buildah on the classic path, which reads Dockerfile.dockerignore itself.
    const plan = await planBuild({
      contextDir: dir,
      requested: 'auto',
      engine: {
        product: onPodman ? 'Podman' : 'Docker Engine',
        apiVersion: (await testDocker().then((d) => d.version())).ApiVersion,
      },
    });
    expect(plan.builder).toBe(onPodman ? 'classic' : 'buildkit');
    const scan = await scanBuildFiles(plan.files);
    expect(scan.entries.map((e) => e.path)).not.toContain('secret.txt');
    await poll(() => total(page, 'Files sent')).toBe(String(scan.fileCount));
    // Docker's BuildKit takes the context through a session (the files' contents); Buildah takes the tar.
    if (onPodman) expect(await total(page, 'Size sent')).toBe(contextSize(scan.totalBytes));
    else expect(await total(page, 'Size of files')).toBe(contextSize(scan.contentBytes));
    const panel = page.getByRole('region', { name: 'Context summary' });
    expect(await panel.getByText(onPodman ? 'classic builder' : 'BuildKit', { exact: true }).count()).toBe(1);
    const note = panel.getByRole('note', { name: 'Builder note' });
    if (plan.note) await poll(() => note.textContent()).toBe(plan.note);
    else expect(await note.count()).toBe(0);
    expect(await panel.getByText(/^\s*Rules from/).textContent()).toMatch(
      /^\s*Rules from\s+Dockerfile\.dockerignore\s/,
    );
    // A suggested rule goes to the file the rules come from.
    const suggest = page.getByRole('list', { name: 'Context warnings' });
    expect(await suggest.getByRole('button', { name: 'Add "node_modules" to Dockerfile.dockerignore' }).count()).toBe(
      1,
    );
    await screenshot(page, 'build-editor-dockerfile-ignore');
    expect(consoleErrors).toEqual([]);
    await page.close();
  });
});
