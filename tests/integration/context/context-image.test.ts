import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type Docker from 'dockerode';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createContextTar } from '../../../src-main/core/context/context-pack';
import { scanContext, type ContextScan } from '../../../src-main/core/context/context-scan';
import { compileDockerignore } from '../../../src-main/core/context/dockerignore-file';
import { removeTrees, tempTree } from '../../unit/context/temp-tree';
import { BUSYBOX, describeWithEngine, onPodman, testDocker } from '../engine-available';
import { trickyContexts } from './tricky-contexts';

const run = promisify(execFile);
const tags: string[] = [];

/** `type|size|path` for everything under /ctx in the image, from a container with no network. */
async function filesInImage(tag: string): Promise<string[]> {
  const script = 'cd /ctx && find . -mindepth 1 | sort | while read -r f; do stat -c "%F|%s|%n" "$f"; done';
  const { stdout } = await run('docker', ['run', '--rm', '--network', 'none', tag, 'sh', '-c', script]);
  return stdout.trim().split('\n').filter(Boolean);
}

/** What the scan says the image will hold: the entries, their parent folders, minus what the daemon removes. */
async function expectedFiles(scan: ContextScan): Promise<string[]> {
  // The classic daemon deletes .dockerignore and the Dockerfile when the context's own .dockerignore excludes them.
  const ignore = scan.entries.find((e) => e.path === '.dockerignore');
  const daemonRules = ignore ? compileDockerignore(await readFile(path.join(scan.contextDir, '.dockerignore'))) : null;
  const removed = new Set(
    ['.dockerignore', scan.dockerfile.relPath].filter((p) => daemonRules?.matchesOrParentMatches(p)),
  );
  const byPath = new Map(scan.entries.map((e) => [e.path, e]));
  const lines = new Map<string, string>();
  for (const e of scan.entries) {
    // Podman (Buildah) applies the .dockerignore itself while it unpacks the context: what it drops never
    // lands, not even the folder a dropped Dockerfile sat in.
    if (onPodman && removed.has(e.path)) continue;
    // The engine creates the parent folders of entries whose folder header was not sent (and keeps
    // them when it deletes the Dockerfile afterwards).
    for (let i = e.path.lastIndexOf('/'); i > 0; i = e.path.lastIndexOf('/', i - 1)) {
      const dir = e.path.slice(0, i);
      if (!lines.has(dir)) lines.set(dir, `directory|-1|./${dir}`);
    }
    if (removed.has(e.path)) continue;
    const target = e.type === 'hardlink' ? (byPath.get(e.linkname as string) ?? e) : e;
    const kind = { file: 'regular file', dir: 'directory', symlink: 'symbolic link' }[
      target.type as 'file' | 'dir' | 'symlink'
    ];
    const size =
      target.type === 'file'
        ? target.size
        : target.type === 'symlink'
          ? Buffer.byteLength(target.linkname as string)
          : -1;
    lines.set(e.path, `${kind}|${size}|./${e.path}`);
  }
  return [...lines.entries()].sort(([a], [b]) => (`./${a}` < `./${b}` ? -1 : 1)).map(([, l]) => l);
}

/** Folder sizes depend on the filesystem: compare them as -1. */
function normaliseDirs(lines: string[]): string[] {
  return lines.map((l) => l.replace(/^directory\|\d+\|/, 'directory|-1|'));
}

async function buildWithOurTar(docker: Docker, scan: ContextScan, tag: string): Promise<void> {
  const stream = await docker.buildImage(createContextTar(scan), {
    t: tag,
    dockerfile: scan.dockerfile.relPath,
    networkmode: 'none',
    rm: true,
    forcerm: true,
  });
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(stream, (err: Error | null, output: { error?: string }[]) => {
      const failed = err ?? output.find((o) => o.error);
      if (failed) reject(failed instanceof Error ? failed : new Error(failed.error));
      else resolve();
    });
  });
}

describeWithEngine('built images hold exactly what `strata context` lists (classic builder, network none)', () => {
  let docker: Docker;
  beforeAll(async () => {
    docker = await testDocker();
    await docker.getImage(BUSYBOX).inspect();
  });
  afterAll(async () => {
    for (const tag of tags) await run('docker', ['rmi', '-f', tag]).catch(() => undefined);
    await removeTrees();
  });

  for (const c of trickyContexts.filter((t) => !t.dockerfileNotSent)) {
    it(c.name, async () => {
      const dir = await tempTree(c.files);
      const scan = await scanContext({
        contextDir: dir,
        builder: 'classic',
        ...(c.dockerfile ? { dockerfile: c.dockerfile } : {}),
      });
      const id = randomBytes(4).toString('hex');
      const cliTag = `strata-test/context-cli-${id}`;
      const ourTag = `strata-test/context-ours-${id}`;
      tags.push(cliTag, ourTag);

      await run(
        'docker',
        ['build', '--network', 'none', '-q', '-t', cliTag, '-f', path.join(dir, c.dockerfile ?? 'Dockerfile'), dir],
        {
          env: { ...process.env, DOCKER_BUILDKIT: '0' },
        },
      );
      await buildWithOurTar(docker, scan, ourTag);

      const fromCli = await filesInImage(cliTag);
      const fromOurs = await filesInImage(ourTag);
      expect(fromOurs).toEqual(fromCli);
      expect(normaliseDirs(fromCli)).toEqual(await expectedFiles(scan));
    });
  }

  it('fails like docker build when docker/cli leaves the Dockerfile out', async () => {
    const c = trickyContexts.find((t) => t.dockerfileNotSent);
    const dir = await tempTree(c!.files);
    const scan = await scanContext({ contextDir: dir, builder: 'classic', dockerfile: c!.dockerfile as string });
    expect(scan.warnings.map((w) => w.code)).toContain('dockerfile-not-sent');
    // Docker says it cannot locate the Dockerfile; Podman fails to stat it in the unpacked context.
    const missingDockerfile = onPodman
      ? /stat \S+\/Dockerfile: no such file or directory/
      : /Cannot locate specified Dockerfile/;
    const tag = `strata-test/context-missing-${randomBytes(4).toString('hex')}`;
    tags.push(tag);
    await expect(
      run('docker', ['build', '--network', 'none', '-t', tag, '-f', path.join(dir, c!.dockerfile as string), dir], {
        env: { ...process.env, DOCKER_BUILDKIT: '0' },
      }),
    ).rejects.toThrow(missingDockerfile);
    await expect(buildWithOurTar(docker, scan, tag)).rejects.toThrow(missingDockerfile);
  });
});
