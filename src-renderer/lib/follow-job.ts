import type {
  JobDone,
  JobEvent,
  JobEventOf,
  JobEventType,
  JobId,
  JobKind,
  JobKinds,
  JobReport,
} from '../../src-main/ipc/contract/jobs';
import { api, ApiError, errorMessage, onEvent } from './api';
import { JobEventOrder } from './job-event-order';

/**
 * Receive every event of a job exactly once and in order, including those it emitted before this view
 * started listening (a view that was left and reopened catches up from `jobs.events`). Returns the
 * function that stops listening. When the catching up fails (main forgot the job, or the connection to it
 * is gone) what came live is still delivered, then `replayFailed` is told why: the job's end may never come.
 */
export function followJobEvents<K extends JobKind>(
  jobId: JobId<K>,
  handle: (event: JobEventOf<K>) => void,
  afterSeq = -1,
  replayFailed: (error: ApiError) => void = () => undefined,
): () => void {
  // Events of this job are of its kind: the id says which (see JobId).
  const order = new JobEventOrder((event) => handle(event as JobEventOf<K>), afterSeq);
  const off = onEvent('job.event', (event) => {
    if (event.jobId === jobId) order.live(event);
  });
  api.jobs.events({ jobId, afterSeq }).then(
    ({ events }) => order.replayed(events),
    (err: unknown) => {
      order.replayed([]);
      replayFailed(err instanceof ApiError ? err : new ApiError({ code: 'internal', message: errorMessage(err) }));
    },
  );
  return off;
}

/** What to do with each report a job of kind K sends while it runs, by event type. */
export type JobListeners<K extends JobKind> = { [T in JobReport<K>]?: (data: JobKinds[K][T]) => void };

export interface FollowedJob<K extends JobKind> {
  /** The job's `done` data; rejects with an ApiError when it fails, with code `cancelled` when it was cancelled. */
  readonly result: Promise<JobDone<K>>;
  /** Stop listening; the job goes on (and `result` never settles). */
  stop(): void;
}

/**
 * Follow a job to its end: its reports to `listeners` as they come (replayed ones first), then its result
 * or its failure. What each report carries is typed by the job's kind (contract/jobs JobKinds).
 */
export function followJob<K extends JobKind>(
  jobId: JobId<K>,
  listeners: JobListeners<K> = {},
  afterSeq = -1,
): FollowedJob<K> {
  let resolve: (done: JobDone<K>) => void = () => undefined;
  let reject: (error: ApiError) => void = () => undefined;
  const result = new Promise<JobDone<K>>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  // A view that only listens must not leave an unhandled rejection behind; one that awaits still gets it.
  result.catch(() => undefined);
  // The compiler cannot pair each event type with its listener through the generic union; the kind does.
  const byType = listeners as Partial<Record<JobEventType, (data: unknown) => void>>;
  let stopped = false;
  const stop = (): void => {
    stopped = true;
    off();
  };
  const off = followJobEvents<K>(
    jobId,
    (event) => {
      const e = event as JobEvent;
      if (e.type === 'done') {
        stop();
        resolve(e.data as JobDone<K>);
      } else if (e.type === 'error' || e.type === 'cancelled') {
        stop();
        reject(new ApiError(e.data));
      } else {
        byType[e.type]?.(e.data);
      }
    },
    afterSeq,
    // The job's end cannot be known: say why rather than wait for it forever (unless the view stopped following).
    (error) => {
      if (stopped) return;
      stop();
      reject(error);
    },
  );
  return { result, stop };
}
