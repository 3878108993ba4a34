import { StrataError, toStrataError } from '$shared/engine/errors';

export interface FailureContext {
  /** What we were doing, in a few words: "start", "commit", "read the logs of". */
  action: string;
  /** The container's name or ID as the user knows it. */
  container: string;
}

/**
 * Turn a failure from the engine into a StrataError whose message says what went wrong with this container
 * and what to do next, keeping the engine's HTTP status and message in `details`.
 */
export function containerFailure(err: unknown, context: FailureContext): StrataError {
  const base = toStrataError(err);
  const status = base.details?.status;
  const engineMessage = base.details?.engineMessage;
  const details = { ...base.details, container: context.container };
  const ref = shortRef(context.container);
  if (status === 404 && /no such (container|exec)|not found/i.test(engineMessage ?? 'no such container')) {
    return new StrataError(
      'not-found',
      `Cannot ${context.action} container ${ref}: it no longer exists (removed meanwhile?). Refresh the container list.`,
      details,
    );
  }
  // Podman answers some conflicts with 500; toStrataError already tells them by their cause.
  if (status === 409 || base.code === 'conflict') {
    const hint = conflictHint(engineMessage ?? '');
    return new StrataError(
      'conflict',
      `Cannot ${context.action} container ${ref}: ${engineMessage ?? 'conflict'}.${hint}`,
      details,
    );
  }
  if (base.code === 'engine-unreachable' || base.code === 'cancelled') return base;
  return new StrataError(
    base.code,
    `Cannot ${context.action} container ${ref}: ${stripPeriod(base.message)}.`,
    details,
  );
}

function conflictHint(engineMessage: string): string {
  if (/is running|stop the container/i.test(engineMessage)) return ' Stop it first, or remove it with force.';
  if (/is not running/i.test(engineMessage)) return ' Start it first.';
  if (/is paused/i.test(engineMessage)) return ' Unpause it first.';
  if (/already in use/i.test(engineMessage)) return ' Choose another name, or remove the other container.';
  return '';
}

function shortRef(container: string): string {
  return /^[0-9a-f]{64}$/.test(container) ? container.slice(0, 12) : container;
}

function stripPeriod(s: string): string {
  return s.replace(/\.\s*$/, '');
}
