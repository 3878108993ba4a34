import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContextReport } from '../../../src-main/ipc/contract/context';
import type { JobEvent } from '../../../src-main/ipc/contract/jobs';
import { readTar } from '../../unit/context/tar-read';
import { BUSYBOX, describeWithEngine, engineHost, onPodman } from '../engine-available';
import { startRecordedApp, type RecordedApp } from '../upload-recorder';
import { observeSessions } from '../../../src-main/core/build/session/build-session';
import { canRequestData } from '../../../src-main/core/build/session/sync-walk';

/** What one DiffCopy call of a session described (STAT packets): its folder, include patterns and regular files. */
interface SentCall {
  dir: string;
  includes: readonly string[];
  files: { path: string; size: number }[];
}

const nonce = `nonce-${randomBytes(6).toString('hex')}`;
const dockerfile = `FROM ${BUSYBOX}\nRUN echo ${nonce}\nCOPY . /ctx/\nRUN cd /ctx && find . -mindepth 1 -type f | sort\n`;
type Builder = 'auto' | 'classic' | 'buildkit';

/**
 * Contexts whose ignore rules the builders read differently, each with whether the secret is sent. Docker's
 * classic builder reads .dockerignore only; BuildKit prefers Dockerfile.dockerignore; Podman's Buildah reads
 * Dockerfile.dockerignore, Dockerfile.containerignore, .containerignore, .dockerignore, first found wins.
 */
const contexts: Record<string, { files: Record<string, string>; secretSent: (builder: Builder) => boolean }> = {
  // The case: the rules live in Dockerfile.dockerignore, and .dockerignore is empty.
  'Dockerfile.dockerignore excludes the Dockerfile and a secret': {
    files: {
      Dockerfile: dockerfile,
      'Dockerfile.dockerignore': 'Dockerfile\nsecret.txt\n',
      '.dockerignore': '',
      'secret.txt': 'top secret\n',
      'app.txt': 'app\n',
      'sub/x.txt': 'x\n',
    },
    // Only an explicit classic build on Docker may send it: docker's classic builder never reads Dockerfile.dockerignore.
    secretSent: (builder) => !onPodman && builder === 'classic',
  },
  '.dockerignore excludes the Dockerfile and a secret': {
    files: {
      Dockerfile: dockerfile,
      '.dockerignore': 'Dockerfile\nsecret.txt\n',
      'secret.txt': 'top secret\n',
      'app.txt': 'app\n',
    },
    secretSent: () => false,
  },
  // Podman's own ignore file: Buildah reads it before .dockerignore; Docker never reads it.
  '.containerignore excludes the secret, .dockerignore the Dockerfile': {
    files: {
      Dockerfile: dockerfile,
      '.containerignore': 'secret.txt\n',
      '.dockerignore': 'Dockerfile\n',
      'secret.txt': 'top secret\n',
      'app.txt': 'app\n',
    },
    secretSent: () => !onPodman,
  },
};
const builders: Builder[] = ['auto', 'classic', 'buildkit'];

