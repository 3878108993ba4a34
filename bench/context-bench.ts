/**
 * Build-context packing: time and peak memory of Strata's scan + tar (bench/context-bench-child.ts,
 * writing the tar to a pipe) against GNU tar over the same included files, and — when an engine is
 * reachable at DOCKER_HOST — the upload of that context by `DOCKER_BUILDKIT=0 docker build` against
 * Strata's upload through the build API. Prints numbers and ratios; asserts nothing.
 *
 * Both tars go through a pipe to `wc -c`: GNU tar writing straight to /dev/null notices and skips
 * reading file contents, which would make it no baseline at all.
 *
 *   npx tsx bench/context-bench.ts
 *   STRATA_BENCH_FILES=2000 STRATA_BENCH_MB=40 npx tsx bench/context-bench.ts     (small)
 *
 * Env: STRATA_BENCH_FILES (50000), STRATA_BENCH_MB (1000), STRATA_BENCH_DIR (/tmp/strata-context-bench),
 * STRATA_BENCH_KEEP=1 keeps the generated context, STRATA_BENCH_RUNS (3, the median is reported).
 */
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { scanContext } from '../src-main/core/context/context-scan';
import { contextSize } from '$shared/images/format';
import { generateContext } from './context-fixture';

const run = promisify(execFile);
const FILES = Number(process.env.STRATA_BENCH_FILES ?? 50_000);
const BYTES = Number(process.env.STRATA_BENCH_MB ?? 1000) * 1_000_000;
const ROOT = process.env.STRATA_BENCH_DIR ?? '/tmp/strata-context-bench';
const RUNS = Number(process.env.STRATA_BENCH_RUNS ?? 3);
const CONTEXT = path.join(ROOT, `ctx-${FILES}-${BYTES}`);
const generate = (): Promise<void> => generateContext(CONTEXT, FILES, BYTES);

interface Measured {
  seconds: number;
  maxRssKB: number;
  bytes?: number;
  child?: { scanMs: number; sendMs: number; entries: number; totalBytes: number; excluded: number; maxRssKB: number };
}

/** Run a shell pipeline under /usr/bin/time; stdout goes to `wc -c` so the output is really produced. */
async function timed(command: string, cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<Measured> {
  const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn('bash', ['-c', `set -o pipefail; /usr/bin/time -f '__time %e %M' ${command} | wc -c`], {
      cwd,
      env,
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (err += d));
    child.on('close', (code) =>
      code === 0 ? resolve({ stdout: out, stderr: err }) : reject(new Error(`${command} exited ${code}: ${err}`)),
    );
  });
  const t = /__time ([\d.]+) (\d+)/.exec(stderr);
  const childLine = stderr
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .pop();
  return {
    seconds: Number(t?.[1]),
    maxRssKB: Number(t?.[2]),
    bytes: Number(stdout.trim()),
    ...(childLine ? { child: JSON.parse(childLine) as Measured['child'] } : {}),
  };
}

function median<T>(items: T[], key: (t: T) => number): T {
  return [...items].sort((a, b) => key(a) - key(b))[Math.floor(items.length / 2)] as T;
}

async function repeat(fn: () => Promise<Measured>): Promise<Measured> {
  const results: Measured[] = [];
  for (let i = 0; i < RUNS; i++) results.push(await fn());
  return median(results, (r) => r.seconds);
}

/**
 * How to run the child: bundled into one file with esbuild (as the shipped CLI is bundled) so the
 * numbers are not those of a TypeScript loader; through tsx if esbuild is not installed.
 */
async function childCommand(): Promise<string> {
  const source = path.resolve('bench/context-bench-child.ts');
  try {
    const esbuild = (await import('esbuild')) as { build(options: Record<string, unknown>): Promise<unknown> };
    const outfile = path.resolve('node_modules/.cache/strata-bench/context-bench-child.mjs');
    await esbuild.build({
      entryPoints: [source],
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile,
      packages: 'external',
    });
    return `node ${outfile}`;
  } catch {
    return `node ${path.resolve('node_modules/tsx/dist/cli.mjs')} ${source}`;
  }
}

