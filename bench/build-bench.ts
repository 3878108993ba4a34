/**
 * End-to-end build time of Strata's runBuild (classic builder and BuildKit) against the docker CLI's classic
 * builder (`DOCKER_BUILDKIT=0 docker build`) for the same Dockerfile and context, cold (no cache) and warm
 * (everything cached). Prints medians and ratios; asserts nothing.
 *   DOCKER_HOST=... npx tsx bench/build-bench.ts [--runs 5]
 */
import Docker from 'dockerode';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { pack } from 'tar-stream';
import type { BuilderKind } from '../src-main/core/build/build-events';
import { runBuild } from '../src-main/core/build/run-build';

const run = promisify(execFile);
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 3;
const REPO = 'strata-bench-build/app';
const nonce = randomBytes(4).toString('hex');

const DOCKERFILE = `FROM strata-test/busybox
RUN echo ${nonce} > /nonce
WORKDIR /app
COPY src/ ./src/
RUN dd if=/dev/zero of=/app/blob bs=1M count=16 2>/dev/null && sha256sum /app/blob > /app/blob.sum
RUN for i in $(seq 1 200); do echo line $i; done > /app/lines.txt
ENV MODE=bench
RUN cat /app/src/*.txt | wc -c
CMD ["sh"]
`;

async function makeContext(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'strata-bench-build-'));
  await mkdir(join(dir, 'src'));
  for (let i = 0; i < 200; i++) await writeFile(join(dir, 'src', `file-${i}.txt`), `file ${i}\n`.repeat(200));
  await writeFile(join(dir, 'Dockerfile'), DOCKERFILE);
  return dir;
}

/** The same files the CLI sends, as a tar in memory (the context packer is benchmarked on its own). */
async function tarOf(dir: string): Promise<Buffer> {
  const tar = pack();
  tar.entry({ name: 'Dockerfile', mode: 0o644 }, await readFile(join(dir, 'Dockerfile')));
  tar.entry({ name: 'src/', type: 'directory', mode: 0o755 });
  for (const name of (await readdir(join(dir, 'src'))).sort()) {
    tar.entry({ name: `src/${name}`, mode: 0o644 }, await readFile(join(dir, 'src', name)));
  }
  tar.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of tar as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

async function strata(docker: Docker, tar: Buffer, builder: BuilderKind, noCache: boolean): Promise<number> {
  const start = performance.now();
  const outcome = await runBuild({
    docker,
    context: Readable.from([tar]),
    contextSize: tar.length,
    builder,
    tags: [`${REPO}:${builder}`],
    noCache,
    networkMode: 'none',
  });
  if (outcome.status !== 'succeeded') throw new Error(`${builder} build failed: ${outcome.error?.message}`);
  return performance.now() - start;
}

async function cli(dir: string, noCache: boolean): Promise<number> {
  const start = performance.now();
  const args = ['build', '-q', '--network', 'none', '-t', `${REPO}:cli`, ...(noCache ? ['--no-cache'] : []), dir];
  await run('docker', args, { env: { ...process.env, DOCKER_BUILDKIT: '0' } });
  return performance.now() - start;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

async function measure(label: string, once: () => Promise<number>): Promise<number> {
  await once(); // warm-up: page cache, engine connection, image metadata
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await once());
  const m = median(times);
  console.log(
    `${label.padEnd(34)} median ${m.toFixed(0).padStart(6)} ms   (${times.map((t) => t.toFixed(0)).join(', ')})`,
  );
  return m;
}

/** Every image whose history carries this run's nonce: the results and the classic builds' untagged layers. */
async function removeBenchImages(docker: Docker): Promise<void> {
  const ours: Array<{ id: string; created: number }> = [];
  for (const image of await docker.listImages({ all: true })) {
    const history = (await docker
      .getImage(image.Id)
      .history()
      .catch(() => [])) as Array<{ CreatedBy?: string }>;
    if (history.some((h) => h.CreatedBy?.includes(nonce))) ours.push({ id: image.Id, created: image.Created });
  }
  for (const image of ours.sort((a, b) => b.created - a.created)) {
    await docker
      .getImage(image.id)
      .remove({ force: true })
      .catch(() => undefined);
  }
}

async function main(): Promise<void> {
  const docker = new Docker();
  await docker.ping();
  const dir = await makeContext();
  const tar = await tarOf(dir);
  console.log(
    `context: ${tar.length} bytes tar, ${runs} runs each after one warm-up; engine ${process.env.DOCKER_HOST ?? '(default)'}`,
  );
  try {
    const results: Record<string, number> = {};
    for (const cache of ['cold', 'warm'] as const) {
      const noCache = cache === 'cold';
      results[`cli-${cache}`] = await measure(`docker CLI classic, ${cache}`, () => cli(dir, noCache));
      results[`classic-${cache}`] = await measure(`strata classic, ${cache}`, () =>
        strata(docker, tar, 'classic', noCache),
      );
      results[`buildkit-${cache}`] = await measure(`strata BuildKit, ${cache}`, () =>
        strata(docker, tar, 'buildkit', noCache),
      );
    }
    console.log('\nratio to the docker CLI (classic builder), < 1 is faster:');
    for (const cache of ['cold', 'warm']) {
      const base = results[`cli-${cache}`] ?? NaN;
      for (const builder of ['classic', 'buildkit']) {
        console.log(`  ${cache} ${builder.padEnd(9)} ${((results[`${builder}-${cache}`] ?? NaN) / base).toFixed(2)}`);
      }
    }
  } finally {
    for (const tag of ['cli', 'classic', 'buildkit'])
      await docker
        .getImage(`${REPO}:${tag}`)
        .remove()
        .catch(() => undefined);
    await removeBenchImages(docker);
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
