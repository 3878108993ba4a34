import type Docker from 'dockerode';
import { toStrataError } from '$shared/engine/errors';

/**
 * The network mode new containers should get: undefined (the engine's default, `bridge`) when the engine has
 * a bridge network, else 'none' — an engine started without one (like the project's test engine) refuses to
 * create containers on the default network.
 */
export async function defaultNetworkMode(docker: Docker): Promise<string | undefined> {
  try {
    const networks = await docker.listNetworks();
    return networks.some((n) => n.Name === 'bridge') ? undefined : 'none';
  } catch (err) {
    throw toStrataError(err);
  }
}
