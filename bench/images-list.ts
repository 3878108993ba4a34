/**
 * Image list with 2,000 tags: our listImages() (rows, container counts) against the engine's own
 * `docker image ls` and the bare API call, on the test engine at DOCKER_HOST.
 *
 *   DOCKER_HOST=unix:///... npx tsx bench/images-list.ts [tags=2000] [runs=7]
 *
 * Prints numbers and ratios; asserts nothing. Creates one image of its own (a commit of busybox),
 * tags it under strata-bench-images/, and removes it (with every tag) at the end.
 */
import Docker from 'dockerode';
import { execFile } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { addTags, commitBenchImage } from './tagged-image';
import { listImages } from '../src-main/core/images/list-images';

const run = promisify(execFile);
const TAGS = Number(process.argv[2] ?? 2000);
const RUNS = Number(process.argv[3] ?? 7);
const REPO = 'strata-bench-images/tagged';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function time(label: string, fn: () => Promise<unknown>): Promise<number> {
  await fn(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  const m = median(samples);
  console.log(
    `${label.padEnd(34)} median ${m.toFixed(1).padStart(8)} ms   (min ${Math.min(...samples).toFixed(1)}, max ${Math.max(...samples).toFixed(1)})`,
  );
  return m;
}

async function main(): Promise<void> {
  if (!process.env.DOCKER_HOST) throw new Error('Set DOCKER_HOST to the test engine.');
  const docker = new Docker();
  await docker.ping();

  const imageId = await commitBenchImage(docker, REPO);
  try {
    const start = performance.now();
    await addTags(docker, { imageId, repository: REPO, count: TAGS });
    console.log(`created ${TAGS} tags in ${((performance.now() - start) / 1000).toFixed(1)} s`);

    const list = await listImages(docker);
    const rows = list.rows.length;
    const cliRows = (await run('docker', ['image', 'ls', '--format', '{{.ID}}'], { maxBuffer: 1 << 26 })).stdout
      .trim()
      .split('\n').length;
    console.log(`rows: ours ${rows}, docker image ls ${cliRows}, images ${list.imageCount}\n`);

    const ours = await time('strata listImages()', () => listImages(docker));
    const api = await time('GET /images/json (dockerode)', () => docker.listImages());
    const cli = await time('docker image ls (CLI process)', () =>
      run('docker', ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}} {{.ID}} {{.Size}}'], { maxBuffer: 1 << 26 }),
    );
    console.log(`\nratio ours / docker image ls: ${(ours / cli).toFixed(2)}`);
    console.log(`ratio ours / bare API call:   ${(ours / api).toFixed(2)}  (rows + container counts on top)`);
  } finally {
    await docker.getImage(imageId).remove({ force: true });
    console.log(`removed the bench image and its ${TAGS + 1} tags`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
