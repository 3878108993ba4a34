import type Docker from 'dockerode';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BUSYBOX, describeWithEngine, testDocker } from '../engine-available';
import { createServices, disposeServices, type Services } from '../../../src-main/ipc/services';
import { createHandlers } from '../../../src-main/ipc/handlers';
import { dispatch, type Handlers, type Reply } from '../../../src-main/ipc/dispatch';
import type { JobEvent } from '../../../src-main/ipc/contract/jobs';

const prefix = `strata-it-ipc-containers-${process.pid}`;
const trusted = { trusted: true, description: 'test' };

describeWithEngine('containers and commit through the IPC handlers', () => {
  let docker: Docker;
  let services: Services;
  let handlers: Handlers;
  let dataDir: string;
  const events: JobEvent[] = [];

  const call = async (channel: string, payload: unknown): Promise<unknown> => {
    const reply: Reply = await dispatch(handlers, channel, payload, trusted);
    if (!reply.ok) throw Object.assign(new Error(reply.error.message), reply.error);
    return reply.result;
  };
  const jobEvents = (jobId: string): JobEvent[] => events.filter((e) => e.jobId === jobId);
  const settled = async (jobId: string): Promise<JobEvent> => {
    await services.jobs.settled(jobId);
    return jobEvents(jobId).at(-1)!;
  };

  beforeAll(async () => {
    docker = await testDocker();
    dataDir = mkdtempSync(join(tmpdir(), 'strata-ipc-containers-'));
    services = createServices({ dataDir });
    services.bus.subscribe((name, payload) => {
      if (name === 'job.event') events.push(payload as JobEvent);
    });
    const status = await services.engine.connect();
    expect(status.state).toBe('connected');
    handlers = createHandlers(services);
  });

  afterAll(async () => {
    const all = await docker.listContainers({ all: true });
    for (const c of all) {
      if (c.Names.some((n) => n.startsWith(`/${prefix}`))) await docker.getContainer(c.Id).remove({ force: true });
    }
    await docker
      .getImage(`${prefix}/img:1`)
      .remove({ force: true })
      .catch(() => undefined);
    disposeServices(services);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs a container, types into a terminal job, detaches, and commits it as a job', async () => {
    const run = (await call('containers.run', { image: BUSYBOX, name: `${prefix}-box` })) as { id: string };
    const { jobId } = (await call('containers.openTerminal', { container: run.id, cols: 80, rows: 24 })) as {
      jobId: string;
    };
    await call('containers.terminalInput', { jobId, data: 'echo héllo > /my-file; echo done-$((1+1))\n' });
    await expect
      .poll(() =>
        jobEvents(jobId)
          .filter((e) => e.type === 'output')
          .map((e) => e.data as string)
          .join(''),
      )
      .toMatch(/done-2/);
    expect(jobEvents(jobId)[0]).toMatchObject({ type: 'step', data: { kind: 'attach', containerId: run.id } });
    // Multi-byte characters arrive whole even when the engine splits them across chunks.
    // (Podman echoes typed input in smaller pieces: the text is whole across events, and no piece holds a broken one.)
    const outputs = jobEvents(jobId).flatMap((e) => (e.type === 'output' ? [e.data as string] : []));
    expect(outputs.join('')).toContain('héllo');
    expect(outputs.some((o) => o.includes('\uFFFD'))).toBe(false);
    await call('containers.terminalResize', { jobId, cols: 100, rows: 30 });
    expect(await call('containers.terminalDetach', { jobId })).toEqual({ reason: 'detached' });
    expect((await settled(jobId)).data).toEqual({ reason: 'detached' });
    const gone = await call('containers.terminalInput', { jobId, data: 'x' }).catch((e: { code: string }) => e.code);
    expect(gone).toBe('not-found');

    const diff = (await call('commit.diff', { container: run.id })) as { entries: unknown[] };
    expect(diff.entries).toContainEqual({ path: '/my-file', kind: 'added' });

    expect(await call('commit.defaults', {})).toEqual({ author: '' });
    const commit = (await call('commit.commit', {
      container: run.id,
      reference: `${prefix}/img:1`,
      author: 'Grace Hopper',
      message: 'via ipc',
      changes: [{ instruction: 'ENV', key: 'VIA', value: 'ipc' }],
    })) as { jobId: string };
    const done = await settled(commit.jobId);
    expect(done.type).toBe('done');
    const result = done.data as { imageId: string; baseImageId: string };
    expect((await docker.getImage(`${prefix}/img:1`).inspect()).Id).toBe(result.imageId);
    expect(await call('commit.defaults', {})).toEqual({ author: 'Grace Hopper' });
    expect(await call('commit.checkTag', { reference: `${prefix}/img:1` })).toEqual({
      exists: true,
      imageId: result.imageId,
    });
    const comparison = (await call('images.compare', { a: result.baseImageId, b: result.imageId })) as {
      layers: { rows: Array<{ kind: string }> };
    };
    expect(comparison.layers.rows.filter((r) => r.kind === 'only-b')).toHaveLength(1);
  });

  it('validates requests before any work and keeps the engine status on failures', async () => {
    const bad = await call('commit.commit', {
      container: 'x',
      changes: [{ instruction: 'RUN', command: 'rm -rf /' }],
    }).catch((e: { code: string }) => e.code);
    expect(bad).toBe('invalid-input');
    const missing = await call('containers.start', { container: `${prefix}-missing` }).catch(
      (e: { code: string; details?: { status?: number } }) => [e.code, e.details?.status],
    );
    expect(missing).toEqual(['not-found', 404]);
    // A commit job for a removed container ends with the 404 in its error event.
    const { jobId } = (await call('commit.commit', { container: `${prefix}-missing` })) as { jobId: string };
    const end = await settled(jobId);
    expect(end.type).toBe('error');
    expect(end.data).toMatchObject({ code: 'not-found', details: { status: 404 } });
  });
});
