import { join } from 'node:path';
import type { EngineTransport, Env } from './endpoint-types';

export interface WellKnownPlace {
  transport: Extract<EngineTransport, 'unix' | 'npipe'>;
  /** Socket path, or pipe path in forward-slash form (//./pipe/docker_engine). */
  path: string;
  source: string;
}

/** Where engines put their socket when nothing says otherwise, most common first. */
export function wellKnownPlaces(options: { env: Env; homeDir: string; platform: NodeJS.Platform }): WellKnownPlace[] {
  const { env, homeDir } = options;
  if (options.platform === 'win32') {
    return [
      { transport: 'npipe', path: '//./pipe/docker_engine', source: 'Docker Engine pipe' },
      { transport: 'npipe', path: '//./pipe/podman-machine-default', source: 'Podman machine pipe' },
    ];
  }
  const runtimeDir = env.XDG_RUNTIME_DIR || undefined;
  const unix = (path: string, source: string): WellKnownPlace => ({ transport: 'unix', path, source });
  const places: Array<WellKnownPlace | undefined> = [
    unix('/var/run/docker.sock', 'default Docker socket'),
    // Rootless Docker and the user's Podman service live in the session's runtime dir; without one, skip them.
    runtimeDir === undefined ? undefined : unix(join(runtimeDir, 'docker.sock'), 'rootless Docker socket'),
    unix(join(homeDir, '.docker', 'run', 'docker.sock'), 'Docker Desktop socket'),
    unix(join(homeDir, '.docker', 'desktop', 'docker.sock'), 'Docker Desktop socket'),
    unix(join(homeDir, '.colima', 'default', 'docker.sock'), 'Colima socket'),
    unix(join(homeDir, '.rd', 'docker.sock'), 'Rancher Desktop socket'),
    unix(join(homeDir, '.orbstack', 'run', 'docker.sock'), 'OrbStack socket'),
    runtimeDir === undefined ? undefined : unix(join(runtimeDir, 'podman', 'podman.sock'), 'Podman socket'),
    unix('/run/podman/podman.sock', 'rootful Podman socket'),
  ];
  return places.filter((p): p is WellKnownPlace => p !== undefined);
}
