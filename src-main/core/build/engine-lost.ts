import type { BuildEvent } from './build-events';

// How a build's request fails when the engine itself goes away: the socket closes under the response
// ("aborted"), before it ("socket hang up"), or the engine is no longer there to connect to.
const LOST_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ECONNREFUSED',
  'ENOENT',
  'ECONNABORTED',
  'ERR_STREAM_PREMATURE_CLOSE',
]);

/** True when a build request failed because the engine stopped answering, not because it refused the build. */
export function isEngineLost(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown; statusCode?: unknown } | null;
  if (!e || typeof e !== 'object' || typeof e.statusCode === 'number') return false;
  if (typeof e.code === 'string' && LOST_CODES.has(e.code)) return true;
  return typeof e.message === 'string' && /^(aborted|socket hang up)$/i.test(e.message.trim());
}

/**
 * Says what happened in the person's terms instead of Node's "aborted": where the build was, that no tag
 * was applied (the engine tags only at the very end), and that Strata reconnects by itself. `notNoted`: the
 * step containers could not be noted for removal after the reconnect (why), so the person removes them.
 */
export function engineLostMessage(
  events: readonly BuildEvent[],
  options: { leftoverContainers: number; notNoted?: { containerIds: readonly string[]; reason: string } },
): string {
  const start = events.findLast((e) => e.type === 'step-start' && e.step.index !== undefined);
  const step = start?.type === 'step-start' ? start.step : undefined;
  const uploaded = events.some((e) => e.type === 'upload' && e.done);
  const where = step
    ? `during step ${step.index}/${step.total ?? '?'} (${step.name})`
    : uploaded
      ? 'before the first step'
      : 'while the build context was being sent';
  const notNoted = options.notNoted;
  const cleanup = notNoted
    ? `; Strata could not note the step's ${notNoted.containerIds.length === 1 ? 'container' : 'containers'} for removal (${notNoted.reason}): once the engine is back, remove ${notNoted.containerIds.length === 1 ? 'it' : 'them'} with docker rm -f ${notNoted.containerIds.join(' ')}`
    : options.leftoverContainers
      ? `; the step's container will be removed once the engine is back`
      : '';
  return `The engine stopped answering ${where}; nothing was tagged; Strata will reconnect by itself${cleanup}.`;
}
