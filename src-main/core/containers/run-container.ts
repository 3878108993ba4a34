import type Docker from 'dockerode';
import { StrataError, toStrataError } from '$shared/engine/errors';
import { defaultNetworkMode } from './network-mode';
import { volumeSpec, type RunLineOptions } from '$shared/containers/run-options';

/** The Run dialog's options, plus the ones only the engine call takes. */
export interface RunContainerOptions extends RunLineOptions {
  /** HostConfig.NetworkMode; default: the engine's default when it has a bridge network, else 'none'. */
  networkMode?: string;
  /** Start the container after creating it (default true). */
  start?: boolean;
  signal?: AbortSignal;
}

export interface RunContainerResult {
  id: string;
  name: string;
}

/** Create a container from an image and start it, as `docker run -d -it` does. */
export async function runContainer(docker: Docker, options: RunContainerOptions): Promise<RunContainerResult> {
  for (const entry of options.env ?? []) {
    if (!/^[^=\s]+=/.test(entry)) {
      throw new StrataError('invalid-input', `Environment entry "${entry}" is not KEY=value.`, { field: 'env' });
    }
  }
  const interactive = options.interactive ?? true;
  const abort = options.signal ? { abortSignal: options.signal } : {};
  let container: Docker.Container;
  try {
    const networkMode = options.networkMode ?? (await defaultNetworkMode(docker));
    const ports = options.ports ?? [];
    const exposed = Object.fromEntries(ports.map((p) => [`${p.containerPort}/${p.protocol ?? 'tcp'}`, {}]));
    const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
    for (const p of ports) {
      (bindings[`${p.containerPort}/${p.protocol ?? 'tcp'}`] ??= []).push({
        HostIp: p.hostIp ?? '',
        HostPort: String(p.hostPort),
      });
    }
    const hostConfig: Docker.HostConfig = {
      ...(networkMode ? { NetworkMode: networkMode } : {}),
      ...(options.remove ? { AutoRemove: true } : {}),
      ...(ports.length > 0 ? { PortBindings: bindings } : {}),
      ...(options.volumes && options.volumes.length > 0 ? { Binds: options.volumes.map(volumeSpec) } : {}),
    };
    container = await docker.createContainer({
      Image: options.image,
      ...(options.name ? { name: options.name } : {}),
      ...(options.command && options.command.length > 0 ? { Cmd: options.command } : {}),
      ...(options.env && options.env.length > 0 ? { Env: options.env } : {}),
      ...(options.workdir ? { WorkingDir: options.workdir } : {}),
      ...(options.user ? { User: options.user } : {}),
      ...(ports.length > 0 ? { ExposedPorts: exposed } : {}),
      Tty: interactive,
      OpenStdin: interactive,
      // StdinOnce would end the container's stdin (and so a shell) when the first terminal detaches.
      StdinOnce: false,
      HostConfig: hostConfig,
      ...abort,
    });
  } catch (err) {
    throw createFailure(err, options);
  }
  if (options.start ?? true) {
    try {
      await container.start(abort);
    } catch (err) {
      const failure = toStrataError(err);
      throw new StrataError(
        failure.code,
        `Created container ${container.id.slice(0, 12)} but could not start it: ${failure.message}`,
        { ...failure.details, container: container.id },
      );
    }
  }
  const info = await container.inspect().catch(() => undefined);
  return { id: container.id, name: (info?.Name ?? '').replace(/^\//, '') || container.id.slice(0, 12) };
}

function createFailure(err: unknown, options: RunContainerOptions): StrataError {
  const failure = toStrataError(err);
  if (failure.details?.status === 404) {
    return new StrataError(
      'not-found',
      `Image ${options.image} does not exist in this engine. Pull, load or build it first.`,
      failure.details,
    );
  }
  if (failure.details?.status === 409 || failure.code === 'conflict') {
    return new StrataError(
      'conflict',
      `The name ${options.name ?? ''} is already used by another container. Choose another name, or remove that container.`,
      failure.details,
    );
  }
  return failure;
}
