import Docker from 'dockerode';
import { describe } from 'vitest';

/**
 * Integration suites run against the engine at DOCKER_HOST (the project's own test engine).
 * Without one they skip with a printed reason — except when STRATA_REQUIRE_ENGINE=1 (CI), where a
 * missing or silent engine is a failure, never a skip.
 */
export const engineRequired = process.env.STRATA_REQUIRE_ENGINE === '1';
export const engineHost = process.env.DOCKER_HOST;

export function engineSkipReason(): string | undefined {
  if (engineHost) return undefined;
  if (engineRequired)
    throw new Error('STRATA_REQUIRE_ENGINE=1 but DOCKER_HOST is not set: start scripts/test-engine.sh');
  return 'DOCKER_HOST is not set: start the test engine with `npm run engine:start` and export the DOCKER_HOST it prints';
}

/** describe() that runs only with an engine; prints why when it skips. */
export function describeWithEngine(name: string, body: () => void): void {
  const reason = engineSkipReason();
  if (reason) {
    console.warn(`[skip] ${name}: ${reason}`);
    describe.skip(name, body);
  } else {
    describe(name, body);
  }
}

/** A dockerode client for the test engine; fails loudly if it does not answer. */
export async function testDocker(): Promise<Docker> {
  const docker = new Docker();
  try {
    await docker.ping();
  } catch (err) {
    throw new Error(`the engine at ${engineHost} does not answer: ${(err as Error).message}`, { cause: err });
  }
  return docker;
}

export const BUSYBOX = 'strata-test/busybox:latest';

/**
 * Which engine the suites run against: CI runs them twice, against dockerd and against Podman
 * (STRATA_ENGINE_KIND=podman). Tests whose subject Podman does differently check Podman's behaviour instead.
 */
export const onPodman = process.env.STRATA_ENGINE_KIND === 'podman';
