/**
 * Every row of the performance table in one run, each as a ratio against its baseline:
 *
 *   context scan + tar to a pipe     strata context DIR --tar | wc -c   vs  GNU tar -cf - -T (the same files) | wc -c
 *   upload through the build API     Strata's build API upload           vs  DOCKER_BUILDKIT=0 docker build (network none)
 *   rebuild after a one-file change  BuildKit through the session        vs  DOCKER_BUILDKIT=0 docker build (bytes and time)
 *   analyze a docker save archive    strata analyze FILE --json          vs  tar -xOf FILE --wildcards '*layer.tar' | tar -ti
 *   image list / filter keystroke    bench/images-preview.ts (Chromium)  vs  the goal (one frame for a keystroke)
 *
 * Each pair runs interleaved (A B, B A, A B, ...) as separate processes under /usr/bin/time, so a busy
 * machine slows both sides alike; wall time, CPU time (user + system) and peak RSS are medians. Our side runs the CLI bundled
 * with esbuild, as it ships. Asserts nothing.
 *
 *   DOCKER_HOST=unix:///... npm run bench
 *   env: STRATA_BENCH_RUNS (5), STRATA_BENCH_DIR (/tmp/strata-perf-bench, kept between runs),
 *        STRATA_BENCH_UI=0 skips the Images rows (they need `npm run build` and Chromium),
 *        STRATA_BENCH_ONLY=rebuild or =analyze runs that row alone.
 */
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { scanContext } from '../src-main/core/context/context-scan';
import { buildAnalyzeImage, imageExists } from './analyze-fixture';
import { generateContext } from './context-fixture';
import { rebuildRow } from './rebuild-bench';

const exec = promisify(execFile);
const RUNS = Number(process.env.STRATA_BENCH_RUNS ?? 5);
const ROOT = process.env.STRATA_BENCH_DIR ?? '/tmp/strata-perf-bench';
const CONTEXT = path.join(ROOT, 'context');
const ANALYZE = { image: 'strata-bench-analyze/image:320mb-24000', base: 'strata-bench-analyze/base:320mb-24000' };
const ARCHIVE = path.join(ROOT, 'image.tar');
const CACHE = path.resolve('node_modules/.cache/strata-bench');

interface Sample {
  seconds: number;
  /** User + system CPU time: steadier than wall time on a machine busy with other work. */
  cpuSeconds: number;
  peakMiB: number;
}

interface Row {
  measure: string;
  ours: string;
  baseline: string;
  ratio: string;
  goal: string;
}

/** Run a shell pipeline with GNU time around `timedPart` (the part whose wall time, CPU time and peak RSS count). */
async function timed(timedPart: string, rest = '', env: NodeJS.ProcessEnv = process.env): Promise<Sample> {
  const out = path.join(ROOT, `time-${process.pid}.txt`);
  const script = `set -o pipefail; /usr/bin/time -o ${out} -f '%e %U %S %M' ${timedPart} ${rest}`;
  await new Promise<void>((resolve, reject) => {
    const child = spawn('bash', ['-c', script], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`${timedPart} exited ${code}: ${err.slice(-2000)}`)),
    );
  });
  const m = /([\d.]+) ([\d.]+) ([\d.]+) (\d+)\s*$/.exec(await readFile(out, 'utf8'));
  if (!m) throw new Error(`no timing from ${timedPart}`);
  return { seconds: Number(m[1]), cpuSeconds: Number(m[2]) + Number(m[3]), peakMiB: Number(m[4]) / 1024 };
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

/** Interleave A and B (ABBA order) RUNS times each; medians of both. */
async function pair(a: () => Promise<Sample>, b: () => Promise<Sample>): Promise<[Sample, Sample]> {
  await a(); // warm-up: page cache, the engine's layer store
  await b();
  const as: Sample[] = [];
  const bs: Sample[] = [];
  for (let i = 0; i < RUNS; i++) {
    if (i % 2 === 0) {
      as.push(await a());
      bs.push(await b());
    } else {
      bs.push(await b());
      as.push(await a());
    }
  }
  const med = (s: Sample[]): Sample => ({
    seconds: median(s.map((x) => x.seconds)),
    cpuSeconds: median(s.map((x) => x.cpuSeconds)),
    peakMiB: median(s.map((x) => x.peakMiB)),
  });
  return [med(as), med(bs)];
}

const fmt = (s: Sample): string =>
  `${s.seconds.toFixed(2)} s (cpu ${s.cpuSeconds.toFixed(2)} s), ${s.peakMiB.toFixed(0)} MiB`;
const x = (a: number, b: number): string => `${(a / b).toFixed(2)}×`;

/**
 * A CLI bundled as it ships (vite/rollup splits it at dynamic imports, so a command loads only its own
 * code): esbuild with splitting, into its own folder. No TypeScript loader in the numbers.
 */
