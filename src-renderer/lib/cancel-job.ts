import { api, ApiError, errorMessage } from './api';
import { notice } from './notice.svelte';

/**
 * Ask main to cancel a job when no view waits for the answer (the view closed, or only asked it to stop). A job
 * that is gone already is what cancelling wanted; any other failure means the job goes on, which the notice says.
 * `what` names the work in a sentence: "following the logs of web".
 */
export function cancelJob(jobId: string, what: string): Promise<void> {
  return api.jobs.cancel({ jobId }).then(
    () => undefined,
    (err: unknown) => {
      if (err instanceof ApiError && err.code === 'not-found') return;
      notice(`Strata could not stop ${what}: ${errorMessage(err)}`, true);
    },
  );
}
