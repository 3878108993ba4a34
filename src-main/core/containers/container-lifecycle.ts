import type Docker from 'dockerode';
import { containerFailure } from './container-failure';

export interface ContainerRef {
  /** Container name or ID. */
  container: string;
  signal?: AbortSignal;
}

export interface StopOptions extends ContainerRef {
  /** Seconds to wait for a clean exit before the engine kills the process (engine default: 10). */
  timeoutSeconds?: number;
}

export interface RemoveOptions extends ContainerRef {
  /** Kill and remove a running container (as `docker rm -f`). */
  force?: boolean;
  /** Also remove the container's anonymous volumes (as `docker rm -v`). */
  removeVolumes?: boolean;
}

/** The engine answers 304 when a container already is in the asked state; that is success for us. */
function isNotModified(err: unknown): boolean {
  return (err as { statusCode?: unknown } | null)?.statusCode === 304;
}

/** Start a created or stopped container; starting a running one is a no-op. */
export async function startContainer(docker: Docker, options: ContainerRef): Promise<void> {
  try {
    await docker.getContainer(options.container).start(signalOpt(options.signal));
  } catch (err) {
    if (!isNotModified(err)) throw containerFailure(err, { action: 'start', container: options.container });
  }
}

/** Stop a running container (SIGTERM, then SIGKILL after the timeout); stopping a stopped one is a no-op. */
export async function stopContainer(docker: Docker, options: StopOptions): Promise<void> {
  try {
    await docker.getContainer(options.container).stop({
      ...(options.timeoutSeconds !== undefined ? { t: options.timeoutSeconds } : {}),
      ...signalOpt(options.signal),
    });
  } catch (err) {
    if (!isNotModified(err)) throw containerFailure(err, { action: 'stop', container: options.container });
  }
}

/** Restart a container (stop if running, then start). */
export async function restartContainer(docker: Docker, options: StopOptions): Promise<void> {
  try {
    await docker.getContainer(options.container).restart({
      ...(options.timeoutSeconds !== undefined ? { t: options.timeoutSeconds } : {}),
      ...signalOpt(options.signal),
    });
  } catch (err) {
    throw containerFailure(err, { action: 'restart', container: options.container });
  }
}

/** Remove a container; a running one needs `force`. */
export async function removeContainer(docker: Docker, options: RemoveOptions): Promise<void> {
  try {
    await docker.getContainer(options.container).remove({
      force: options.force ?? false,
      v: options.removeVolumes ?? false,
      ...signalOpt(options.signal),
    });
  } catch (err) {
    throw containerFailure(err, { action: 'remove', container: options.container });
  }
}

/** The engine's full description of a container (`docker inspect`). */
export async function inspectContainer(docker: Docker, options: ContainerRef): Promise<Docker.ContainerInspectInfo> {
  try {
    return await docker.getContainer(options.container).inspect(signalOpt(options.signal));
  } catch (err) {
    throw containerFailure(err, { action: 'inspect', container: options.container });
  }
}

function signalOpt(signal: AbortSignal | undefined): { abortSignal?: AbortSignal } {
  return signal ? { abortSignal: signal } : {};
}
