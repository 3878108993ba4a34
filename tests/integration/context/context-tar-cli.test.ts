import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readTar } from '../../unit/context/tar-read';
import { runProcess } from '../../unit/run-process';
import { BUSYBOX, describeWithEngine, engineHost, onPodman } from '../engine-available';
import { startRecordedApp, type RecordedApp } from '../upload-recorder';

const nonce = `nonce-${randomBytes(6).toString('hex')}`;
const dockerfile = `FROM ${BUSYBOX}\nRUN echo ${nonce}\nCOPY . /ctx/\nRUN cd /ctx && find . -mindepth 1 | sort && cat app.txt\n`;

/** Run the real CLI (through tsx, as a separate process with a real stdout pipe); returns stdout's bytes. */
function strataCli(args: string[], stdin?: Buffer): Promise<{ code: number | null; stdout: Buffer; stderr: string }> {
  return runProcess(
    process.execPath,
    [resolve('node_modules/tsx/dist/cli.mjs'), resolve('src-main/cli/strata.ts'), ...args],
    process.env,
    stdin,
  );
}

describeWithEngine('strata context --tar writes the tar a build uploads', () => {
  let app: RecordedApp;
  let root: string;
  let contextDir: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'strata-it-context-tar-'));
    contextDir = join(root, 'ctx');
    const files: Record<string, string | Buffer> = {
      Dockerfile: dockerfile,
      '.dockerignore': 'secret.txt\nbuild/**/*.o\n',
      'app.txt': 'app\n',
      'secret.txt': 'top secret\n',
      'bin/run.sh': '#!/bin/sh\necho run\n',
      'build/a/x.o': 'object\n',
      'build/a/keep.c': 'int main(){}\n',
      // Larger than the packer's small-file batch, so it is streamed in pieces.
      'assets/big.bin': randomBytes(300 * 1024 + 7),
      'empty.txt': '',
    };
    for (const [file, content] of Object.entries(files)) {
      await mkdir(join(contextDir, file, '..'), { recursive: true });
      await writeFile(join(contextDir, file), content);
    }
    await chmod(join(contextDir, 'bin/run.sh'), 0o755);
    await mkdir(join(contextDir, 'empty-dir'));
    await symlink('app.txt', join(contextDir, 'link-to-app'));
    // A name that is not UTF-8: file names are bytes, and docker sends them as they are.
    await writeFile(Buffer.concat([Buffer.from(join(contextDir, 'caf')), Buffer.from([0xe9])]), 'latin-1\n');

    app = await startRecordedApp({ engineHost: engineHost as string, dataDir: join(root, 'data') });
  });

  afterAll(async () => {
    await app?.close(nonce);
    if (root) await rm(root, { recursive: true, force: true });
  });

  // `strata context` plans offline (it never asks the engine), so it writes BuildKit's tar on any machine; Podman
  // has no BuildKit, and build.start there refuses before sending anything, saying what to choose instead.
  it.runIf(onPodman)('with builder buildkit on Podman: the tar is written, and build.start refuses it', async () => {
    const cli = await strataCli(['context', contextDir, '--tar', '--builder', 'buildkit']);
    expect(cli.stderr).toMatch(/^strata context: a BuildKit build sends no tar when the engine takes a session/);
    expect(cli.code).toBe(0);
    expect((await readTar(Readable.from([cli.stdout]))).entries.map((e) => e.name)).toContain('bin/run.sh');
    const before = app.proxy.uploads.length;
    await expect(
      app.call('build.start', { contextDir, options: { builder: 'buildkit', networkMode: 'none', noCache: true } }),
    ).rejects.toMatchObject({
      code: 'invalid-input',
      message:
        'Podman has no BuildKit: it builds with Buildah, which Strata drives as the classic builder. Choose Automatic or Classic builder.',
    });
    expect(app.proxy.uploads.length).toBe(before);
  });

  // A BuildKit build sends a tar only when the engine refuses a session (the proxy answers 404 here, as an
  // engine without sessions does); --tar writes that tar, and says so on stderr.
  it.each(onPodman ? (['classic'] as const) : (['classic', 'buildkit'] as const))(
    'with builder %s: entry by entry and byte for byte the same as build.start sends',
    async (builder) => {
      const cli = await strataCli(['context', contextDir, '--tar', '--builder', builder]);
      if (builder === 'buildkit')
        expect(cli.stderr).toBe(
          'strata context: a BuildKit build sends no tar when the engine takes a session (the files go one by one); this is the tar uploaded when the engine refuses one.\n',
        );
      else expect(cli.stderr).toBe('');
      expect(cli.code).toBe(0);

      app.proxy.refuseSessions = builder === 'buildkit';
      const { state, upload } = await app
        .buildAndRecord({ contextDir, options: { builder, networkMode: 'none', noCache: true } })
        .finally(() => (app.proxy.refuseSessions = false));
      expect(state).toBe('done');
      if (builder === 'buildkit') {
        expect(app.proxy.upgrades.at(-1)).toMatch(/\/session$/);
        // The refusal is remembered for this engine: the panel now plans the tar the build sent, and says why.
        const report = await app.call<{ builderNote?: string; totalBytes: number }>('context.scan', {
          contextDir,
          builder,
        });
        expect(report.totalBytes).toBe(upload.length);
        expect(report.builderNote).toBe(
          'BuildKit: the engine refused a BuildKit session (404 page not found), so the context goes as a tar, whole at every build.',
        );
      }

      const ours = (await readTar(Readable.from([cli.stdout]))).entries;
      const sent = (await readTar(Readable.from([upload]))).entries;
      const shape = (e: (typeof ours)[number]) => ({
        name: e.name,
        type: e.type,
        mode: e.mode,
        size: e.size,
        uid: e.uid,
        gid: e.gid,
        linkname: e.linkname,
        content: e.content.toString('base64'),
      });
      expect(ours.map(shape)).toEqual(sent.map(shape));
      const names = ours.map((e) => e.name);
      expect(names).toContain('bin/run.sh');
      expect(names).toContain('assets/big.bin');
      expect(names).toContain('link-to-app');
      expect(names).not.toContain('secret.txt');
      expect(names).not.toContain('build/a/x.o');
      expect(ours.find((e) => e.name === 'bin/run.sh')?.mode).toBe(0o755);
      // Including the raw bytes of the non-UTF-8 name, which the reader above decodes lossily.
      expect(cli.stdout.equals(upload)).toBe(true);
    },
  );

  it('pipes into the classic docker CLI: `docker build -` builds it, network none', async () => {
    const cli = await strataCli(['context', contextDir, '--tar', '--builder', 'classic']);
    expect(cli.code).toBe(0);
    const tag = `strata-test/context-tar:${nonce}`;
    const build = await runProcess(
      'docker',
      ['build', '--network', 'none', '--no-cache', '-t', tag, '-'],
      { ...process.env, DOCKER_BUILDKIT: '0' },
      cli.stdout,
    );
    expect(build.stderr).not.toMatch(/error/i);
    expect(build.code).toBe(0);
    const log = build.stdout.toString();
    expect(log).toContain('./assets/big.bin');
    expect(log).toContain('./bin/run.sh');
    expect(log).toContain('./empty-dir');
    expect(log).not.toContain('./secret.txt');
    expect(log).toMatch(/^app$/m);
    expect(log).toContain(`Successfully tagged ${tag}`);
  });

  it('refuses --tar with --json, as bad usage', async () => {
    const both = await strataCli(['context', contextDir, '--tar', '--json']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--tar and --json cannot be used together');
    expect(both.stdout.length).toBe(0);
  });
});
