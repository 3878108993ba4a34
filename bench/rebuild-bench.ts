/**
 * The rebuild row: after one 10 KB file of the bench context changes, a BuildKit build through the session
 * (only what changed goes) against the docker CLI's classic build (the whole context goes as a tar). The
 * Dockerfile (outside the context) copies the folder that holds the changed file, so both rebuilds have the
 * same work to do once the context is in: the difference is the transfer.
 */
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { scanContext } from '../src-main/core/context/context-scan';

interface Sample {
  seconds: number;
  cpuSeconds: number;
  peakMiB: number;
}
type Timed = (timedPart: string, rest?: string, env?: NodeJS.ProcessEnv) => Promise<Sample>;
type Pair = (a: () => Promise<Sample>, b: () => Promise<Sample>) => Promise<[Sample, Sample]>;

export const CHANGED = 'src/d0/d0/f0.dat';

export async function rebuildRow(
  root: string,
  context: string,
  child: string,
  tools: { timed: Timed; pair: Pair; fmt: (s: Sample) => string; x: (a: number, b: number) => string },
) {
  const dockerfile = path.join(root, 'rebuild.Dockerfile');
  await writeFile(dockerfile, `FROM scratch\nCOPY ${path.posix.dirname(CHANGED)}/ /src/\n`);
  const scan = await scanContext({ contextDir: context, dockerfile, builder: 'classic' });
  const out = path.join(root, 'rebuild-sent.json');
  const tag = `strata-bench/rebuild:${randomBytes(3).toString('hex')}`;
  const change = () => writeFile(path.join(context, CHANGED), randomBytes(10 * 1024));
  const sent: number[] = [];
  const [ours, cli] = await tools.pair(
    async () => {
      await change();
      const sample = await tools.timed(`node ${child} ${context} ${dockerfile} ${tag} ${out}`);
      sent.push((JSON.parse(await readFile(out, 'utf8')) as { dataBytes: number }).dataBytes);
      return sample;
    },
    async () => {
      await change();
      return tools.timed(`docker build --network none -q -f ${dockerfile} -t ${tag} ${context}`, '', {
        ...process.env,
        DOCKER_BUILDKIT: '0',
      });
    },
  );
  // The warm-up ran first and sent everything; the measured rebuilds are the rest.
  const bytes = [...sent.slice(1)].sort((a, b) => a - b)[Math.floor((sent.length - 1) / 2)] as number;
  return {
    measure: 'rebuild after a one-file (10 KB) change',
    ours: `${tools.fmt(ours)}; sent ${bytes} B`,
    baseline: `docker build (classic) ${tools.fmt(cli)}; sent ${scan.totalBytes} B`,
    ratio: `${tools.x(ours.seconds, cli.seconds)} time, ${((100 * bytes) / scan.totalBytes).toFixed(4)}% of the bytes`,
    goal: '≤ 0.3× time, ≤ 1% of the bytes',
    tag,
  };
}
