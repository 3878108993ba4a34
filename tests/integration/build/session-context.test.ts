import { randomBytes } from 'node:crypto';
import { chmod, link, mkdir, mkdtemp, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildDirectory } from '../../../src-main/core/build/build-directory';
import type { BuildEvent } from '../../../src-main/core/build/build-events';
import { BuildHistoryStore } from '../../../src-main/core/build/build-history-store';
import { runBuild } from '../../../src-main/core/build/run-build';
import { type ContextSession, openContextSession } from '../../../src-main/core/build/session/context-session';
import { resolveBuildFiles } from '../../../src-main/core/context/context-build-files';
import { BUSYBOX, describeWithEngine, testDocker } from '../engine-available';
import { removeImagesWithNonce } from './build-context';

const nonce = `nonce-${randomBytes(6).toString('hex')}`;

async function writeTree(dir: string, files: Record<string, string | Buffer>): Promise<void> {
  for (const [file, content] of Object.entries(files)) {
    await mkdir(join(dir, file, '..'), { recursive: true });
    await writeFile(join(dir, file), content);
  }
}

/** One BuildKit build of `contextDir` through a fresh session; the session's counter says what went. */
async function sessionBuild(docker: Docker, contextDir: string, extra: { signal?: AbortSignal; tag?: string } = {}) {
  const files = await resolveBuildFiles({ contextDir, builder: 'buildkit' });
  const session: ContextSession = await openContextSession(docker, files);
  const outcome = await runBuild({
    docker,
    context: session,
    builder: 'buildkit',
    networkMode: 'none',
    tags: [extra.tag ?? `strata-it-session/${nonce}:latest`],
    ...(extra.signal ? { signal: extra.signal } : {}),
  });
  return { outcome, counter: session.counter };
}

const stdoutLines = (events: readonly BuildEvent[]): string[] =>
  events.flatMap((e) => (e.type === 'step-log' && e.stream === 'stdout' ? [e.line] : []));

/** What a RUN printed, without BuildKit's own lines (context transfer, image ID, naming). */
const runOutput = (events: readonly BuildEvent[]): string[] =>
  stdoutLines(events).filter((l) => !/^(transferring |writing image |naming to |Successfully tagged )/.test(l));

