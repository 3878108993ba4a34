import { randomUUID } from 'node:crypto';
import { StrataError, toStrataError } from '../core/engine/errors';
import type { JobEvent, JobSummary } from './contract/jobs';
import type { EventBus } from './event-bus';

export interface JobContext {
  signal: AbortSignal;
  /** Report something; it is pushed to the renderer and kept for replay. */
  emit(type: Exclude<JobEvent['type'], 'done' | 'error' | 'cancelled'>, data: unknown): void;
}

export interface JobSpec {
  kind: string;
  title: string;
  run(ctx: JobContext): Promise<unknown>;
}

interface JobRecord {
  summary: JobSummary;
  events: JobEvent[];
  controller: AbortController;
}

/** Events kept per job for replay; later ones are still pushed live, and the last is always kept. */
export const EVENTS_PER_JOB = 50_000;
const FINISHED_JOBS_KEPT = 50;

/**
 * Long work as jobs: start returns an id at once, events are tagged with it, cancel aborts the job's
 * AbortSignal (which core passes down to dockerode's abortSignal). Every event is kept per job so a view
 * that was away can catch up with `jobs.events`.
 */
export class JobRunner {
  private readonly jobs = new Map<string, JobRecord>();

  constructor(private readonly bus: EventBus) {}

  start(spec: JobSpec): string {
    const jobId = randomUUID();
    const record: JobRecord = {
      summary: { jobId, kind: spec.kind, title: spec.title, state: 'running', startedAt: Date.now() },
      events: [],
      controller: new AbortController(),
    };
    this.jobs.set(jobId, record);
    // seq counts every event, stored or not: followers drop any seq they have seen, so a seq that stopped
    // growing at the storage cap silently lost everything after it, `done` included.
    let nextSeq = 0;
    const push = (type: JobEvent['type'], data: unknown) => {
      const event: JobEvent = { jobId, seq: nextSeq++, type, data };
      if (record.events.length < EVENTS_PER_JOB || type === 'done' || type === 'error' || type === 'cancelled') {
        record.events.push(event);
      }
      this.bus.emit('job.event', event);
    };
    const ctx: JobContext = {
      signal: record.controller.signal,
      emit: (type, data) => {
        if (record.summary.state === 'running') push(type, data);
      },
    };
    // Start on the next tick so the caller has the id before the first event.
    setImmediate(() => {
      spec
        .run(ctx)
        .then((result) => {
          if (record.controller.signal.aborted) throw new StrataError('cancelled', 'Cancelled.');
          record.summary = { ...record.summary, state: 'done', endedAt: Date.now() };
          push('done', result ?? null);
        })
        .catch((err: unknown) => {
          const error = record.controller.signal.aborted
            ? new StrataError('cancelled', 'Cancelled.')
            : toStrataError(err);
          const state = error.code === 'cancelled' ? 'cancelled' : 'error';
          record.summary = { ...record.summary, state, endedAt: Date.now() };
          push(state, error.toJSON());
        })
        .finally(() => this.forgetOldJobs());
    });
    return jobId;
  }

  cancel(jobId: string): void {
    const record = this.get(jobId);
    if (record.summary.state === 'running') record.controller.abort();
  }

  events(jobId: string, afterSeq: number): { job: JobSummary; events: JobEvent[] } {
    const record = this.get(jobId);
    return { job: record.summary, events: record.events.filter((e) => e.seq > afterSeq) };
  }

  list(): JobSummary[] {
    return [...this.jobs.values()].map((r) => r.summary);
  }

  /** Wait for a job to finish (used by tests and the CLI). */
  async settled(jobId: string): Promise<JobSummary> {
    const record = this.get(jobId);
    while (record.summary.state === 'running') await new Promise((r) => setTimeout(r, 20));
    return record.summary;
  }

  cancelAll(): void {
    for (const record of this.jobs.values()) if (record.summary.state === 'running') record.controller.abort();
  }

  private get(jobId: string): JobRecord {
    const record = this.jobs.get(jobId);
    if (!record) throw new StrataError('not-found', `No job ${jobId}: it finished long ago or never started.`);
    return record;
  }

  private forgetOldJobs(): void {
    const finished = [...this.jobs.values()].filter((r) => r.summary.state !== 'running');
    for (const r of finished.slice(0, Math.max(0, finished.length - FINISHED_JOBS_KEPT))) {
      this.jobs.delete(r.summary.jobId);
    }
  }
}
