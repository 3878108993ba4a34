import type { Services } from '../services';
import type { DomainHandlers } from '../dispatch';

export function jobHandlers(s: Services): DomainHandlers<'jobs'> {
  return {
    list: () => s.jobs.list(),
    events: ({ jobId, afterSeq }) => s.jobs.events(jobId, afterSeq),
    cancel: ({ jobId }) => {
      s.jobs.cancel(jobId);
      return { ok: true as const };
    },
  };
}
