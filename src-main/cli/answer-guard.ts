/** The parts of `process` the guard uses, so tests can drive it. */
export interface GuardedProcess {
  exitCode?: number | string | null | undefined;
  once(event: 'beforeExit', listener: () => void): unknown;
  readonly stderr: { write(chunk: string): unknown };
}

/** Exit code when the work stopped without an answer: a bug, never a pass. */
export const NO_ANSWER_EXIT = 70;

/**
 * Runs a command's promise to its exit code. Node exits 0 when nothing is left to run, even if the promise
 * never settled (a wait nobody will end): in CI that passed a gate that never ran. The guard turns that
 * into a clear error and a non-zero exit.
 */
export function runGuarded(work: Promise<number>, proc: GuardedProcess, name: string): void {
  let answered = false;
  proc.once('beforeExit', () => {
    if (answered) return;
    proc.stderr.write(
      `${name}: internal error: the work stopped without producing an answer (nothing was left to wait for). ` +
        'Please report this with the command you ran.\n',
    );
    proc.exitCode = NO_ANSWER_EXIT;
  });
  work.then(
    (code) => {
      answered = true;
      proc.exitCode = code;
    },
    (err: unknown) => {
      answered = true;
      proc.stderr.write(`${name}: ${err instanceof Error ? err.message : String(err)}\n`);
      proc.exitCode = 1;
    },
  );
}
