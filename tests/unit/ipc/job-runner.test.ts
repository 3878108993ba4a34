import { describe, expect, it } from 'vitest';
import { EventBus } from '../../../src-main/ipc/event-bus';
import { EVENTS_PER_JOB, JobRunner } from '../../../src-main/ipc/job-runner';
import { JobEventOrder } from '../../../src-renderer/lib/job-event-order';
import type { JobEvent } from '../../../src-main/ipc/contract/jobs';

describe('JobRunner', () => {
  it('keeps events emitted before anyone listens and replays them in order', async () => {
    const bus = new EventBus();
    const jobs = new JobRunner(bus);
    const id = jobs.start({
      kind: 'logs',
      title: 'count',
      run: async ({ emit }) => {
        for (let i = 0; i < 5; i++) emit('output', { stream: 'stdout', text: `line ${i}\n` });
        return { ended: 'ended' };
      },
    });
    const summary = await jobs.settled(id);
    expect(summary.state).toBe('done');
    const seen: JobEvent[] = [];
    bus.subscribe((name, payload) => {
      if (name === 'job.event') seen.push(payload as JobEvent);
    });
    expect(seen.map((e) => e.type)).toEqual(['output', 'output', 'output', 'output', 'output', 'done']);
    expect(seen.map((e) => e.seq)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(seen.at(-1)).toMatchObject({ kind: 'logs', type: 'done', data: { ended: 'ended' } });
    expect(jobs.events(id, 3).events.map((e) => e.seq)).toEqual([4, 5]);
  });

  it('cancel aborts the signal the job was given and ends it as cancelled', async () => {
    const jobs = new JobRunner(new EventBus());
    let sawAbort = false;
    const id = jobs.start({
      kind: 'logs',
      title: 'wait',
      run: ({ signal }) =>
        new Promise((_, reject) => {
          signal.addEventListener('abort', () => {
            sawAbort = true;
            reject(signal.reason);
          });
        }),
    });
    await new Promise((r) => setTimeout(r, 10));
    jobs.cancel(id);
    const summary = await jobs.settled(id);
    expect(sawAbort).toBe(true);
    expect(summary.state).toBe('cancelled');
    expect(jobs.events(id, -1).events.at(-1)).toMatchObject({ type: 'cancelled', data: { code: 'cancelled' } });
  });

  it('cancel ends a job whose work never stops, once the grace period is over, and ignores it afterwards', async () => {
    const bus = new EventBus();
    const jobs = new JobRunner(bus, { cancelGraceMs: 50 });
    let finishLate: (value: { ended: 'ended' }) => void = () => undefined;
    const id = jobs.start({
      kind: 'logs',
      title: 'deaf to its signal',
      // Work that never looks at its signal and settles only when told: the hang a cancel must still end.
      run: ({ emit }) =>
        new Promise((resolve) => {
          emit('output', { stream: 'stdout', text: 'started' });
          finishLate = resolve;
        }),
    });
    await new Promise((r) => setTimeout(r, 10));
    jobs.cancel(id);
    const summary = await jobs.settled(id);
    expect(summary.state).toBe('cancelled');
    const last = jobs.events(id, -1).events.at(-1);
    expect(last?.type).toBe('cancelled');
    expect((last?.data as { message: string }).message).toMatch(/did not stop within 0\.1 s/);
    // The work settling later changes nothing: the job stays cancelled, with one final event.
    finishLate({ ended: 'ended' });
    await new Promise((r) => setTimeout(r, 10));
    expect(jobs.events(id, -1).events.filter((e) => e.type === 'done' || e.type === 'cancelled')).toHaveLength(1);
    expect(jobs.list().find((j) => j.jobId === id)?.state).toBe('cancelled');
  });

  it('reports a failing job with the error shape', async () => {
    const jobs = new JobRunner(new EventBus());
    const id = jobs.start({
      kind: 'commit',
      title: 'fail',
      run: async () => {
        throw Object.assign(new Error('boom'), { statusCode: 409, json: { message: 'conflict: image is in use' } });
      },
    });
    expect((await jobs.settled(id)).state).toBe('error');
    expect(jobs.events(id, -1).events.at(-1)?.data).toEqual({
      code: 'conflict',
      message: 'Conflict: image is in use',
      details: { status: 409, engineMessage: 'conflict: image is in use' },
    });
  });
});

describe('a job past the stored-event cap', () => {
  const extra = 10;

  async function runPastCap() {
    const bus = new EventBus();
    const jobs = new JobRunner(bus);
    const live: JobEvent[] = [];
    const follower = new JobEventOrder((event) => live.push(event));
    bus.subscribe((name, payload) => {
      if (name === 'job.event') follower.live(payload as JobEvent);
    });
    const id = jobs.start({
      kind: 'terminal',
      title: 'chatty',
      run: async ({ emit }) => {
        for (let i = 0; i < EVENTS_PER_JOB + extra; i++) emit('output', String(i));
        return { reason: 'exited', exitCode: EVENTS_PER_JOB + extra };
      },
    });
    expect((await jobs.settled(id)).state).toBe('done');
    return { jobs, id, live, follower };
  }

  it('numbers every event, so a follower (as `logs --follow` uses) still gets the rest and `done`', async () => {
    const { jobs, id, live, follower } = await runPastCap();
    follower.replayed(jobs.events(id, -1).events);
    expect(live).toHaveLength(EVENTS_PER_JOB + extra + 1);
    expect(live.at(-2)).toMatchObject({ type: 'output', data: String(EVENTS_PER_JOB + extra - 1) });
    expect(live.at(-1)).toMatchObject({ type: 'done', seq: EVENTS_PER_JOB + extra, data: { exitCode: 50_010 } });
  });

  it('a view that joins late replays the stored events and still ends with `done`', async () => {
    const { jobs, id } = await runPastCap();
    const late: JobEvent[] = [];
    new JobEventOrder((event) => late.push(event)).replayed(jobs.events(id, -1).events);
    expect(late).toHaveLength(EVENTS_PER_JOB + 1);
    expect(late.at(-1)).toMatchObject({ type: 'done', seq: EVENTS_PER_JOB + extra });
    expect(jobs.events(id, EVENTS_PER_JOB - 1).events.map((e) => e.type)).toEqual(['done']);
  });
});