const mb = (kb: number): string => `${(kb / 1024).toFixed(0)} MiB`;
const ratio = (a: number, b: number): string => `${(a / b).toFixed(2)}x`;

async function engineUp(): Promise<boolean> {
  if (!process.env.DOCKER_HOST) return false;
  try {
    await run('docker', ['version', '--format', '{{.Server.Version}}']);
    return true;
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  await mkdir(ROOT, { recursive: true });
  console.log(`context: ${FILES} files, ~${contextSize(BYTES)}, node_modules and .git excluded (${CONTEXT})`);
  const t = performance.now();
  await generate();
  console.log(`generated in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  const scan = await scanContext({ contextDir: CONTEXT, builder: 'classic' });
  console.log(
    `sends ${scan.entries.length} entries (${scan.fileCount} files), ${contextSize(scan.totalBytes)} of tar; excluded ${scan.excluded} paths`,
  );
  const list = path.join(ROOT, 'filelist.txt');
  await writeFile(list, scan.entries.map((e) => e.path).join('\n') + '\n');
  // Warm the page cache once so every run reads from memory alike.
  await run('bash', ['-c', `tar -cf - --no-recursion -T ${list} | cat > /dev/null`], {
    cwd: CONTEXT,
    maxBuffer: 1 << 20,
  });

  const child = await childCommand();
  const ours = await repeat(() => timed(`${child} ${CONTEXT}`, CONTEXT));
  const gnuTar = await repeat(() => timed(`tar -cf - --no-recursion -T ${list}`, CONTEXT));
  console.log('\npacking the context into a pipe (median of %d runs)', RUNS);
  console.log(
    `  strata scan+tar   ${ours.seconds.toFixed(2)} s  peak ${mb(ours.maxRssKB)}  (scan ${(ours.child!.scanMs / 1000).toFixed(2)} s, tar ${(ours.child!.sendMs / 1000).toFixed(2)} s; ${ours.bytes} bytes, scan said ${ours.child!.totalBytes})`,
  );
  console.log(
    `  GNU tar -T list   ${gnuTar.seconds.toFixed(2)} s  peak ${mb(gnuTar.maxRssKB)}  (${gnuTar.bytes} bytes)`,
  );
  console.log(
    `  ratio strata/tar  time ${ratio(ours.seconds, gnuTar.seconds)}, peak memory ${ratio(ours.maxRssKB, gnuTar.maxRssKB)}`,
  );

  if (await engineUp()) {
    const tag = `strata-bench/context:${randomBytes(3).toString('hex')}`;
    const env = { ...process.env, DOCKER_BUILDKIT: '0' };
    const cli = await repeat(() => timed(`docker build --network none -q -t ${tag} .`, CONTEXT, env));
    const upload = await repeat(() => timed(`${child} ${CONTEXT} --upload ${tag}`, CONTEXT));
    await run('docker', ['rmi', '-f', tag]).catch(() => undefined);
    console.log('\nuploading the context to the engine (FROM scratch, classic builder)');
    console.log(`  docker build      ${cli.seconds.toFixed(2)} s  peak ${mb(cli.maxRssKB)}`);
    console.log(
      `  strata upload     ${upload.seconds.toFixed(2)} s  peak ${mb(upload.maxRssKB)}  (scan ${(upload.child!.scanMs / 1000).toFixed(2)} s, send+build ${(upload.child!.sendMs / 1000).toFixed(2)} s)`,
    );
    console.log(
      `  ratio strata/cli  time ${ratio(upload.seconds, cli.seconds)}, peak memory ${ratio(upload.maxRssKB, cli.maxRssKB)}`,
    );
  } else {
    console.log('\n(no engine at DOCKER_HOST: docker CLI upload comparison skipped)');
  }
  if (process.env.STRATA_BENCH_KEEP !== '1') await rm(ROOT, { recursive: true, force: true });
}

await main();
