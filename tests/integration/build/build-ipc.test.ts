import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, disposeServices, type Services } from '../../../src-main/ipc/services';
import type { BuildEvent } from '../../../src-main/core/build/build-events';
import { scanContext } from '../../../src-main/core/context/context-scan';
import type { BuildRecordSummaryDto } from '../../../src-main/ipc/contract/build';
import type { JobEvent } from '../../../src-main/ipc/contract/jobs';
import { dispatch, type Reply } from '../../../src-main/ipc/dispatch';
import { createHandlers } from '../../../src-main/ipc/handlers';
import { BUSYBOX, describeWithEngine, onPodman } from '../engine-available';
import { containersWithNonce, removeImagesWithNonce } from './build-context';

const nonce = `nonce-${randomBytes(6).toString('hex')}`;
const REPO = 'strata-it-build/ipc';
const trusted = { trusted: true, description: 'test' };

describeWithEngine('build through the IPC contract (build.start as a job)', () => {
  let services: Services;
  let handlers: ReturnType<typeof createHandlers>;
  let root: string;
  let contextDir: string;

  const call = async <T>(channel: string, payload: unknown): Promise<T> => {
    const reply: Reply = await dispatch(handlers, channel, payload, trusted);
    if (!reply.ok) throw Object.assign(new Error(reply.error.message), reply.error);
    return reply.result as T;
  };

  /** Run a build job to its end; returns the job's state, its build events and its last event. */
  async function buildJob(payload: unknown, onEvent?: (e: BuildEvent, jobId: string) => void) {
    const { jobId } = await call<{ jobId: string }>('build.start', payload);
    const seen: JobEvent[] = [];
    const off = services.bus.subscribe((name, event) => {
      if (name !== 'job.event' || (event as JobEvent).jobId !== jobId) return;
      const jobEvent = event as JobEvent;
      seen.push(jobEvent);
      if (jobEvent.kind === 'build' && jobEvent.type === 'output') jobEvent.data.forEach((e) => onEvent?.(e, jobId));
    });
    const job = await services.jobs.settled(jobId);
    off();
    const { events } = await call<{ events: JobEvent[] }>('jobs.events', { jobId });
    const data = events.flatMap((e) => (e.kind === 'build' && e.type === 'step' ? [e.data] : []));
    const buildEvents = events.flatMap((e) => (e.kind === 'build' && e.type === 'output' ? e.data : []));
    return { jobId, job, data, buildEvents, last: events.at(-1), pushed: seen.length, all: events };
  }

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'strata-it-build-ipc-'));
    services = createServices({ dataDir: join(root, 'data'), env: process.env });
    handlers = createHandlers(services);
    await services.engine.connect();
    contextDir = join(root, 'context');
    await mkdir(join(contextDir, 'src', 'deep'), { recursive: true });
    await mkdir(join(contextDir, 'node_modules', 'pkg'), { recursive: true });
    await mkdir(join(contextDir, 'logs'), { recursive: true });
    await writeFile(join(contextDir, 'src', 'app.txt'), `app ${nonce}\n`);
    await writeFile(join(contextDir, 'src', 'deep', 'keep.md'), 'keep\n');
    await writeFile(join(contextDir, 'src', 'deep', 'drop.md'), 'drop\n');
    await writeFile(join(contextDir, 'node_modules', 'pkg', 'index.js'), 'x\n');
    await writeFile(join(contextDir, 'logs', 'a.log'), 'log\n');
    await writeFile(join(contextDir, 'logs', 'important.log'), 'log\n');
    // Tricky rules: `**`, an exception re-including a file under an excluded folder, and the Dockerfile excluded.
    await writeFile(
      join(contextDir, '.dockerignore'),
      'node_modules\n**/*.md\n!src/deep/keep.md\nlogs\n!logs/important.log\nDockerfile\n',
    );
    await writeFile(
      join(contextDir, 'Dockerfile'),
      `FROM ${BUSYBOX}\nRUN echo ${nonce}\nCOPY . /ctx/\nRUN cd /ctx && find . -mindepth 1 | sort\n`,
    );
  });

  afterAll(async () => {
    if (services) {
      await removeImagesWithNonce(services.engine.docker(), nonce);
      disposeServices(services);
    }
    if (root) await rm(root, { recursive: true, force: true });
  });

  // Podman has no BuildKit; what the app does there is checked below instead.
  describe.each(onPodman ? (['classic'] as const) : (['classic', 'buildkit'] as const))(
    'with the %s builder',
    (builder) => {
      let first: BuildRecordSummaryDto;

      it('sends exactly what the context scan lists, streams its events and keeps the build', async () => {
        const result = await buildJob({
          contextDir,
          options: { builder, tags: [`${REPO}:${builder}`], networkMode: 'none' },
        });
        expect(result.job.state).toBe('done');
        expect(result.data[0]).toMatchObject({
          stage: 'started',
          contextDir,
          options: { builder, networkMode: 'none' },
        });
        first = result.last?.data as BuildRecordSummaryDto;
        expect(first).toMatchObject({ status: 'succeeded', tags: [`${REPO}:${builder}`], dockerfile: 'Dockerfile' });
        expect(first.imageId).toMatch(/^sha256:/);

        // What `find` printed in the image is what was sent: the scan with the build's own options, folders
        // implied by their files included. The classic builder's daemon then deletes a Dockerfile that
        // .dockerignore excludes; BuildKit pulls the context through a session while the Dockerfile travels
        // on its own, so the rules keep it out of the context, as `docker build` does.
        const scan = await scanContext({ contextDir, builder });
        const listed = result.buildEvents
          .filter((e) => e.type === 'step-log' && e.stream === 'stdout' && e.line.startsWith('./'))
          .map((e) => (e.type === 'step-log' ? e.line.slice(2) : ''));
        const sent = new Set(
          scan.entries.flatMap((e) => e.path.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'))),
        );
        sent.delete('Dockerfile');
        expect(listed).toEqual([...sent].sort());
        expect(listed).not.toContain('Dockerfile');
        expect(listed).toContain('src/deep/keep.md');
        expect(listed).toContain('logs/important.log');
        expect(listed).not.toContain('src/deep/drop.md');
        expect(listed.some((p) => p.startsWith('node_modules'))).toBe(false);
        const upload = result.buildEvents.filter((e) => e.type === 'upload').at(-1);
        if (builder === 'classic') {
          // The upload counted the scan's exact tar size.
          expect(upload).toMatchObject({ sentBytes: scan.totalBytes, totalBytes: scan.totalBytes, done: true });
        } else {
          // A first build through the session: every file's content went (and the Dockerfile beside it).
          expect(upload).toMatchObject({ totalBytes: null, done: true });
          expect(upload?.type === 'upload' && upload.sentBytes).toBeGreaterThanOrEqual(scan.contentBytes);
        }

        const history = await call<BuildRecordSummaryDto[]>('build.history', { contextDir: first.contextDir });
        expect(history.map((h) => h.id)).toContain(first.id);
        const kept = await call<{ events: BuildEvent[] }>('build.historyGet', { id: first.id });
        expect(kept.events).toEqual(result.buildEvents);
        expect(await call('build.lastOptions', { contextDir: first.contextDir })).toMatchObject({
          dockerfile: 'Dockerfile',
          options: { builder, tags: [`${REPO}:${builder}`] },
        });
      });

      it('rebuilds a kept build in one call, from the cache, and says what the cache saved', async () => {
        const { jobId } = await call<{ jobId: string }>('build.rebuild', { id: first.id });
        await services.jobs.settled(jobId);
        const { events } = await call<{ events: JobEvent[] }>('jobs.events', { jobId });
        const summary = events.at(-1)?.data as BuildRecordSummaryDto;
        expect(summary.status).toBe('succeeded');
        expect(summary.imageId).toBe(first.imageId);
        expect(summary.ranSteps).toBe(0);
        // RUN, COPY and RUN: every instruction of the Dockerfile came from the cache.
        expect(summary.cachedSteps).toBe(3);
        expect(summary.baselineBuildId).toBe(first.id);
        expect(summary.cacheSavedMs).toBeGreaterThan(0);
      });

      it('ends a failed build as a job error that names the kept build, the step line and keeps the engine status', async () => {
        const bad = join(root, `bad-${builder}`);
        await mkdir(bad);
        await writeFile(join(bad, 'Dockerfile'), `FROM ${BUSYBOX}\nRUN echo ${nonce}-bad && exit 7\n`);
        const result = await buildJob({ contextDir: bad, options: { builder, networkMode: 'none' } });
        expect(result.job.state).toBe('error');
        const error = result.last?.data as {
          code: string;
          message: string;
          details: { buildId: string; line: number };
        };
        expect(error.details.line).toBe(2);
        const kept = await call<BuildRecordSummaryDto>('build.historyGet', { id: error.details.buildId });
        expect(kept.status).toBe('failed');
        expect(kept.error?.line).toBe(2);
        expect(await containersWithNonce(services.engine.docker(), nonce)).toEqual([]);
      });

      it('is cancelled with jobs.cancel, keeps the cancelled build and leaves no container', async () => {
        const slow = join(root, `slow-${builder}`);
        await mkdir(slow);
        await writeFile(join(slow, 'Dockerfile'), `FROM ${BUSYBOX}\nRUN sleep 30 && echo ${nonce}-slow-${builder}\n`);
        const result = await buildJob(
          { contextDir: slow, options: { builder, networkMode: 'none', noCache: true } },
          (e, jobId) => {
            if (e.type === 'step-start' && e.step.name.startsWith('RUN sleep')) {
              setTimeout(() => void call('jobs.cancel', { jobId }), 1000);
            }
          },
        );
        expect(result.job.state).toBe('cancelled');
        const history = await call<BuildRecordSummaryDto[]>('build.history', {});
        expect(history.find((h) => h.contextDir.endsWith(`slow-${builder}`))?.status).toBe('cancelled');
        expect(await containersWithNonce(services.engine.docker(), nonce)).toEqual([]);
      });
    },
  );

  it('refuses bad tags before any work, and ends with the context problem before sending anything', async () => {
    const missing = join(root, 'no-such-folder');
    const result = await buildJob({ contextDir: missing, options: { builder: 'classic', networkMode: 'none' } });
    expect(result.job.state).toBe('error');
    expect(result.last?.data).toMatchObject({ code: 'not-found', message: expect.stringContaining(missing) });
    expect(result.buildEvents).toEqual([]);

    await expect(call('build.start', { contextDir, options: { tags: ['Bad Tag'] } })).rejects.toMatchObject({
      code: 'invalid-input',
    });
    await expect(call('build.start', { contextDir, options: { tags: ['app@sha256:abc'] } })).rejects.toMatchObject({
      code: 'invalid-input',
    });
  });
  it('automatic builder keeps an excluded Dockerfile out of the image, as docker build does', async () => {
    // Docker: BuildKit through a session, where the Dockerfile travels on its own and the rule holds for it.
    // Podman: the classic builder (Buildah), which reads the Dockerfile from the tar and leaves it out of COPY.
    const result = await buildJob({
      contextDir,
      options: { builder: 'auto', tags: [`${REPO}:auto`], networkMode: 'none', noCache: true },
    });
    expect(result.job.state).toBe('done');
    const started = result.data[0];
    expect(started).toMatchObject({ stage: 'started', options: { builder: onPodman ? 'classic' : 'buildkit' } });
    // On Podman the classic builder is the only one, so there is nothing to explain.
    if (onPodman) expect(started?.stage === 'started' && started.note).toBeUndefined();
    else
      expect(started?.stage === 'started' && started.note).toMatch(
        /^BuildKit takes the context through a session: the Dockerfile travels on its own, not in the context\. \.dockerignore excludes Dockerfile, so COPY cannot see it\./,
      );
    const listed = result.buildEvents
      .filter((e) => e.type === 'step-log' && e.stream === 'stdout' && e.line.startsWith('./'))
      .map((e) => (e.type === 'step-log' ? e.line.slice(2) : ''));
    expect(listed).toContain('src/app.txt');
    expect(listed).not.toContain('Dockerfile');
  });

  it.runIf(onPodman)('on Podman refuses explicit BuildKit before any work, saying why and what works', async () => {
    const failure = await call('build.start', {
      contextDir,
      options: { builder: 'buildkit', tags: [`${REPO}:podman`], networkMode: 'none' },
    }).catch((e: unknown) => e);
    expect(failure).toMatchObject({
      code: 'invalid-input',
      message: expect.stringMatching(/^Podman has no BuildKit: .*Choose Automatic or Classic builder\.$/),
      details: { field: 'builder', use: 'classic' },
    });
    // What it offers works: the classic builder builds the same request.
    const result = await buildJob({
      contextDir,
      options: { builder: 'classic', tags: [`${REPO}:podman`], networkMode: 'none' },
    });
    expect(result.job.state).toBe('done');
  });

  it.runIf(!onPodman)('explicit BuildKit on such a context keeps the Dockerfile out of the image too', async () => {
    const result = await buildJob({
      contextDir,
      options: { builder: 'buildkit', tags: [`${REPO}:warned`], networkMode: 'none' },
    });
    const started = result.data[0];
    expect(started).toMatchObject({ stage: 'started', options: { builder: 'buildkit' } });
    expect(started?.stage === 'started' && started.note).toMatch(
      /\.dockerignore excludes Dockerfile, so COPY cannot see it\./,
    );
    expect(started?.stage === 'started' && started.note).not.toMatch(/Warning/);
  });
});
