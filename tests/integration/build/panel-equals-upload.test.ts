import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, disposeServices, type Services } from '../../../src-main/ipc/services';
import type { ContextReport } from '../../../src-main/ipc/contract/context';
import type { JobEvent } from '../../../src-main/ipc/contract/jobs';
import { dispatch, type Reply } from '../../../src-main/ipc/dispatch';
import { createHandlers } from '../../../src-main/ipc/handlers';
import { readTar } from '../../unit/context/tar-read';
import { BUSYBOX, describeWithEngine, engineHost } from '../engine-available';
import { removeImagesWithNonce } from './build-context';
import { startRecordingProxy } from './recording-proxy';

const nonce = `nonce-${randomBytes(6).toString('hex')}`;
const trusted = { trusted: true, description: 'test' };
const dockerfile = `FROM ${BUSYBOX}\nRUN echo ${nonce}\nCOPY . /ctx/\nRUN cd /ctx && find . -mindepth 1 -type f | sort\n`;

/** Two contexts whose ignore rules the builders read differently. */
const contexts = {
  // The case: the rules live in Dockerfile.dockerignore, and .dockerignore is empty.
  'Dockerfile.dockerignore excludes the Dockerfile and a secret': {
    Dockerfile: dockerfile,
    'Dockerfile.dockerignore': 'Dockerfile\nsecret.txt\n',
    '.dockerignore': '',
    'secret.txt': 'top secret\n',
    'app.txt': 'app\n',
    'sub/x.txt': 'x\n',
  },
  '.dockerignore excludes the Dockerfile and a secret': {
    Dockerfile: dockerfile,
    '.dockerignore': 'Dockerfile\nsecret.txt\n',
    'secret.txt': 'top secret\n',
    'app.txt': 'app\n',
  },
} satisfies Record<string, Record<string, string>>;

describeWithEngine('the context panel lists exactly the bytes build.start uploads', () => {
  let services: Services;
  let handlers: ReturnType<typeof createHandlers>;
  let proxy: Awaited<ReturnType<typeof startRecordingProxy>>;
  let root: string;

  const call = async <T>(channel: string, payload: unknown): Promise<T> => {
    const reply: Reply = await dispatch(handlers, channel, payload, trusted);
    if (!reply.ok) throw Object.assign(new Error(reply.error.message), reply.error);
    return reply.result as T;
  };

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'strata-it-panel-upload-'));
    proxy = await startRecordingProxy(engineHost as string);
    services = createServices({ dataDir: join(root, 'data'), env: { ...process.env, DOCKER_HOST: proxy.host } });
    handlers = createHandlers(services);
    await services.engine.connect();
  });

  afterAll(async () => {
    if (services) {
      await removeImagesWithNonce(services.engine.docker(), nonce);
      disposeServices(services);
    }
    await proxy?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  describe.each(Object.entries(contexts))('%s', (name, files) => {
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

    it.each(['auto', 'classic', 'buildkit'] as const)('with builder %s', async (builder) => {
      const report = await call<ContextReport>('context.scan', { contextDir, builder, top: 100 });

      const before = proxy.uploads.length;
      const { jobId } = await call<{ jobId: string }>('build.start', {
        contextDir,
        options: { builder, networkMode: 'none', noCache: true },
      });
      const job = await services.jobs.settled(jobId);
      expect(job.state).toBe('done');
      const { events } = await call<{ events: JobEvent[] }>('jobs.events', { jobId });
      const data = events.flatMap((e) => (e.kind === 'build' && e.type === 'step' ? [e.data] : []));
      const started = data[0];
      if (started?.stage !== 'started') throw new Error('no started event');
      // The same builder and the same explanation as the panel.
      expect(started.options.builder).toBe(report.builder);
      expect(started.note).toBe(report.builderNote);

      // The bytes on the wire: the panel's size, entry count and files (with sizes) exactly.
      expect(proxy.uploads.length).toBe(before + 1);
      const upload = proxy.uploads.at(-1) as Buffer;
      expect(upload.length).toBe(report.totalBytes);
      const { entries } = await readTar(Readable.from([upload]));
      expect(entries.length).toBe(report.entryCount);
      const uploadedFiles = entries
        .filter((e) => e.type === 'file')
        .map((e) => ({ path: e.name, size: e.size }))
        .sort((a, b) => (a.path < b.path ? -1 : 1));
      const listedFiles = [...report.largestFiles].sort((a, b) => (a.path < b.path ? -1 : 1));
      expect(uploadedFiles).toEqual(listedFiles);
      expect(report.fileCount).toBe(uploadedFiles.length);

      // The image holds the secret exactly when the panel says it is sent.
      const inImage = events
        .flatMap((e) => (e.kind === 'build' && e.type === 'output' ? e.data : []))
        .flatMap((e) => (e.type === 'step-log' && e.stream === 'stdout' && e.line.startsWith('./') ? [e.line] : []));
      const secretListed = report.largestFiles.some((f) => f.path === 'secret.txt');
      expect(inImage.includes('./secret.txt')).toBe(secretListed);
      expect(inImage).toContain('./app.txt');
      expect(inImage).toContain('./caf\uFFFD');
      expect(uploadedFiles.map((f) => f.path)).toContain('caf\uFFFD');
      // Only an explicit classic build may send it: docker's classic builder never reads Dockerfile.dockerignore.
      expect(secretListed).toBe(builder === 'classic' && name.startsWith('Dockerfile.dockerignore'));
      if (secretListed) expect(report.builderNote).toMatch(/classic builder does not read Dockerfile\.dockerignore/);
    });
  });
});