describeWithEngine('BuildKit context through a session (FileSync DiffCopy)', () => {
  let docker: Docker;
  let root: string;

  beforeAll(async () => {
    docker = await testDocker();
    root = await mkdtemp(join(tmpdir(), 'strata-it-session-'));
  });

  afterAll(async () => {
    if (docker) await removeImagesWithNonce(docker, nonce);
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('sends every file on the first build and only the changed file on a rebuild', async () => {
    const dir = join(root, 'large');
    const files: Record<string, Buffer | string> = {
      Dockerfile: `FROM ${BUSYBOX}\nLABEL nonce=${nonce}\nCOPY . /ctx/\n`,
      '.dockerignore': 'ignored\n',
      'ignored/big.bin': randomBytes(1 << 20),
    };
    for (let i = 0; i < 200; i++) files[`src/d${i % 10}/f${i}.dat`] = randomBytes(10 * 1024);
    for (let i = 0; i < 4; i++) files[`assets/a${i}.bin`] = randomBytes(1 << 20);
    await writeTree(dir, files);
    const contentBytes = 200 * 10 * 1024 + 4 * (1 << 20);

    const first = await sessionBuild(docker, dir);
    expect(first.outcome.status).toBe('succeeded');
    // Everything in the context but what .dockerignore excludes went once; ignored/ never did.
    expect(first.counter.dataBytes).toBeGreaterThanOrEqual(contentBytes);
    expect(first.counter.dataBytes).toBeLessThan(contentBytes + 4096);
    expect(first.counter.requestedPaths.some((p) => p.startsWith('ignored'))).toBe(false);
    expect(first.counter.requestedPaths).toContain('src/d7/f17.dat');

    // Nothing changed: nothing is sent.
    const same = await sessionBuild(docker, dir);
    expect(same.outcome.status).toBe('succeeded');
    expect(same.counter.dataBytes).toBe(0);
    expect(same.counter.requestedPaths).toEqual([]);

    // One 10 KB file changed: that file, and only its bytes, go.
    await writeFile(join(dir, 'src/d3/f13.dat'), randomBytes(10 * 1024));
    const rebuild = await sessionBuild(docker, dir);
    expect(rebuild.outcome.status).toBe('succeeded');
    expect(rebuild.counter.requestedPaths).toEqual(['src/d3/f13.dat']);
    expect(rebuild.counter.dataBytes).toBe(10 * 1024);
    // Every path was still described (a STAT packet each), so the engine could tell what changed.
    expect(rebuild.counter.stats).toBe(first.counter.stats);
  });

  it('gives the image the same files, modes, links, empty folders and names as the tar does', async () => {
    const dir = join(root, 'same-as-tar');
    await writeTree(dir, {
      Dockerfile: `FROM ${BUSYBOX}\nLABEL nonce=${nonce}\nCOPY . /ctx/\nRUN cd /ctx && find . -mindepth 1 | sort | while read -r f; do stat -c '%n|%A|%u:%g|%F' "$f"; done && find . -type f | sort | xargs md5sum && find . -type l | sort | xargs -n1 readlink\n`,
      'bin/run.sh': '#!/bin/sh\necho run\n',
      'private.txt': 'mine\n',
      'deep/a/b/c.txt': 'c\n',
      'first.txt': 'linked\n',
    });
    await chmod(join(dir, 'bin/run.sh'), 0o755);
    await chmod(join(dir, 'private.txt'), 0o600);
    await mkdir(join(dir, 'empty/inner'), { recursive: true });
    await symlink('deep/a/b/c.txt', join(dir, 'to-c'));
    await symlink('/nowhere', join(dir, 'dangling'));
    await link(join(dir, 'first.txt'), join(dir, 'second.txt'));
    await writeFile(Buffer.concat([Buffer.from(join(dir, 'caf')), Buffer.from([0xe9]), Buffer.from('.txt')]), 'l1\n');

    const history = new BuildHistoryStore(join(root, 'history'));
    const build = async (contextTransfer: 'auto' | 'tar') => {
      const files = await resolveBuildFiles({ contextDir: dir, builder: 'buildkit', forceBuildFiles: true });
      const record = await buildDirectory({
        docker,
        files,
        options: { builder: 'buildkit', networkMode: 'none', noCache: true, tags: [`strata-it-session/${nonce}:same`] },
        history,
        contextTransfer,
      });
      expect(record.status).toBe('succeeded');
      return { record, lines: runOutput(record.events ?? []) };
    };
    const viaSession = await build('auto');
    const viaTar = await build('tar');
    const upload = viaSession.record.events?.findLast((e) => e.type === 'upload');
    expect(upload).toMatchObject({ totalBytes: null, done: true });
    expect(viaSession.lines.length).toBeGreaterThan(10);
    expect(viaSession.lines).toEqual(viaTar.lines);
    const listing = viaSession.lines.join('\n');
    expect(listing).toContain('./bin/run.sh|-rwxr-xr-x|0:0|regular file');
    expect(listing).toContain('./private.txt|-rw-------|0:0|regular file');
    expect(listing).toContain('./empty/inner|drwxr-xr-x|0:0|directory');
    expect(listing).toContain('./to-c|lrwxrwxrwx|0:0|symbolic link');
    expect(listing).toContain('/nowhere');
    expect(listing).toContain('./caf\uFFFD.txt');
  });

  it('builds when .dockerignore excludes the Dockerfile, and keeps it out of the context', async () => {
    const dir = join(root, 'excluded-dockerfile');
    await writeTree(dir, {
      Dockerfile: `FROM ${BUSYBOX}\nRUN echo ${nonce}\nCOPY . /ctx/\nRUN cd /ctx && find . -mindepth 1 | sort\n`,
      '.dockerignore': 'Dockerfile\n*.secret\n',
      'app.txt': 'app\n',
      'key.secret': 'secret\n',
    });
    const { outcome, counter } = await sessionBuild(docker, dir);
    expect(outcome.status).toBe('succeeded');
    const listed = stdoutLines(outcome.events).filter((l) => l.startsWith('./'));
    expect(listed).toEqual(['./.dockerignore', './app.txt']);
    // The Dockerfile went once, in its own folder; the secret never.
    expect(counter.requestedPaths.filter((p) => p === 'Dockerfile')).toHaveLength(1);
    expect(counter.requestedPaths).not.toContain('key.secret');
  });

  it('ends the build and the transfer when cancelled mid-transfer', async () => {
    const dir = join(root, 'cancel');
    await writeTree(dir, { Dockerfile: `FROM ${BUSYBOX}\nLABEL nonce=${nonce}\nCOPY . /ctx/\n` });
    // Sparse: costs no disk here, yet takes a while to send.
    await writeFile(join(dir, 'huge.bin'), '');
    await truncate(join(dir, 'huge.bin'), 1 << 30);
    const files = await resolveBuildFiles({ contextDir: dir, builder: 'buildkit' });
    const session = await openContextSession(docker, files);
    const controller = new AbortController();
    const watch = setInterval(() => {
      if (session.counter.dataBytes > 4 << 20) controller.abort();
    }, 5);
    const outcome = await runBuild({
      docker,
      context: session,
      builder: 'buildkit',
      networkMode: 'none',
      signal: controller.signal,
    }).finally(() => clearInterval(watch));
    expect(outcome.status).toBe('cancelled');
    const sent = session.counter.dataBytes;
    expect(sent).toBeGreaterThan(4 << 20);
    expect(sent).toBeLessThan(1 << 30);
    // The session is closed: nothing more goes, and the next build of the folder works.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(session.counter.dataBytes).toBe(sent);
    await truncate(join(dir, 'huge.bin'), 1 << 20);
    const again = await sessionBuild(docker, dir, { tag: `strata-it-session/${nonce}:after-cancel` });
    expect(again.outcome.status).toBe('succeeded');
  });
});
