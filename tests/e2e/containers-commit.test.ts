import Docker from 'dockerode';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { BUSYBOX, describeWithEngine, onPodman } from '../integration/engine-available';
import { launchChromium, openApp, screenshot, startPreview, type Preview } from './harness';

const name = `strata-e2e-commit-${process.pid}`;
const repository = `strata-e2e-commit-${process.pid}/box`;

/** The visible text of the xterm.js screen inside the named terminal region. */
function screenText(page: Page, label: string): Promise<string> {
  return page.getByRole('region', { name: label }).locator('.xterm-rows').innerText();
}

describeWithEngine('containers, terminal and commit wizard in the browser preview', () => {
  let preview: Preview;
  let browser: Browser;
  const docker = new Docker();

  beforeAll(async () => {
    preview = await startPreview();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await preview?.stop();
    const image = await docker
      .getImage(`${repository}:v1`)
      .inspect()
      .catch(() => undefined);
    const mine = await docker.listContainers({ all: true });
    for (const c of mine) {
      if (c.Names.some((n) => n.startsWith(`/${name}`)) || (image && c.ImageID === image.Id)) {
        await docker
          .getContainer(c.Id)
          .remove({ force: true })
          .catch(() => undefined);
      }
    }
    if (image)
      await docker
        .getImage(image.Id)
        .remove({ force: true })
        .catch(() => undefined);
  });

  it('runs a container, changes it in the terminal, detaches, commits it, compares, and runs the new image', async () => {
    const { page, consoleErrors } = await openApp(browser, preview);
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Containers' }).click();

    // Run a container from the busybox base, interactive terminal on by default.
    await page.getByRole('button', { name: 'Run a container…' }).click();
    const run = page.getByRole('dialog', { name: 'Run a container' });
    await run.getByLabel('Image').fill(BUSYBOX);
    await run.getByLabel('Name (optional)').fill(name);
    expect(await run.getByLabel('Interactive terminal (-it)').isChecked()).toBe(true);
    await run.getByRole('button', { name: 'Run' }).click();

    // The terminal opens on the new container: type the change the way a person does.
    const terminalLabel = `Terminal output and input for ${name}`;
    const terminal = page.getByRole('region', { name: terminalLabel });
    await terminal.waitFor({ timeout: 20_000 });
    await expect
      .poll(() => page.getByRole('status').first().textContent(), { timeout: 15_000 })
      .toContain(`Attached to ${name}`);
    await terminal.click();
    await page.keyboard.type('echo hello > /my-file');
    await page.keyboard.press('Enter');
    await page.keyboard.type('echo written-$((40+2))');
    await page.keyboard.press('Enter');
    await expect.poll(() => screenText(page, terminalLabel), { timeout: 15_000 }).toMatch(/written-42/);
    await screenshot(page, 'containers-terminal');

    // Detach with Ctrl+P Ctrl+Q: the container keeps running.
    await page.keyboard.press('Control+p');
    await page.keyboard.press('Control+q');
    await expect
      .poll(() => page.getByRole('status').first().textContent(), { timeout: 15_000 })
      .toContain(`Detached: ${name} keeps running.`);
    expect((await docker.getContainer(name).inspect()).State.Running).toBe(true);
    const row = page.getByRole('row').filter({ hasText: name });
    await expect.poll(() => row.textContent()).toMatch(/Up /);

    // The commit wizard, preselected on this container.
    await page.getByRole('button', { name: 'Commit…', exact: true }).first().click();
    const wizard = page.getByRole('region', { name: 'Commit wizard' });
    await wizard.getByRole('treeitem', { name: 'added /my-file' }).waitFor({ timeout: 15_000 });
    expect(await wizard.getByRole('status').textContent()).toMatch(/\d+ added/);
    // The lines of a step sit one gap apart (the gap alone, not the gap and a paragraph's margins too).
    const intro = (await wizard.getByText(/^Filesystem changes of /).boundingBox())!;
    const counts = (await wizard.getByRole('status').boundingBox())!;
    expect(counts.y - (intro.y + intro.height)).toBeLessThanOrEqual(12);
    await screenshot(page, 'commit-changes');
    await wizard.getByRole('button', { name: 'Next: describe the image' }).click();

    // An invalid tag is refused as it is typed; then the real one.
    const reference = wizard.getByLabel('Repository:tag');
    await reference.fill('Bad:Tag');
    await expect.poll(() => wizard.getByRole('alert').first().textContent()).toMatch(/must be lowercase/);
    expect(await wizard.getByRole('button', { name: 'Commit', exact: true }).isDisabled()).toBe(true);
    await reference.fill(`${repository}:v1`);
    await wizard.getByLabel('Author').fill('Ada Lovelace <ada@example.com>');
    await wizard.getByLabel('Message').fill('Add /my-file');
    expect(await wizard.getByLabel('Pause the container during the commit (as docker does)').isChecked()).toBe(true);
    await wizard.getByLabel('Instruction to add').selectOption('ENV');
    await wizard.getByRole('button', { name: 'Add change' }).click();
    await wizard.getByLabel('ENV (change 1) key').fill('MODE');
    await wizard.getByLabel('ENV (change 1) value').fill('committed');
    await wizard.getByLabel('Instruction to add').selectOption('LABEL');
    await wizard.getByRole('button', { name: 'Add change' }).click();
    await wizard.getByLabel('LABEL (change 2) key').fill('made-by');
    await wizard.getByLabel('LABEL (change 2) value').fill('strata');
    // On Podman the docker CLI cannot commit through its API: the line offered is podman's, in its dialect.
    const command = wizard.getByLabel(`Equivalent ${onPodman ? 'podman' : 'docker'} commit command`);
    await expect
      .poll(() => command.textContent())
      .toBe(
        onPodman
          ? `podman commit --format docker --author 'Ada Lovelace <ada@example.com>' --message 'Add /my-file' --change 'ENV MODE="committed"' --change 'LABEL "made-by"="strata"' --pause=true ${name} ${repository}:v1`
          : `docker commit --author 'Ada Lovelace <ada@example.com>' --message 'Add /my-file' --change 'ENV MODE="committed"' --change 'LABEL "made-by"="strata"' ${name} ${repository}:v1`,
      );
    await screenshot(page, 'commit-describe');
    await wizard.getByRole('button', { name: 'Commit', exact: true }).click();

    // The result: the new image and the compare view with the one new layer marked.
    await expect
      .poll(() => wizard.getByRole('status').textContent(), { timeout: 30_000 })
      .toMatch(/image ID [0-9a-f]{12}/);
    const image = await docker.getImage(`${repository}:v1`).inspect();
    const base = await docker.getImage(BUSYBOX).inspect();
    expect(await wizard.getByRole('status').textContent()).toContain(image.Id.slice(7, 19));
    expect(image.Author).toBe('Ada Lovelace <ada@example.com>');
    expect(image.Comment).toBe('Add /my-file');
    expect(image.Config.Env).toContain('MODE=committed');
    expect(image.Config.Labels).toEqual({ 'made-by': 'strata' });
    expect(image.RootFS.Layers).toHaveLength((base.RootFS.Layers ?? []).length + 1);
    // The images view's compare, reused: every base layer shared, exactly one only in the new image.
    const layers = wizard.getByRole('table', { name: 'Layers' });
    await layers.waitFor({ timeout: 20_000 });
    const added = layers.getByRole('row', { name: /^Layer \d+: only in B, [\d.]+k?B$/ });
    expect(await added.count()).toBe(1);
    expect(await layers.getByRole('row', { name: /: shared, / }).count()).toBe((base.RootFS.Layers ?? []).length);
    expect(await layers.getByRole('row', { name: /: (only in A|differs), / }).count()).toBe(0);
    expect(await wizard.getByLabel('Layer totals').textContent()).toMatch(/only in B/);
    await screenshot(page, 'commit-result');

    // Run the new image: a fresh container, a terminal in it, and the file is there.
    await wizard.getByRole('button', { name: 'Run new image' }).click();
    const fresh = page.getByRole('region', { name: /^Terminal output and input for / }).last();
    await fresh.waitFor({ timeout: 20_000 });
    const freshLabel = (await fresh.getAttribute('aria-label'))!;
    expect(freshLabel).not.toBe(terminalLabel);
    await expect
      .poll(() => page.getByRole('status').first().textContent(), { timeout: 15_000 })
      .toMatch(/Attached to /);
    await fresh.click();
    await page.keyboard.type('cat /my-file');
    await page.keyboard.press('Enter');
    await expect.poll(() => screenText(page, freshLabel), { timeout: 15_000 }).toMatch(/^hello\s*$/m);
    await screenshot(page, 'commit-run-new-image');
    // Closing the terminal detaches: that container keeps running too.
    await page.getByRole('button', { name: 'Close terminal' }).click();
    const freshName = freshLabel.replace('Terminal output and input for ', '');
    expect((await docker.getContainer(freshName).inspect()).State.Running).toBe(true);
    expect(consoleErrors).toEqual([]);
  });

  it('lists, filters, follows logs with colours, stops, starts and removes (after confirming) a container', async () => {
    const logsName = `${name}-logs`;
    const created = await docker.createContainer({
      Image: BUSYBOX,
      name: logsName,
      Cmd: ['sh', '-c', 'printf "plain line\\n\\033[31mred line\\033[0m\\n"; while true; do sleep 1; done'],
      HostConfig: { NetworkMode: 'none' },
    });
    await created.start();
    const { page, consoleErrors } = await openApp(browser, preview);
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Containers' }).click();
    await page.getByLabel('Filter containers').fill(logsName);
    const row = page.getByRole('row').filter({ hasText: logsName });
    await row.waitFor({ timeout: 15_000 });
    expect(await page.getByRole('table', { name: 'Containers' }).getByRole('row').count()).toBe(2);

    await page.getByRole('button', { name: `Logs of ${logsName}` }).click();
    const logs = page.getByRole('region', { name: `Log output of ${logsName}` });
    await expect.poll(() => logs.locator('.xterm-rows').innerText(), { timeout: 15_000 }).toContain('red line');
    // The ANSI colour reached the screen as a colour, not as escape characters.
    expect(await logs.locator('.xterm-rows').innerText()).not.toContain('[31m');
    expect(await logs.locator('.xterm-rows span[class*="xterm-fg-1"]').count()).toBeGreaterThan(0);
    await screenshot(page, 'containers-logs');

    await page.getByRole('button', { name: `Stop ${logsName}` }).click();
    await expect.poll(() => row.textContent(), { timeout: 30_000 }).toMatch(/Exited \(\d+\)/);
    await page.getByRole('button', { name: `Start ${logsName}` }).click();
    await expect.poll(() => row.textContent(), { timeout: 15_000 }).toMatch(/Up /);

    await page.getByRole('button', { name: `Remove ${logsName}` }).click();
    const confirm = page.getByRole('dialog', { name: `Remove container ${logsName}?` });
    const remove = confirm.getByRole('button', { name: 'Remove' });
    expect(await remove.isDisabled()).toBe(true);
    await confirm.getByLabel(/stop it and remove it \(force\)/).check();
    await remove.click();
    await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(0);
    expect(
      await docker
        .getContainer(logsName)
        .inspect()
        .catch((e: { statusCode?: number }) => e.statusCode),
    ).toBe(404);
    expect(consoleErrors).toEqual([]);
  });

  it('keeps what was typed in the wizard when the container was removed meanwhile', async () => {
    const doomedName = `${name}-doomed`;
    const doomed = await docker.createContainer({
      Image: BUSYBOX,
      name: doomedName,
      Tty: true,
      OpenStdin: true,
      HostConfig: { NetworkMode: 'none' },
    });
    await doomed.start();
    const { page } = await openApp(browser, preview);
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Containers' }).click();
    await page.getByRole('button', { name: `Commit ${doomedName}` }).click();
    const wizard = page.getByRole('region', { name: 'Commit wizard' });
    await wizard.getByRole('button', { name: 'Next: describe the image' }).click();
    await wizard.getByLabel('Repository:tag').fill(`${repository}:doomed`);
    await wizard.getByLabel('Message').fill('never made');
    await doomed.remove({ force: true });
    // The list learns of the removal from the engine's events; the wizard keeps the form and says so.
    await expect.poll(() => page.getByRole('row').filter({ hasText: doomedName }).count(), { timeout: 15_000 }).toBe(0);
    await expect.poll(() => wizard.textContent()).toContain(`${doomedName} is no longer in the container list`);
    await wizard.getByRole('button', { name: 'Commit', exact: true }).click();
    const alert = wizard.getByRole('alert');
    await expect.poll(() => alert.textContent(), { timeout: 15_000 }).toMatch(/no longer exists/);
    expect(await alert.textContent()).toMatch(/Engine answered 404/);
    expect(await wizard.getByLabel('Repository:tag').inputValue()).toBe(`${repository}:doomed`);
    expect(await wizard.getByLabel('Message').inputValue()).toBe('never made');
    await screenshot(page, 'commit-container-gone');
  });
});
