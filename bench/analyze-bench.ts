/**
 * `strata analyze` against the floor of just reading the same image: `docker save IMG | tar -t > /dev/null`
 * from the engine, and `tar -t -f FILE > /dev/null` for a saved archive. Builds, offline, an image of at least
 * 300 MB and 20,000 files: a generated rootfs (random files plus a static busybox) imported with `docker import`,
 * then layers that overwrite, chmod, delete and recreate parts of it. Prints medians, peak memory and ratios;
 * asserts nothing.
 *
 *   DOCKER_HOST=... npx tsx bench/analyze-bench.ts
 *   env: STRATA_BENCH_MB (default 320), STRATA_BENCH_FILES (default 24000), STRATA_BENCH_RUNS (default 3),
 *        STRATA_BENCH_KEEP=1 keeps the image and archive for another run.
 */
import { execFile } from 'node:child_process';
import { createReadStream, existsSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { runAnalyzeCommand } from '../src-main/cli/analyze-command';
import { listFileTreeRows } from '../src-main/core/layers/file-tree-rows';
import { analyzeImage } from '../src-main/core/layers/image-analysis';
import { zstdImplementation } from '../src-main/core/layers/layer-blob-decoder';
import { buildAnalyzeImage, imageExists } from './analyze-fixture';

const exec = promisify(execFile);
const MB = Number(process.env.STRATA_BENCH_MB ?? 320);
const FILES = Number(process.env.STRATA_BENCH_FILES ?? 24000);
const RUNS = Number(process.env.STRATA_BENCH_RUNS ?? 3);
const IMAGE = `strata-bench-analyze/image:${MB}mb-${FILES}`;
const BASE = `strata-bench-analyze/base:${MB}mb-${FILES}`;

interface Measure {
  seconds: number;
  cpuSeconds: number;
  peakMB: number;
}

async function main(): Promise<void> {
  if (process.argv[2] === '--child') return child(process.argv[3] as string);
  if (process.argv[2] === '--rows') return rows(process.argv[3] as string);
  if (!process.env.DOCKER_HOST) {
    console.log('analyze-bench: DOCKER_HOST is not set; start the test engine (npm run engine:start) and export it');
    return;
  }
  const work = await mkdtemp(join(tmpdir(), 'strata-bench-analyze-'));
  const archive = join(tmpdir(), `strata-bench-analyze-${MB}mb-${FILES}.tar`);
  try {
    if (!(await imageExists(IMAGE))) await buildAnalyzeImage(work, { image: IMAGE, base: BASE, mb: MB, files: FILES });
    if (!existsSync(archive)) await exec('docker', ['save', '-o', archive, IMAGE]);
    const archiveBytes = (await stat(archive)).size;
    console.log(`image ${IMAGE}: archive ${(archiveBytes / 1e6).toFixed(1)} MB; zstd decoder: ${zstdImplementation()}`);
    await rows(archive);

    const startup = await repeat(() => timed(process.execPath, ['--import', 'tsx', '-e', '']));
    console.log(
      `runtime overhead included below: node + tsx startup alone ${startup.seconds.toFixed(2)} s, ` +
        `cpu ${startup.cpuSeconds.toFixed(2)} s, peak ${startup.peakMB.toFixed(0)} MB`,
    );
    const engineOurs = await repeat(() => timed(process.execPath, [...tsxArgs(), '--child', IMAGE]));
    const engineFloor = await repeat(() => timed('sh', ['-c', `docker save ${IMAGE} | tar -t > /dev/null`]));
    report('from the engine', [
      ['strata analyze IMAGE', engineOurs],
      ['docker save IMAGE | tar -t', engineFloor],
    ]);
    const fileOurs = await repeat(() => timed(process.execPath, [...tsxArgs(), '--child', archive]));
    const fileStreamed = await repeat(() => timed('sh', ['-c', `cat ${archive} | tar -t > /dev/null`]));
    const fileSeeking = await repeat(() => timed('sh', ['-c', `tar -t -f ${archive} > /dev/null`]));
    report('from a saved archive file', [
      ['strata analyze FILE', fileOurs],
      ['cat FILE | tar -t (reads every byte, as we do)', fileStreamed],
      ['tar -t -f FILE (seeks past file data)', fileSeeking],
    ]);
  } finally {
    await rm(work, { recursive: true, force: true });
    if (process.env.STRATA_BENCH_KEEP !== '1') {
      await rm(archive, { force: true });
      await exec('docker', ['rmi', '-f', IMAGE, BASE]).catch(() => undefined);
    }
  }
}

function tsxArgs(): string[] {
  return ['--import', 'tsx', new URL(import.meta.url).pathname];
}

// The measured process: the CLI's own code path, output discarded.
async function child(target: string): Promise<void> {
  const sink = new Writable({ write: (_chunk, _encoding, callback) => callback() });
  const start = performance.now();
  const code = await runAnalyzeCommand([target, '--json'], { stdout: sink, stderr: process.stderr });
  const seconds = (performance.now() - start) / 1000;
  if (code !== 0) throw new Error(`strata analyze exited ${code}`);
  console.log(JSON.stringify({ inProcessSeconds: seconds, maxRssMB: process.resourceUsage().maxRSS / 1024 }));
}

// How quickly the Files view can page the tree once the image is read.
async function rows(archive: string): Promise<void> {
  const { analysis, tree } = await analyzeImage(createReadStream(archive));
  const last = analysis.layers.length - 1;
  const time = (work: () => unknown): string => {
    const start = performance.now();
    work();
    return `${(performance.now() - start).toFixed(1)} ms`;
  };
  console.log(
    `analysis: ${analysis.layers.length} layers, ${analysis.fileCount} tar entries, ${tree.nodeCount} paths; ` +
      `efficiency ${analysis.efficiency.toFixed(4)}, wasted ${(analysis.wastedBytes / 1e6).toFixed(1)} MB, ` +
      `reclaimable ${(analysis.reclaimableBytes / 1e6).toFixed(1)} MB, size ${(analysis.sizeBytes / 1e6).toFixed(1)} MB`,
  );
  console.log(
    `files view: first page of the last layer ${time(() => listFileTreeRows(tree, { layer: last, limit: 100 }))} cold, ` +
      `${time(() => listFileTreeRows(tree, { layer: last, offset: 12000, limit: 100 }))} for a page deep down; ` +
      `filter ${time(() => listFileTreeRows(tree, { layer: last, filter: 'd05', limit: 100 }))}; ` +
      `changes only ${time(() => listFileTreeRows(tree, { layer: 1, changesOnly: true, limit: 100 }))}; ` +
      `by size ${time(() => listFileTreeRows(tree, { layer: last, sortBy: 'size', limit: 100 }))}`,
  );
}

// GNU time's %M is the peak RSS of the process and the children it waited for (the whole pipeline under sh).
async function timed(command: string, args: string[]): Promise<Measure> {
  const { stdout, stderr } = await exec('/usr/bin/time', ['-f', 'TIME %e %U %S %M', command, ...args], {
    maxBuffer: 1 << 20,
  });
  const match = /TIME ([\d.]+) ([\d.]+) ([\d.]+) (\d+)/.exec(stderr);
  if (!match) throw new Error(`no timing in: ${stderr}`);
  const childReport = /\{.*\}/.exec(stdout);
  if (childReport) {
    const report = JSON.parse(childReport[0]) as { inProcessSeconds: number; maxRssMB: number };
    console.log(`    one run: ${report.inProcessSeconds.toFixed(2)} s inside the process (startup excluded)`);
  }
  return {
    seconds: Number(match[1]),
    cpuSeconds: Number(match[2]) + Number(match[3]),
    peakMB: Number(match[4]) / 1024,
  };
}

async function repeat(measure: () => Promise<Measure>): Promise<Measure> {
  const results: Measure[] = [];
  for (let i = 0; i < RUNS; i++) results.push(await measure());
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
  return {
    seconds: median(results.map((r) => r.seconds)),
    cpuSeconds: median(results.map((r) => r.cpuSeconds)),
    peakMB: median(results.map((r) => r.peakMB)),
  };
}

// The first row is ours; ratios are against each of the others. Medians of STRATA_BENCH_RUNS runs.
function report(label: string, rows: [string, Measure][]): void {
  console.log(`\n${label} (median of ${RUNS}):`);
  for (const [name, m] of rows) {
    console.log(
      `  ${name.padEnd(48)} wall ${m.seconds.toFixed(2).padStart(6)} s  cpu ${m.cpuSeconds.toFixed(2).padStart(6)} s  peak ${m.peakMB.toFixed(0).padStart(4)} MB`,
    );
  }
  const [, ours] = rows[0] as [string, Measure];
  for (const [name, floor] of rows.slice(1)) {
    const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}x` : 'n/a (floor rounds to 0)');
    console.log(
      `  ratio vs ${name}: wall ${ratio(ours.seconds, floor.seconds)}, cpu ${ratio(ours.cpuSeconds, floor.cpuSeconds)}, ` +
        `memory ${ratio(ours.peakMB, floor.peakMB)}`,
    );
  }
}

await main();
