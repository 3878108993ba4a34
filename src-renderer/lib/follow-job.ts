import type { JobEvent } from '../../src-main/ipc/contract/jobs';
import { api, onEvent } from './api';

/**
 * Receive every event of a job exactly once and in order, including those it emitted before this view
 * started listening (a view that was left and reopened catches up from `jobs.events`).
 */
export function followJob(jobId: string, handle: (event: JobEvent) => void, afterSeq = -1): () => void {
  let lastSeq = afterSeq;
  let caughtUp = false;
  const early: JobEvent[] = [];
  const deliver = (event: JobEvent) => {
    if (event.seq <= lastSeq) return;
    lastSeq = event.seq;
    handle(event);
  };
  const off = onEvent('job.event', (event) => {
    if (event.jobId !== jobId) return;
    if (caughtUp) deliver(event);
    else early.push(event);
  });
  void api.jobs
    .events({ jobId, afterSeq })
    .then(({ events }) => events.forEach(deliver))
    .catch(() => undefined)
    .finally(() => {
      caughtUp = true;
      early.sort((a, b) => a.seq - b.seq).forEach(deliver);
      early.length = 0;
    });
  return off;
}
