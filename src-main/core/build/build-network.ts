import type Docker from 'dockerode';
import type { BuilderKind } from './build-events';

export interface BuildNetworkChoice {
  /** The /build `networkmode` to send; undefined for the engine's default. */
  networkMode: string | undefined;
  /** Why, for the build's log, when the choice is not the engine's default. */
  note?: string;
}

/**
 * The network RUN steps get when the user left it on Automatic. The engine's default is its `bridge`
 * network, and an engine without one (rootless setups, dockerd started with `--bridge=none`, some VM
 * engines) fails the first RUN with "network bridge not found"; there `none` is what works.
 * Podman's compatibility API lists its default network as `bridge` too.
 */
export async function automaticBuildNetwork(docker: Docker): Promise<BuildNetworkChoice> {
  let names: string[];
  try {
    names = (await docker.listNetworks()).map((n) => n.Name);
  } catch {
    // Not knowing is no reason to refuse the build: leave it to the engine, as `docker build` does.
    return { networkMode: undefined };
  }
  if (names.includes('bridge')) return { networkMode: undefined };
  return {
    networkMode: 'none',
    note:
      'Network: none. This engine has no default bridge network (rootless, started with --bridge=none, or a VM ' +
      'engine), so RUN steps run without network. If a step needs the network, choose Host in the build options.',
  };
}

/** A hint for a build that failed because of its network setting, or undefined when the failure is another. */
export function buildNetworkHint(
  message: string,
  builder: BuilderKind,
  networkMode: string | undefined,
): string | undefined {
  const notFound = /network ([^\s:]+) not found/i.exec(message);
  if (notFound) {
    const name = notFound[1] ?? '';
    return name === 'bridge' || !networkMode || networkMode === 'default'
      ? `Hint: this engine has no "${name}" network. Choose Automatic (RUN steps then run without network here), None, or Host in the build options.`
      : `Hint: the engine has no network "${name}". Choose one it has, or Automatic.`;
  }
  if (builder === 'buildkit' && /network mode "?[^"\s]+"? not supported by buildkit/i.test(message)) {
    return 'Hint: BuildKit runs steps only with the default network, None or Host. Choose one of those, or the classic builder to use a named network.';
  }
  return undefined;
}
