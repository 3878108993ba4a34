import { execFileSync, spawnSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type Docker from 'dockerode';
import tar from 'tar-stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BUSYBOX, describeWithEngine, engineHost, testDocker } from '../engine-available';

const TAG = `strata-it-layers/skopeo:${process.pid}`;

// Three 1.5 MB layers that gzip cannot shrink: skopeo writes their blobs in digest order, and each spans the
// CLI's 1 MiB reads. This is the shape that used to end `strata analyze --ci` silently with exit 0.
const DOCKERFILE = `FROM ${BUSYBOX}
RUN head -c 1500000 /dev/urandom > /a.bin
RUN head -c 1500000 /dev/urandom > /b.bin
RUN head -c 1500000 /dev/urandom > /c.bin
RUN rm /a.bin
`;

async function buildImage(docker: Docker): Promise<void> {
  const pack = tar.pack();
  pack.entry({ name: 'Dockerfile' }, DOCKERFILE);
  pack.finalize();
  const stream: NodeJS.ReadableStream = await docker.buildImage(pack as unknown as NodeJS.ReadableStream, {
    t: TAG,
    networkmode: 'none',
    rm: true,
    forcerm: true,
  });
  const messages = await new Promise<{ error?: string }[]>((resolve, reject) => {
    docker.modem.followProgress(stream, (error, output) =>
      error ? reject(error) : resolve(output as { error?: string }[]),
    );
  });
  const failure = messages.find((message) => message.error);
  if (failure) throw new Error(`build failed: ${failure.error}`);
}

function strataAnalyze(args: string[]) {
  const tsx = path.resolve('node_modules/tsx/dist/cli.mjs');
  return spawnSync(process.execPath, [tsx, path.resolve('src-main/cli/strata.ts'), 'analyze', ...args], {
    encoding: 'utf8',
    timeout: 120_000,
  });
}

describeWithEngine('an oci-archive written by skopeo', () => {
  let docker: Docker;
  let dir: string;
  let ociPath: string;
  let legacyPath: string;

  beforeAll(async () => {
    docker = await testDocker();
    await buildImage(docker);
    dir = await mkdtemp(path.join(tmpdir(), 'strata-skopeo-'));
    ociPath = path.join(dir, 'image.oci.tar');
    legacyPath = path.join(dir, 'image.docker.tar');
    execFileSync('skopeo', [
      'copy',
      '--quiet',
      '--src-daemon-host',
      engineHost as string,
      `docker-daemon:${TAG}`,
      `oci-archive:${ociPath}`,
    ]);
    await pipeline(await docker.getImage(TAG).get(), createWriteStream(legacyPath));
  });

  afterAll(async () => {
    await docker
      ?.getImage(TAG)
      .remove({ force: true })
      .catch(() => undefined);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('is an OCI layout with its blobs in digest order', () => {
    const names = execFileSync('tar', ['tf', ociPath], { encoding: 'utf8' }).trim().split('\n');
    const blobs = names.filter((name) => /^blobs\/sha256\/[0-9a-f]{64}$/.test(name));
    expect(names).toContain('index.json');
    expect(blobs).toEqual([...blobs].sort());
  });

  it('strata analyze --ci prints its verdict and exits by it, with the figures of docker save', () => {
    const oci = strataAnalyze(['--ci', '--json', ociPath]);
    const legacy = strataAnalyze(['--ci', '--json', legacyPath]);
    expect(oci.stderr).toBe('');
    expect(oci.stdout).not.toBe('');
    // /a.bin is written then removed: 1.5 MB wasted of 4.5 MB added, so the default CI rules fail.
    expect(oci.status).toBe(1);
    const fromOci = JSON.parse(oci.stdout) as Record<string, unknown>;
    const fromLegacy = JSON.parse(legacy.stdout) as Record<string, unknown>;
    expect(fromOci.layout).toBe('oci');
    expect(fromOci).toMatchObject({ wastedBytes: 1_500_000, ci: { pass: false } });
    const figures = (json: Record<string, unknown>) => ({
      efficiency: json.efficiency,
      sizeBytes: json.sizeBytes,
      wastedBytes: json.wastedBytes,
      inefficientFiles: json.inefficientFiles,
      layers: (json.layers as { sizeBytes: number; fileCount: number }[]).map((l) => [l.sizeBytes, l.fileCount]),
      ci: json.ci,
    });
    expect(figures(fromOci)).toEqual(figures(fromLegacy));
  });
});
