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

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'strata-it-panel-upload-'));
    app = await startRecordedApp({ engineHost: engineHost as string, dataDir: join(root, 'data') });
  });

  afterAll(async () => {
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
