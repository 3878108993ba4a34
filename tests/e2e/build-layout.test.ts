import Docker from 'dockerode';
import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BUSYBOX, describeWithEngine, onPodman } from '../integration/engine-available';
import { openBuildView, type BuildView } from './build-view';
import { screenshot } from './harness';

const nonce = `nonce-${randomBytes(6).toString('hex')}`;
const TAG = `strata-e2e-layout/app:${nonce}`;

/** Steps enough to fill the output column, as a real Dockerfile does. */
const dockerfile = (round: number) =>
  `FROM ${BUSYBOX}\n` +
  Array.from({ length: 8 }, (_, i) => `RUN echo ${nonce}-${i} > /f${i}\n`).join('') +
  `RUN echo round-${round}\n`;

describeWithEngine('the Build view after a build: the result in sight, notes not drawn as errors', () => {
  let view: BuildView | undefined;
  let page: Page;

  const summary = () => page.getByRole('region', { name: 'Build summary' });
  const history = () => page.getByRole('table', { name: 'Build history' });

  beforeAll(async () => {
    view = await openBuildView({
      tempPrefix: 'strata-e2e-build-layout-',
      files: { Dockerfile: dockerfile(1) },
      docker: new Docker(),
      nonce,
    });
    page = view.page;
  }, 120_000);

  afterAll(() => view?.close());

  it('builds the same context four times, each kept in the history', async () => {
    await page.getByLabel('Context folder').fill(view!.contextDir);
    await page.getByLabel('Context folder').press('Enter');
    await expect.poll(() => page.getByRole('region', { name: 'Build output' }).textContent()).toContain('Press Build');
    await page.getByLabel('Tags').fill(TAG);
    await page.getByLabel('Network').selectOption('none');
    // Several builds in the history, as after a day's work.
    for (let round = 1; round <= 4; round++) {
      const before = round === 1 ? 0 : (await history().getByRole('row').count()) - 1;
      await page.getByRole('button', { name: 'Build image' }).click();
      await expect.poll(() => history().getByRole('row').count(), { timeout: 60_000 }).toBe(before + 2);
      await summary()
        .getByRole('heading', { name: /^Built in / })
        .waitFor({ timeout: 60_000 });
    }
  }, 300_000);

  /** How much of `box` a person sees: inside the window and inside every scrolled ancestor, none of them scrolled. */
  async function seen(name: string): Promise<{ visible: boolean; scrolled: string[] }> {
    return summary().evaluate((section, label) => {
      const heading = section.querySelector('h2')!;
      const rect = heading.getBoundingClientRect();
      const actions = section.querySelector('.actions')!.getBoundingClientRect();
      let visible = rect.top >= 0 && actions.bottom <= window.innerHeight;
      const scrolled: string[] = [];
      for (let el = section.parentElement; el; el = el.parentElement) {
        const style = getComputedStyle(el);
        if (!/(auto|scroll|hidden)/.test(style.overflowY)) continue;
        const box = el.getBoundingClientRect();
        if (rect.top < box.top || actions.bottom > box.bottom) visible = false;
        if (el.scrollTop > 0) scrolled.push(`${label}: ${el.className || el.tagName} scrolled by ${el.scrollTop}`);
      }
      return { visible, scrolled };
    }, name);
  }

  /** The colours `el` is drawn in (text and left border), and the app's reds (errors, stderr) in the same scheme. */
  const colours = (el: Element) => {
    const red = (variable: string) => {
      const probe = document.createElement('span');
      probe.style.color = `var(${variable}, transparent)`;
      el.appendChild(probe);
      const colour = getComputedStyle(probe).color;
      probe.remove();
      return colour;
    };
    const style = getComputedStyle(el);
    const drawn = [style.color, ...(style.borderLeftStyle === 'none' ? [] : [style.borderLeftColor])];
    return { className: el.className, red: drawn.filter((c) => c === red('--danger') || c === red('--ansi-red')) };
  };

  for (const scheme of ['light', 'dark'] as const) {
    // BuildKit's own note: Podman builds with Buildah, whose plans carry no note on how the context goes.
    it.runIf(!onPodman)(
      `draws BuildKit's note on how the context goes as information, not in the error colour (${scheme})`,
      async () => {
        await page.emulateMedia({ colorScheme: scheme });
        const session = /BuildKit takes the context through a session/;
        const line = page
          .getByRole('log', { name: 'Builder messages outside any step' })
          .locator('.line')
          .filter({ hasText: session });
        const inLog = await line.evaluate(colours);
        expect(inLog.className).toContain('note-info');
        expect(inLog.className).not.toContain('stderr');
        expect(inLog.red).toEqual([]);

        const note = page.getByRole('note', { name: 'Builder note' });
        expect(await note.textContent()).toMatch(session);
        const inPanel = await note.evaluate(colours);
        expect(inPanel.className).toContain('info');
        expect(inPanel.red).toEqual([]);
      },
    );
  }

  for (const [width, height] of [
    [1024, 700],
    [1280, 800],
  ] as const) {
    for (const scheme of ['light', 'dark'] as const) {
      it(`shows the current build's summary without scrolling at ${width}×${height}, ${scheme}`, async () => {
        await page.emulateMedia({ colorScheme: scheme });
        await page.setViewportSize({ width, height });
        await summary().waitFor();
        expect(await history().getByRole('row').count()).toBe(5); // header + 4 builds
        await screenshot(page, `build-summary-${width}x${height}-${scheme}`);
        expect(await seen(`${width}×${height}`)).toEqual({ visible: true, scrolled: [] });
        // The history stays compact: each kept build's buttons inside the window, not past its right edge.
        const overflow = await history()
          .getByRole('button', { name: /^Delete build of / })
          .first()
          .evaluate((button) => {
            const scroller = button.closest('table')!.parentElement!;
            return button.getBoundingClientRect().right - scroller.getBoundingClientRect().right;
          });
        expect(overflow).toBeLessThanOrEqual(0);
      });
    }
  }
});
