import Docker from 'dockerode';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { BUSYBOX, describeWithEngine, onPodman } from '../integration/engine-available';
import { launchChromium, openApp, screenshot, startPreview, type Preview } from './harness';

const prefix = `strata-e2e-everyday-${process.pid}`;

/** The visible text of the xterm.js screen inside the named terminal region. */
function screenText(page: Page, label: string): Promise<string> {
  return page.getByRole('region', { name: label }).locator('.xterm-rows').innerText();
}

/** How many rows the xterm.js screen has now: the size the container's TTY should have. */
function screenRows(page: Page, label: string): Promise<number> {
  return page.getByRole('region', { name: label }).locator('.xterm-rows > div').count();
}

async function openContainers(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Containers' }).click();
}

describeWithEngine('containers: everyday use in the browser preview', () => {
  let preview: Preview;
  let browser: Browser;
  const docker = new Docker();
  const hostDir = mkdtempSync(join(tmpdir(), 'strata-e2e-bind-'));

  beforeAll(async () => {
    preview = await startPreview();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await preview?.stop();
    for (const c of await docker.listContainers({ all: true })) {
      if (c.Names.some((n) => n.startsWith(`/${prefix}`))) {
        await docker
          .getContainer(c.Id)
          .remove({ force: true })
          .catch(() => undefined);
      }
    }
    rmSync(hostDir, { recursive: true, force: true });
  });

  it('attaches before the container starts, follows panel resizes, and reconnects after one', async () => {
    const name = `${prefix}-early`;
    const { page, consoleErrors } = await openApp(browser, preview);
    await page.setViewportSize({ width: 1200, height: 700 });
    await openContainers(page);
    await page.getByRole('button', { name: 'Run a container…' }).click();
    const run = page.getByRole('dialog', { name: 'Run a container' });
    await run.getByLabel('Image').fill(BUSYBOX);
    await run.getByLabel('Name (optional)').fill(name);
    await run.getByLabel('Command (optional)').fill(`sh -c 'echo early; sleep 3; echo late; exec sh'`);
    await run.getByRole('button', { name: 'Run' }).click();

    const label = `Terminal output and input for ${name}`;
    await page.getByRole('region', { name: label }).waitFor({ timeout: 20_000 });
    await expect.poll(() => screenText(page, label), { timeout: 20_000 }).toMatch(/late/);
    // Output written the instant the container started is there too, as with `docker run -it`.
    expect(await screenText(page, label)).toMatch(/early[\s\S]*late/);

    // The TTY has the size of the panel, and follows it when the window grows.
    const sizeLine = async (marker: string): Promise<string> => {
      await page.getByRole('region', { name: label }).click();
      await page.keyboard.type(`clear; echo ${marker}=$(stty size)`);
      await page.keyboard.press('Enter');
      let found = '';
      await expect
        .poll(
          async () => {
            found = new RegExp(`${marker}=(\\d+ \\d+)`).exec(await screenText(page, label))?.[1] ?? '';
            return found;
          },
          { timeout: 15_000 },
        )
        .toMatch(/^\d+ \d+$/);
      return found;
    };
    const before = await sizeLine('s1');
    expect(Number(before.split(' ')[0])).toBe(await screenRows(page, label));
    await page.setViewportSize({ width: 1400, height: 1000 });
    await expect.poll(() => screenRows(page, label), { timeout: 10_000 }).toBeGreaterThan(Number(before.split(' ')[0]));
    const rows = await screenRows(page, label);
    await expect.poll(() => sizeLine(`s${rows}`), { timeout: 20_000 }).toMatch(new RegExp(`^${rows} \\d+$`));
    const after = await sizeLine('s3');
    expect(Number(after.split(' ')[1])).toBeGreaterThan(Number(before.split(' ')[1]));
    await screenshot(page, 'containers-terminal-resized');

    // Detach, then Reconnect: the session opens again (the resize left nothing behind that breaks it).
    await page.getByRole('button', { name: 'Detach' }).click();
    await expect
      .poll(() => page.getByRole('status').first().textContent(), { timeout: 15_000 })
      .toContain(`Detached: ${name} keeps running.`);
    await page.getByRole('button', { name: 'Reconnect' }).click();
    await expect
      .poll(() => page.getByRole('status').first().textContent(), { timeout: 15_000 })
      .toContain(`Attached to ${name}`);
    expect(await page.getByRole('alert').count()).toBe(0);
    await page.getByRole('region', { name: label }).click();
    await page.keyboard.type('echo again-$((1+1))');
    await page.keyboard.press('Enter');
    await expect.poll(() => screenText(page, label), { timeout: 15_000 }).toMatch(/again-2/);
    expect(consoleErrors).toEqual([]);
  });

  it('runs with --rm, a port, a bind volume, a working directory, a user and environment, as the shown docker run line says', async () => {
    const name = `${prefix}-options`;
    writeFileSync(join(hostDir, 'hello.txt'), 'from the host\n', { mode: 0o644 });
    // The container runs as user 1234: the folder must be readable by others, as a shared folder would be.
    chmodSync(hostDir, 0o755);
    const { page, consoleErrors } = await openApp(browser, preview);
    await page.setViewportSize({ width: 1000, height: 800 });
    await openContainers(page);
    await page.getByRole('button', { name: 'Run a container…' }).click();
    const run = page.getByRole('dialog', { name: 'Run a container' });
    await run.getByLabel('Image').fill(BUSYBOX);
    await run.getByLabel('Name (optional)').fill(name);
    await run
      .getByLabel('Command (optional)')
      .fill(`sh -c 'echo pwd=$(pwd) uid=$(id -u) greet=$GREETING; cat /data/hello.txt; sleep 600'`);
    await run.getByLabel(/^Ports \(-p\)/).fill('bad');
    await expect.poll(() => run.textContent()).toContain('"bad" is not HOST:CONTAINER');
    expect(await run.getByRole('button', { name: 'Run' }).isDisabled()).toBe(true);
    await run.getByLabel(/^Ports \(-p\)/).fill('127.0.0.1:18080:80');
    await run.getByLabel(/^Volumes \(-v\)/).fill(`${hostDir}:/data:ro`);
    await run.getByLabel('Working directory (-w)').fill('/tmp');
    await run.getByLabel('User (-u)').fill('1234');
    await run.getByLabel(/^Environment/).fill('GREETING=hi there');
    await run.getByLabel('Remove the container when it stops (--rm)').check();
    await run.getByLabel('Interactive terminal (-it)').uncheck();
    const line = run.getByLabel('Equivalent docker run command');
    await expect
      .poll(() => line.textContent())
      .toBe(
        `docker run -d --rm --name ${name} -e 'GREETING=hi there' -p 127.0.0.1:18080:80 -v ${hostDir}:/data:ro -w /tmp -u 1234 ${BUSYBOX} sh -c 'echo pwd=$(pwd) uid=$(id -u) greet=$GREETING; cat /data/hello.txt; sleep 600'`,
      );
    await screenshot(page, 'containers-run-options');
    await run.getByRole('button', { name: 'Run' }).click();

    // Not interactive: the logs open, and show what the options did inside the container.
    const logs = page.getByRole('region', { name: `Log output of ${name}` });
    await expect
      .poll(() => logs.locator('.xterm-rows').innerText(), { timeout: 20_000 })
      .toMatch(/pwd=\/tmp uid=1234 greet=hi there[\s\S]*from the host/);
    const info = await docker.getContainer(name).inspect();
    expect(info.HostConfig.AutoRemove).toBe(true);
    expect(info.HostConfig.PortBindings).toEqual({ '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '18080' }] });
    // Podman reports the bind with the mount options it applied by default spelled out.
    expect(info.HostConfig.Binds).toEqual([`${hostDir}:/data:ro${onPodman ? ',rprivate,rbind' : ''}`]);

    // --rm: stopping it removes it.
    await page.getByRole('button', { name: `Stop ${name}` }).click();
    await expect.poll(() => page.getByRole('row').filter({ hasText: name }).count(), { timeout: 30_000 }).toBe(0);
    expect(consoleErrors).toEqual([]);
  });

  it('keeps relative times moving, the name readable and every row action in view at 1000 px', async () => {
    const name = `${prefix}-tick`;
    const created = await docker.createContainer({
      Image: BUSYBOX,
      name,
      Cmd: ['sleep', '600'],
      HostConfig: { NetworkMode: 'none' },
    });
    await created.start();
    const { page, consoleErrors } = await openApp(browser, preview);
    await page.setViewportSize({ width: 1000, height: 700 });
    await openContainers(page);
    const row = page.getByRole('row').filter({ hasText: name });
    await row.waitFor({ timeout: 15_000 });
    const status = row.getByRole('cell').filter({ hasText: /^Up / });
    const first = (await status.textContent()) ?? '';
    expect(first).toMatch(/^Up /);
    // No click, no engine event: the status moves on by itself.
    await expect.poll(() => status.textContent(), { timeout: 30_000 }).not.toBe(first);

    // The name keeps its room: Created gives up its column (the status says how long ago already, and its
    // hover gives the exact creation time), and the name keeps a usual name's width before command and image.
    expect(await page.getByRole('columnheader', { name: 'Created' }).isVisible()).toBe(false);
    expect(await status.getAttribute('title')).toMatch(/^Created .+ \(.+\)$/);
    const nameBox = await row.getByRole('cell').first().boundingBox();
    const commandBox = await row.getByRole('cell').nth(2).boundingBox();
    expect(nameBox!.width).toBeGreaterThanOrEqual(110);
    expect(nameBox!.width).toBeGreaterThanOrEqual(commandBox!.width);

    // Every action of the row is inside the window, with no sideways scrolling to reach it.
    const list = page.locator('.list');
    const widths = await list.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
    expect(widths.scroll).toBeLessThanOrEqual(widths.client);
    for (const action of [`Stop ${name}`, `Terminal in ${name}`, `Logs of ${name}`, `Remove ${name}`]) {
      const box = await page.getByRole('button', { name: action }).boundingBox();
      expect(box).not.toBeNull();
      expect(box!.x + box!.width).toBeLessThanOrEqual(1000);
    }
    await screenshot(page, 'containers-1000px');
    expect(consoleErrors).toEqual([]);
  });
});
