/**
 * Child process of bench/context-bench.ts: scan a context and write its tar to stdout (or upload it to
 * the engine with --upload), then report timings and peak memory as JSON on stderr's last line.
 *   npx tsx bench/context-bench-child.ts <contextDir> [--builder classic] [--upload <tag>]
 */
import Docker from 'dockerode';
import { pipeline } from 'node:stream/promises';
import { createContextTar } from '../src-main/core/context/context-pack';
import { scanContext } from '../src-main/core/context/context-scan';

const [contextDir] = process.argv.slice(2);
const uploadTag = process.argv.includes('--upload') ? process.argv[process.argv.indexOf('--upload') + 1] : undefined;
if (!contextDir) throw new Error('usage: context-bench-child.ts <contextDir> [--upload <tag>]');

const t0 = performance.now();
const scan = await scanContext({ contextDir, builder: 'classic' });
const t1 = performance.now();
if (uploadTag) {
  const docker = new Docker();
  const stream = await docker.buildImage(createContextTar(scan), {
    t: uploadTag,
    networkmode: 'none',
    rm: true,
    forcerm: true,
  });
  await new Promise<void>((resolve, reject) =>
    docker.modem.followProgress(stream, (err: Error | null, out: { error?: string }[]) => {
      const failed = err ?? out.find((o) => o.error);
      if (failed) reject(failed instanceof Error ? failed : new Error(failed.error));
      else resolve();
    }),
  );
} else {
  await pipeline(createContextTar(scan), process.stdout);
}
const t2 = performance.now();
process.stderr.write(
  '\n' +
    JSON.stringify({
      scanMs: t1 - t0,
      sendMs: t2 - t1,
      entries: scan.entries.length,
      totalBytes: scan.totalBytes,
      excluded: scan.excluded,
      maxRssKB: process.resourceUsage().maxRSS,
    }) +
    '\n',
);
