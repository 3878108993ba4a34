import { StrataError } from '$shared/engine/errors';
import { currentJobId } from './job-scope';

export interface ProcessGuardOptions {
  /** Fails one job with the error that escaped it (the JobRunner). */
  failJob(jobId: string, err: unknown): void;
  /** Where the error is written; console.error by default. */
  log?: (line: string) => void;
  /** The process to guard; the current one by default (a parameter only so tests can pass their own). */
  target?: NodeJS.Process;
}

/**
 * Keeps one unexpected error from taking the whole app down (Electron's main or the browser preview): an
 * exception nobody caught or a rejection nobody handled fails the job it came from — found through the
 * job's async scope — is logged with its stack, and the process keeps serving. An error outside any job is
 * logged only. Returns a function that removes the guard.
 */
export function installProcessGuard(options: ProcessGuardOptions): () => void {
  const target = options.target ?? process;
  const log = options.log ?? ((line: string) => console.error(line));
  const handle = (kind: string) => (err: unknown) => {
    const jobId = currentJobId();
    const detail = err instanceof Error ? (err.stack ?? err.message) : String(err);
    log(`Strata: ${kind}${jobId ? ` in job ${jobId}` : ''} (kept running): ${detail}`);
    if (!jobId) return;
    const message = err instanceof Error ? err.message : String(err);
    try {
      options.failJob(
        jobId,
        new StrataError('internal', `Strata hit an unexpected error and stopped this job: ${message}`),
      );
    } catch (failure) {
      log(`Strata: could not mark job ${jobId} failed: ${String(failure)}`);
    }
  };
  const onException = handle('unexpected error');
  const onRejection = handle('unhandled promise rejection');
  target.on('uncaughtException', onException);
  target.on('unhandledRejection', onRejection);
  return () => {
    target.off('uncaughtException', onException);
    target.off('unhandledRejection', onRejection);
  };
}
