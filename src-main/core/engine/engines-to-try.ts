import { homedir } from 'node:os';
import { discoverEngines, type EngineCandidate } from './discover';

/** One line of an engine-unreachable message: where, found how, and why it did not do. */
export function lookedAt(candidate: EngineCandidate, why: string): string {
  return `${candidate.address} (${candidate.source}): ${why}`;
}

/**
 * For one-shot callers (the CLI, build planning): the engines found as the app finds them (DOCKER_HOST, the
 * docker context, the well-known sockets), in that order, skipping those that are not there or are
 * misconfigured. Each one skipped is added to `looked` as it is passed, so a caller that also adds the ones
 * that fail keeps the list in the order the places were tried.
 */
export async function* enginesToTry(env: NodeJS.ProcessEnv, looked: string[]): AsyncGenerator<EngineCandidate> {
  const candidates = await discoverEngines({ env, homeDir: homedir(), platform: process.platform });
  for (const candidate of candidates) {
    if (candidate.error || !candidate.present) {
      looked.push(lookedAt(candidate, candidate.error ?? 'nothing there'));
      continue;
    }
    yield candidate;
  }
}
