import type { JobEvent } from '../../src-main/ipc/contract/jobs';
import { api, onEvent } from './api';
import { JobEventOrder } from './job-event-order';

/**
 * Receive every event of a job exactly once and in order, including those it emitted before this view
 * started listening (a view that was left and reopened catches up from `jobs.events`).
 */
export function followJob(jobId: string, handle: (event: JobEvent) => void, afterSeq = -1): () => void {
  const order = new JobEventOrder(handle, afterSeq);
  let replay: readonly JobEvent[] = [];
  const off = onEvent('job.event', (event) => {
    if (event.jobId === jobId) order.live(event);
  });
  void api.jobs
    .events({ jobId, afterSeq })
    .then(({ events }) => {
      replay = events;
    })
    .catch(() => undefined)
    .finally(() => order.replayed(replay));
  return off;
}
