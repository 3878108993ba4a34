import { AsyncLocalStorage } from 'node:async_hooks';

// Every callback, timer and promise a job's work starts carries the job's id, so an error that escapes
// the job's own promise (thrown in a stream or socket callback) can still be pinned on the job it came from.
const scope = new AsyncLocalStorage<string>();

export function runInJobScope<T>(jobId: string, work: () => T): T {
  return scope.run(jobId, work);
}

/** The job whose work is running now, if any. */
export function currentJobId(): string | undefined {
  return scope.getStore();
}