async function bundle(entry: string, name: string): Promise<string> {
  const esbuild = await import('esbuild');
  const outdir = path.join(CACHE, name);
  await rm(outdir, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: { [name]: path.resolve(entry) },
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    outdir,
    outExtension: { '.js': '.mjs' },
    packages: 'external',
    logLevel: 'warning',
  });
  return path.join(outdir, `${name}.mjs`);
}

async function engineUp(): Promise<boolean> {
  if (!process.env.DOCKER_HOST) return false;
  return exec('docker', ['version', '--format', '{{.Server.Version}}']).then(
    () => true,
    () => false,
  );
}

async function contextRows(cli: string, child: string, engine: boolean): Promise<Row[]> {
  await generateContext(CONTEXT, 50_000, 1_200_000_000);
  const scan = await scanContext({ contextDir: CONTEXT, builder: 'classic' });
  const list = path.join(ROOT, 'context-files.txt');
  await writeFile(list, scan.entries.map((e) => e.path).join('\n') + '\n');
  console.log(
    `context: ${CONTEXT}, sends ${scan.fileCount} files (${(scan.totalBytes / 2 ** 20).toFixed(0)} MiB of tar), excludes ${scan.excluded} paths`,
  );
  // Both write into a pipe read by wc: GNU tar writing to /dev/null would skip reading file data.
  const [ours, gnu] = await pair(
    () => timed(`node ${cli} context ${CONTEXT} --tar --builder classic --engine-kind docker`, '| wc -c'),
    () => timed(`tar -C ${CONTEXT} -cf - --no-recursion -T ${list}`, '| wc -c'),
  );
  const rows: Row[] = [
    {
      measure: 'context scan + tar to a pipe',
      ours: fmt(ours),
      baseline: `GNU tar ${fmt(gnu)}`,
      ratio: `${x(ours.seconds, gnu.seconds)} time (cpu ${x(ours.cpuSeconds, gnu.cpuSeconds)}), ${x(ours.peakMiB, gnu.peakMiB)} memory`,
      goal: '≤ 1.2× time, ≤ 64 MiB',
    },
  ];
  if (!engine) {
    rows.push({
      measure: 'upload through the build API',
      ours: '-',
      baseline: '-',
      ratio: 'no engine',
      goal: '≤ 1.0×',
    });
    return rows;
  }
  const tag = `strata-bench/context:${randomBytes(3).toString('hex')}`;
  const [upload, cliBuild] = await pair(
    () => timed(`node ${child} ${CONTEXT} --upload ${tag}`),
    () =>
      timed(`docker build --network none -q -t ${tag} ${CONTEXT}`, '', {
        ...process.env,
        DOCKER_BUILDKIT: '0',
      }),
  );
  await exec('docker', ['rmi', '-f', tag]).catch(() => undefined);
  rows.push({
    measure: 'upload through the build API',
    ours: fmt(upload),
    baseline: `docker build (classic) ${fmt(cliBuild)}`,
    ratio: `${x(upload.seconds, cliBuild.seconds)} time (cpu ${x(upload.cpuSeconds, cliBuild.cpuSeconds)}), ${x(upload.peakMiB, cliBuild.peakMiB)} memory`,
    goal: '≤ 1.0×',
  });
  return rows;
}

async function rebuildOf(engine: boolean): Promise<Row> {
  const measure = 'rebuild after a one-file (10 KB) change';
  if (!engine) return { measure, ours: '-', baseline: '-', ratio: 'no engine', goal: '≤ 0.3× time, ≤ 1% of the bytes' };
  await generateContext(CONTEXT, 50_000, 1_200_000_000);
  const child = await bundle('bench/rebuild-bench-child.ts', 'rebuild-bench-child');
  const { tag, ...row } = await rebuildRow(ROOT, CONTEXT, child, { timed, pair, fmt, x });
  await exec('docker', ['rmi', '-f', tag]).catch(() => undefined);
  return row;
}