describeWithEngine('the context panel lists exactly the bytes build.start uploads', () => {
  let app: RecordedApp;
  let root: string;
  let sessionCalls: SentCall[] = [];
  let stopObserving: (() => void) | undefined;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'strata-it-panel-upload-'));
    // Every path each session describes to the engine, through the session's own hook.
    stopObserving = observeSessions((session) => {
      const calls = new Map<object, SentCall>();
      session.counter.onStat = (info, stat) => {
        let sent = calls.get(info);
        if (!sent) {
          sent = { dir: info.dir, includes: info.includes, files: [] };
          calls.set(info, sent);
          sessionCalls.push(sent);
        }
        // Regular files only (a hard link's second name has a link target and no content of its own).
        if (canRequestData(stat.mode) && stat.linkname.length === 0)
          sent.files.push({ path: stat.path.toString('utf8'), size: stat.size });
      };
    });
    app = await startRecordedApp({ engineHost: engineHost as string, dataDir: join(root, 'data') });
  });

  afterAll(async () => {
    stopObserving?.();
    await app?.close(nonce);
    if (root) await rm(root, { recursive: true, force: true });
  });

  describe.each(Object.entries(contexts))('%s', (name, { files, secretSent }) => {
    let contextDir: string;
    beforeAll(async () => {
      contextDir = join(root, name.replace(/\W+/g, '-'));
      for (const [file, content] of Object.entries(files)) {
        await mkdir(join(contextDir, file, '..'), { recursive: true });
        await writeFile(join(contextDir, file), content);
      }
      // A name that is not UTF-8 (file names are bytes): docker sends it, so must every builder here.
      await writeFile(Buffer.concat([Buffer.from(join(contextDir, 'caf')), Buffer.from([0xe9])]), 'latin-1\n');
    });

    // Podman has no BuildKit: the panel says so, and build.start refuses before anything is sent.
    it.runIf(onPodman)('with builder buildkit: refused on Podman, in the panel and by build.start', async () => {
      const report = await app.call<ContextReport>('context.scan', { contextDir, builder: 'buildkit', top: 100 });
      const refusal =
        'Podman has no BuildKit: it builds with Buildah, which Strata drives as the classic builder. Choose Automatic or Classic builder.';
      expect(report.builderNote).toBe(refusal);
      const before = app.proxy.uploads.length;
      await expect(
        app.call('build.start', { contextDir, options: { builder: 'buildkit', networkMode: 'none', noCache: true } }),
      ).rejects.toMatchObject({ code: 'invalid-input', message: refusal });
      expect(app.proxy.uploads.length).toBe(before);
    });

    it.each(builders.filter((b) => !(onPodman && b === 'buildkit')))('with builder %s', async (builder) => {
      const report = await app.call<ContextReport>('context.scan', { contextDir, builder, top: 100 });

      const before = app.proxy.uploads.length;
      sessionCalls = [];
      const { jobId } = await app.call<{ jobId: string }>('build.start', {
        contextDir,
        options: { builder, networkMode: 'none', noCache: true },
      });
      const job = await app.services.jobs.settled(jobId);
      expect(job.state).toBe('done');
      const { events } = await app.call<{ events: JobEvent[] }>('jobs.events', { jobId });
      const data = events.flatMap((e) => (e.kind === 'build' && e.type === 'step' ? [e.data] : []));
      const started = data[0];
      if (started?.stage !== 'started') throw new Error('no started event');
      // The same builder and the same explanation as the panel.
      expect(started.options.builder).toBe(report.builder);
      expect(started.note).toBe(report.builderNote);

      const listedFiles = [...report.largestFiles].sort((a, b) => (a.path < b.path ? -1 : 1));
      if (report.builder === 'buildkit') {
        // BuildKit pulls the context through a session (only what changed): no tar goes up.
        expect(app.proxy.uploads.length).toBe(before + 1);
        expect((app.proxy.uploads.at(-1) as Buffer).length).toBe(0);
        expect(app.proxy.upgrades.at(-1)).toMatch(/\/session$/);
        // The files the session described for the context (the call with no include patterns: the frontend's
        // other calls fetch single files, such as the Dockerfile from its own folder) are the panel's, exactly.
        const whole = sessionCalls.filter((c) => c.dir === 'context' && c.includes.length === 0);
        expect(whole).toHaveLength(1);
        const sentFiles = [...(whole[0] as SentCall).files].sort((a, b) => (a.path < b.path ? -1 : 1));
        expect(sentFiles).toEqual(listedFiles);
        expect(report.fileCount).toBe(sentFiles.length);
        expect(report.forcedPatterns).toEqual([]);
        // The Dockerfile went on its own, from its folder.
        expect(sessionCalls.some((c) => c.dir === 'dockerfile' && c.files.some((f) => f.path === 'Dockerfile'))).toBe(
          true,
        );
      } else {
        // The bytes on the wire: the panel's size, entry count and files (with sizes) exactly.
        expect(app.proxy.uploads.length).toBe(before + 1);
        const upload = app.proxy.uploads.at(-1) as Buffer;
        expect(upload.length).toBe(report.totalBytes);
        const { entries } = await readTar(Readable.from([upload]));
        expect(entries.length).toBe(report.entryCount);
        const uploadedFiles = entries
          .filter((e) => e.type === 'file')
          .map((e) => ({ path: e.name, size: e.size }))
          .sort((a, b) => (a.path < b.path ? -1 : 1));
        expect(uploadedFiles).toEqual(listedFiles);
        expect(report.fileCount).toBe(uploadedFiles.length);
        expect(uploadedFiles.map((f) => f.path)).toContain('caf\uFFFD');
      }

      // What COPY . put in the image is what the panel lists, less the build files sent only for the builder
      // to read (Docker's classic daemon and Podman's Buildah drop them again; BuildKit's session never sends
      // an excluded file: the Dockerfile travels on its own).
      const readOnly = new Set(report.forcedPatterns.map((p) => p.slice(1)));
      const inImage = events
        .flatMap((e) => (e.kind === 'build' && e.type === 'output' ? e.data : []))
        .flatMap((e) => (e.type === 'step-log' && e.line.startsWith('./') ? [e.line.slice(2)] : []))
        .sort();
      expect(inImage).toEqual(listedFiles.map((f) => f.path).filter((p) => !readOnly.has(p)));
      expect(inImage).toContain('app.txt');
      expect(inImage).toContain('caf\uFFFD');

      // The image holds the secret exactly when the panel says it is sent.
      expect(inImage.includes('secret.txt')).toBe(secretSent(builder));
      if (secretSent(builder) && name.startsWith('Dockerfile.dockerignore'))
        expect(report.builderNote).toMatch(/classic builder does not read Dockerfile\.dockerignore/);
      if (onPodman && name.startsWith('.containerignore'))
        expect(report.builderNote).toBe(
          'Podman builds with Buildah, which reads .containerignore before .dockerignore: the rules in .dockerignore are not applied.',
        );
    });
  });
});

