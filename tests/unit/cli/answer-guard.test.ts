import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_ANSWER_EXIT } from '../../../src-main/cli/answer-guard';
import { noise } from '../layers/archive-generator';
import { layerTar, ociArchive } from '../layers/archive-helpers';

const GZIP = 'application/vnd.oci.image.layer.v1.tar+gzip';

const tsx = path.resolve('node_modules/tsx/dist/cli.mjs');
const guard = path.resolve('src-main/cli/answer-guard.ts');
const cli = path.resolve('src-main/cli/strata.ts');

function node(args: string[]) {
  return spawnSync(process.execPath, [tsx, ...args], { encoding: 'utf8', timeout: 60_000 });
}

describe('the command line never exits 0 without an answer', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'strata-guard-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('turns work that stops without settling into an error and a non-zero exit', async () => {
    const script = path.join(dir, 'stalls.ts');
    // A promise nothing will ever settle, and nothing else left to run: Node would exit 0 on its own.
    await writeFile(
      script,
      `import { runGuarded } from ${JSON.stringify(guard)};\nrunGuarded(new Promise<number>(() => undefined), process, 'strata');\n`,
    );
    const result = node([script]);
    expect(result.status).toBe(NO_ANSWER_EXIT);
    expect(result.stderr).toContain('strata: internal error: the work stopped without producing an answer');
    expect(result.stdout).toBe('');
  });

  it('keeps the exit code of work that answered', async () => {
    const script = path.join(dir, 'answers.ts');
    await writeFile(
      script,
      `import { runGuarded } from ${JSON.stringify(guard)};\nrunGuarded(new Promise<number>((r) => setTimeout(() => r(3), 10)), process, 'strata');\n`,
    );
    const result = node([script]);
    expect(result.status).toBe(3);
    expect(result.stderr).toBe('');
  });

  it('strata analyze --ci prints its evaluation for an archive that used to end the process silently', async () => {
    // Three 1.5 MB gzip layers read 1 MiB at a time: the reader awaited one layer's end while the next
    // drained, then waited for that drain forever, and Node exited 0 having printed nothing.
    const layers = await Promise.all(
      [1, 2, 3].map((seed) => layerTar([{ file: `f${seed}`, content: noise(seed, 1_500_000).toString('latin1') }])),
    );
    const config = Buffer.from(JSON.stringify({ rootfs: { diff_ids: [] }, history: [] }));
    const archive = await ociArchive({
      config,
      layers: layers.map((layer) => ({ blob: gzipSync(layer), mediaType: GZIP })),
    });
    const file = path.join(dir, 'three-gzip-layers.tar');
    await writeFile(file, archive);
    const result = node([cli, 'analyze', '--ci', file]);
    expect(result.stdout).toContain('Evaluation:');
    expect(result.stdout).toMatch(/^(PASS|FAIL) \[pass:/m);
    expect([0, 1]).toContain(result.status);
  });
});