async function analyzeRow(cli: string, engine: boolean): Promise<Row> {
  if (!existsSync(ARCHIVE)) {
    if (!engine)
      return { measure: 'strata analyze of an archive', ours: '-', baseline: '-', ratio: 'no engine', goal: '' };
    if (!(await imageExists(ANALYZE.image))) {
      const work = await mkdtemp(path.join(tmpdir(), 'strata-bench-analyze-'));
      try {
        await buildAnalyzeImage(work, { ...ANALYZE, mb: 320, files: 24_000 });
      } finally {
        await rm(work, { recursive: true, force: true });
      }
    }
    await exec('docker', ['save', '-o', `${ARCHIVE}.part`, ANALYZE.image]);
    await exec('mv', [`${ARCHIVE}.part`, ARCHIVE]);
  }
  console.log(`archive: ${ARCHIVE}, ${((await stat(ARCHIVE)).size / 1e6).toFixed(0)} MB`);
  const [ours, floor] = await pair(
    () => timed(`node ${cli} analyze ${ARCHIVE} --json`, '> /dev/null'),
    () => timed(`bash -c "tar -xOf ${ARCHIVE} --wildcards '*layer.tar' | tar -ti > /dev/null"`),
  );
  return {
    measure: 'strata analyze of the archive',
    ours: fmt(ours),
    baseline: `tar -xOf … | tar -ti ${fmt(floor)}`,
    ratio: `${x(ours.seconds, floor.seconds)} time (cpu ${x(ours.cpuSeconds, floor.cpuSeconds)}), ${x(ours.peakMiB, floor.peakMiB)} memory`,
    goal: '≤ 2.0× time, ≤ 150 MiB',
  };
}

/** The Images rows: bench/images-preview.ts in Chromium against the preview; goals are absolute. */
async function uiRows(engine: boolean): Promise<Row[]> {
  const skip = (why: string): Row[] => [
    {
      measure: 'image list, 2,000 tags: click Images until rows painted',
      ours: '-',
      baseline: '-',
      ratio: why,
      goal: '≤ 150 ms',
    },
    { measure: 'image list, 2,000 tags: page load until rows painted', ours: '-', baseline: '-', ratio: why, goal: '' },
    { measure: 'filter keystroke, 2,000 tags', ours: '-', baseline: '-', ratio: why, goal: '≤ 16 ms' },
  ];
  if (process.env.STRATA_BENCH_UI === '0') return skip('skipped (STRATA_BENCH_UI=0)');
  if (!engine) return skip('no engine');
  if (!existsSync('dist/.build-stamp')) return skip('run `npm run build` first');
  const { stdout } = await exec(
    process.execPath,
    ['--import', 'tsx', path.resolve('bench/images-preview.ts'), '2000', String(RUNS)],
    { maxBuffer: 1 << 24 },
  );
  const ms = (label: string): number => Number(new RegExp(`${label}.*?median\\s+([\\d.]+) ms`).exec(stdout)?.[1]);
  const click = ms('click Images → rows painted');
  const nav = ms('navigation → rendered list');
  const key = ms('filter keystroke → rendered');
  const ls = ms('docker image ls');
  return [
    {
      measure: 'image list, 2,000 tags: click Images until rows painted',
      ours: `${click.toFixed(0)} ms`,
      baseline: `docker image ls ${ls.toFixed(0)} ms; goal 150 ms`,
      ratio: `${x(click, 150)} of goal`,
      goal: '≤ 150 ms',
    },
    {
      measure: 'image list, 2,000 tags: page load until rows painted',
      ours: `${nav.toFixed(0)} ms`,
      baseline: `docker image ls ${ls.toFixed(0)} ms`,
      ratio: `${x(nav, ls)} of docker image ls`,
      goal: '-',
    },
    {
      measure: 'filter keystroke, 2,000 tags',
      ours: `${key.toFixed(1)} ms`,
      baseline: 'one frame, 16 ms',
      ratio: `${x(key, 16)} of goal`,
      goal: '≤ 16 ms',
    },
  ];
}

function print(rows: Row[]): void {
  const cols: (keyof Row)[] = ['measure', 'ours', 'baseline', 'ratio', 'goal'];
  const cells = rows.map((r) => cols.map((c) => r[c].replaceAll('|', '\\|')));
  const width = cols.map((c, i) => Math.max(c.length, ...cells.map((r) => (r[i] as string).length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(width[i] as number)).join(' | ')} |`;
  console.log(
    `\nmedians of ${RUNS} interleaved runs; load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} at the end`,
  );
  console.log(line(cols));
  console.log(line(width.map((w) => '-'.repeat(w))));
  for (const r of cells) console.log(line(r));
}

async function main(): Promise<void> {
  await mkdir(ROOT, { recursive: true });
  const engine = await engineUp();
  if (!engine) console.log('no engine at DOCKER_HOST: rows that need one are skipped (npm run engine:start)');
  const only = process.env.STRATA_BENCH_ONLY;
  const cli = await bundle('src-main/cli/strata.ts', 'strata');
  const rows: Row[] = [];
  if (!only) {
    const child = await bundle('bench/context-bench-child.ts', 'context-bench-child');
    rows.push(...(await contextRows(cli, child, engine)));
  }
  if (!only || only === 'rebuild') rows.push(await rebuildOf(engine));
  if (!only || only === 'analyze') rows.push(await analyzeRow(cli, engine));
  if (!only) rows.push(...(await uiRows(engine)));
  print(rows);
}

await main();
