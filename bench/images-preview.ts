/**
 * The Images view with 2,000 tags, in the browser preview (Chromium): time from a click on Images (from
 * the Containers view) until its rows are painted, from page load until they are, and the latency of a
 * filter keystroke, beside the engine's own `docker image ls` for the same set.
 *
 *   npm run build && DOCKER_HOST=unix:///... npx tsx bench/images-preview.ts [tags=2000] [runs=5]
 *
 * Prints numbers and ratios; asserts nothing. Makes one image of its own (a commit of busybox), tags it
 * under strata-bench-images/, and removes it with every tag at the end.
 */
import Docker from 'dockerode';
import { execFile } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { addTags, commitBenchImage } from './tagged-image';
import { launchChromium, startPreview } from '../tests/e2e/harness';

const run = promisify(execFile);
const TAGS = Number(process.argv[2] ?? 2000);
const RUNS = Number(process.argv[3] ?? 5);
const REPO = 'strata-bench-images/preview';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function line(label: string, samples: number[]): number {
  const m = median(samples);
  console.log(
    `${label.padEnd(40)} median ${m.toFixed(1).padStart(8)} ms   (min ${Math.min(...samples).toFixed(1)}, max ${Math.max(...samples).toFixed(1)}, n=${samples.length})`,
  );
  return m;
}

async function main(): Promise<void> {
  if (!process.env.DOCKER_HOST) throw new Error('Set DOCKER_HOST to the test engine.');
  const docker = new Docker();
  const imageId = await commitBenchImage(docker, REPO);
  const preview = await startPreview();
  const browser = await launchChromium();
  try {
    await addTags(docker, { imageId, repository: REPO, count: TAGS });
    const total = (await docker.listImages()).reduce((sum, i) => sum + (i.RepoTags?.length ?? 1), 0);
    console.log(`${TAGS} tags created; the engine lists ${total} rows\n`);

    const navigation: number[] = [];
    const clicks: number[] = [];
    const keystroke: number[] = [];
    const clearing: number[] = [];
    let domRows = 0;
    for (let i = 0; i < RUNS; i++) {
      const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      const page = await context.newPage();
      const start = performance.now();
      await page.goto(preview.url);
      await page.waitForFunction(
        (want) => Number(document.querySelector('table[aria-label="Images"]')?.getAttribute('aria-rowcount')) > want,
        TAGS,
        { timeout: 60_000, polling: 'raf' },
      );
      navigation.push(performance.now() - start);
      domRows = await page.locator('table[aria-label="Images"] tbody tr').count();

      // One keystroke at a time, measured in the page from the input event to the next frame after
      // the shown totals change (Svelte has re-filtered, re-sorted and re-rendered the visible rows).
      for (const [text, into] of [
        // Each step changes how many rows match, so each shows on screen.
        ['t01', keystroke],
        ['t019', keystroke],
        ['t0199', keystroke],
        ['t01999', keystroke],
        ['', clearing],
      ] as const) {
        const ms = await page.evaluate((value) => {
          const input = document.querySelector<HTMLInputElement>('input[aria-label="Filter images"]')!;
          const totals = document.querySelector('[aria-label="Shown totals"]')!;
          const before = totals.textContent;
          return new Promise<number>((resolve) => {
            const t0 = performance.now();
            const observer = new MutationObserver(() => {
              if (totals.textContent === before) return;
              observer.disconnect();
              requestAnimationFrame(() => resolve(performance.now() - t0));
            });
            observer.observe(totals, { subtree: true, childList: true, characterData: true });
            input.value = value;
            input.dispatchEvent(new Event('input', { bubbles: true }));
          });
        }, text);
        into.push(ms);
      }

      // Back from another view: measured in the page from the click to the frame after the rows are in the
      // table (the next animation frame is when they are painted).
      for (let c = 0; c < 3; c++) {
        await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Containers' }).click();
        await page.getByRole('region', { name: 'Containers' }).waitFor();
        clicks.push(
          await page.evaluate(async (want) => {
            const button = [...document.querySelectorAll('nav[aria-label="Views"] button')].find(
              (b) => b.textContent?.trim() === 'Images',
            ) as HTMLButtonElement;
            const t0 = performance.now();
            button.click();
            for (;;) {
              await new Promise((resolve) => requestAnimationFrame(resolve));
              const table = document.querySelector('table[aria-label="Images"]');
              if (Number(table?.getAttribute('aria-rowcount')) > want) break;
            }
            // The frame after the rows are in the table is the one that paints them.
            await new Promise((resolve) => requestAnimationFrame(resolve));
            return performance.now() - t0;
          }, TAGS),
        );
      }
      await context.close();
    }

    const cli: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const start = performance.now();
      await run('docker', ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}} {{.ID}} {{.Size}}'], {
        maxBuffer: 1 << 26,
      });
      cli.push(performance.now() - start);
    }

    line('click Images → rows painted (preview)', clicks);
    const nav = line('navigation → rendered list (preview)', navigation);
    const key = line('filter keystroke → rendered (preview)', keystroke);
    line('clear filter → all rows rendered', clearing);
    const ls = line('docker image ls (CLI process)', cli);
    console.log(`\nrows in the DOM with ${total} listed: ${domRows} (only what is visible is rendered)`);
    console.log(`ratio navigation / docker image ls: ${(nav / ls).toFixed(2)}`);
    console.log(`ratio keystroke / docker image ls:  ${(key / ls).toFixed(2)}`);
  } finally {
    await browser.close();
    await preview.stop();
    await docker.getImage(imageId).remove({ force: true });
    console.log(`removed the bench image and its ${TAGS + 1} tags`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
