/**
 * How a BuildKit build gets its context: through a session (FileSync over /session, the Dockerfile in its own
 * folder, only changed files on a rebuild) or as a tar uploaded with the /build request. The build plan needs
 * to know before anything is sent, because the two send different files: the tar must carry an excluded
 * Dockerfile and ignore file (BuildKit's frontend reads them from it), the session never does.
 *
 * Docker Engine takes sessions from API 1.39 (18.09), the version docker/cli itself opens them from; Podman's
 * compatibility API has no /session. An engine that refuses one anyway (a proxy that cannot upgrade the
 * connection, an engine started without it) is remembered here when a build meets the refusal, so every plan
 * after it matches the tar the build then falls back to.
 */
import type { EngineIdentity } from '../build-plan';

export type ContextTransfer = 'session' | 'tar';

/** Whether the engine is one that takes a BuildKit session, by its product and API version alone. */
export function sessionExpected(engine: EngineIdentity | undefined): boolean {
  // No engine connected: plan for Docker's default, as the builder choice does.
  if (!engine) return true;
  if (engine.product !== 'Docker Engine') return false;
  const [major = 0, minor = 0] = engine.apiVersion.split('.').map(Number);
  return major > 1 || (major === 1 && minor >= 39);
}

const keyOf = (engine: EngineIdentity): string => `${engine.address ?? ''}\n${engine.product}\n${engine.apiVersion}`;

/** Engines that refused a session when a build opened one, with the engine's answer. */
export class SessionRefusals {
  private readonly refused = new Map<string, string>();

  remember(engine: EngineIdentity, message: string): void {
    this.refused.set(keyOf(engine), message);
  }

  /** The engine's answer when it refused a session, or undefined. */
  refusal(engine: EngineIdentity | undefined): string | undefined {
    return engine ? this.refused.get(keyOf(engine)) : undefined;
  }
}

/** How a BuildKit build on `engine` will get its context, and why a tar when it will not be a session. */
export function contextTransferFor(
  engine: EngineIdentity | undefined,
  refusals?: SessionRefusals,
): { transfer: ContextTransfer; refusal?: string } {
  const refusal = refusals?.refusal(engine);
  if (refusal !== undefined) return { transfer: 'tar', refusal };
  return { transfer: sessionExpected(engine) ? 'session' : 'tar' };
}