// An engine that refuses BuildKit's session (the proxy answers /session with 404, as Podman does): the build
// falls back to a tar that must carry the excluded Dockerfile, and from then on the panel plans that tar.
describeWithEngine('when the engine refuses a BuildKit session', () => {
  let app: RecordedApp;
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'strata-it-panel-refused-'));
    app = await startRecordedApp({ engineHost: engineHost as string, dataDir: join(root, 'data') });
    app.proxy.refuseSessions = true;
  });
  afterAll(async () => {
    await app?.close(nonce);
    if (root) await rm(root, { recursive: true, force: true });
  });

  it.runIf(!onPodman)(
    'falls back to the tar with the Dockerfile in it, and the panel then lists that tar',
    async () => {
      const contextDir = join(root, 'ctx');
      await mkdir(contextDir);
      await writeFile(join(contextDir, 'Dockerfile'), dockerfile);
      await writeFile(join(contextDir, '.dockerignore'), 'Dockerfile\nsecret.txt\n');
      await writeFile(join(contextDir, 'secret.txt'), 'top secret\n');
      await writeFile(join(contextDir, 'app.txt'), 'app\n');
      const scan = (builder: Builder) => app.call<ContextReport>('context.scan', { contextDir, builder, top: 100 });
      const build = async (builder: Builder) => {
        const before = app.proxy.uploads.length;
        const { jobId } = await app.call<{ jobId: string }>('build.start', {
          contextDir,
          options: { builder, networkMode: 'none', noCache: true },
        });
        expect((await app.services.jobs.settled(jobId)).state).toBe('done');
        expect(app.proxy.uploads.length).toBe(before + 1);
        return app.proxy.uploads.at(-1) as Buffer;
      };
      const names = async (tar: Buffer) => (await readTar(Readable.from([tar]))).entries.map((e) => e.name).sort();

      // Planned as a session (nothing says yet that this engine refuses one): the Dockerfile is not listed.
      expect(await scan('buildkit')).toMatchObject({ builder: 'buildkit', forcedPatterns: [], fileCount: 2 });
      const first = await build('buildkit');
      expect(app.proxy.upgrades.at(-1)).toMatch(/\/session$/);
      // BuildKit reads the Dockerfile from the tar, so the fallback carries it (and the log said why).
      expect(await names(first)).toEqual(['.dockerignore', 'Dockerfile', 'app.txt']);

      // From now on the panel plans the tar this engine gets, exactly.
      const report = await scan('buildkit');
      expect(report).toMatchObject({ builder: 'buildkit', forcedPatterns: ['!Dockerfile'], totalBytes: first.length });
      expect(report.builderNote).toMatch(
        /^Warning: \.dockerignore excludes Dockerfile, but BuildKit \(the engine refused a BuildKit session \(404 page not found\), so the context goes as a tar\) needs it/,
      );
      const upgrades = app.proxy.upgrades.length;
      const again = await build('buildkit');
      expect(app.proxy.upgrades.length).toBe(upgrades);
      expect(again.length).toBe(report.totalBytes);
      // auto then takes the classic builder, whose daemon removes the Dockerfile again, as docker build does.
      const auto = await scan('auto');
      expect(auto.builder).toBe('classic');
      expect((await build('auto')).length).toBe(auto.totalBytes);
    },
  );
});
