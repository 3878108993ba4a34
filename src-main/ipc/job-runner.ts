import { randomUUID } from 'node:crypto';
import { StrataError, toStrataError } from '$shared/engine/errors';
import type { JobDone, JobEvent, JobEventType, JobId, JobKind, JobKinds, JobReport, JobSummary } from './contract/jobs';
import type { EventBus } from './event-bus';
import { runInJobScope } from './job-scope';

export interface JobContext<K extends JobKind> {
  signal: AbortSignal;
  /** Report something of the kind's own types (contract/jobs JobKinds); pushed to the renderer and kept for replay. */
  emit<T extends JobReport<K>>(type: T, data: JobKinds[K][T]): void;
}

export interface JobSpec<K extends JobKind> {
  kind: K;
  title: string;
  /** The job's work; what it resolves with is the `done` event's data. */
  run(ctx: JobContext<K>): Promise<JobDone<K>>;
}

interface JobRecord {
  summary: JobSummary;
  events: JobEvent[];
  controller: AbortController;
  /** Ends the job with this error (once) and stops its work. */
  fail(err: unknown): void;
  /** Ends a cancelled job whose work has not stopped within the grace period. */
  abandon(graceMs: number): void;
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

  private readonly cancelGraceMs: number;

  /**
   * `cancelGraceMs`: how long a cancelled job may take to stop (a build removes its containers first) before
   * the job is ended as cancelled regardless, so Cancel always ends a job even when its work never settles.
   */
  constructor(
    private readonly bus: EventBus,
    options: { cancelGraceMs?: number } = {},
  ) {
    this.cancelGraceMs = options.cancelGraceMs ?? 30_000;
  }

  start<K extends JobKind>(spec: JobSpec<K>): JobId<K> {
    const jobId = randomUUID() as JobId<K>;
    const record: JobRecord = {
      summary: { jobId, kind: spec.kind, title: spec.title, state: 'running', startedAt: Date.now() } as JobSummary,
      events: [],
      controller: new AbortController(),
      fail: (err) => {
        if (record.summary.state !== 'running') return;
        record.summary = { ...record.summary, state: 'error', endedAt: Date.now() };
        push('error', toStrataError(err).toJSON());
        record.controller.abort();
      },
      abandon: (graceMs) => {
        if (record.summary.state !== 'running') return;
        record.summary = { ...record.summary, state: 'cancelled', endedAt: Date.now() };
        const seconds = Math.round(graceMs / 100) / 10;
        const message = `Cancelled. The work did not stop within ${seconds} s of the cancel; Strata stopped waiting for it.`;
        push('cancelled', new StrataError('cancelled', message).toJSON());
        this.forgetOldJobs();
      },
    };
    this.jobs.set(jobId, record);
    // seq counts every event, stored or not: followers drop any seq they have seen, so a seq that stopped
    // growing at the storage cap silently lost everything after it, `done` included.
    let nextSeq = 0;
    // The one place events are made: `emit` and `run` are typed by the kind, so the pairing of type and data
    // holds here though the compiler cannot follow it through the union.
    const push = (type: JobEventType, data: unknown) => {
      const event = { jobId, kind: spec.kind, seq: nextSeq++, type, data } as JobEvent;
      if (record.events.length < EVENTS_PER_JOB || type === 'done' || type === 'error' || type === 'cancelled') {
        record.events.push(event);
      }
      this.bus.emit('job.event', event);
    };
    const ctx: JobContext<K> = {
      signal: record.controller.signal,
      emit: (type, data) => {
        if (record.summary.state === 'running') push(type, data);
      },
    };
    // Start on the next tick so the caller has the id before the first event.
    setImmediate(() => {
      runInJobScope(jobId, async () => spec.run(ctx))
        .then((result) => {
          if (record.summary.state !== 'running') return;
          if (record.controller.signal.aborted) throw new StrataError('cancelled', 'Cancelled.');
          record.summary = { ...record.summary, state: 'done', endedAt: Date.now() };
          push('done', result ?? null);
        })
        .catch((err: unknown) => {
          if (record.summary.state !== 'running') return;
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
    if (record.summary.state !== 'running') return;
    record.controller.abort();
    setTimeout(() => record.abandon(this.cancelGraceMs), this.cancelGraceMs).unref();
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

  /** An error escaped a job's own promise (see process-guard): the job fails with it. Unknown ids are ignored. */
  fail(jobId: string, err: unknown): void {
    this.jobs.get(jobId)?.fail(err);
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
