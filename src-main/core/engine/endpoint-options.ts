import { readFile as fsReadFile } from 'node:fs/promises';
import type { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { homedir, hostname } from 'node:os';
import type Docker from 'dockerode';
import { parseHostAddress } from './endpoint-address';
import { StrataError } from '$shared/engine/errors';
import type { EngineCandidate, EngineTls, Env, ReadFile } from './endpoint-types';
import { SshDialAgent } from './ssh-dial-agent';
import type { SshHost } from './ssh-config';
import { sshSettings, type HostKeyCheck, type SshSettings } from './ssh-options';
import { resolveSshRoute } from './ssh-route';

export interface DockerodeOptionsOptions {
  readFile?: ReadFile;
  /** For ssh://: SSH_AUTH_SOCK and the local user name. Defaults to process.env. */
  env?: Env;
  platform?: NodeJS.Platform;
  /** For ssh://: where ~/.ssh (config, keys, known_hosts) is. Defaults to this user's home. */
  homeDir?: string;
}

/** An SSH host on the way to an engine, as a failure to reach it is explained. */
export interface SshHopInfo {
  /** The host as written (an alias of the ssh config, maybe). */
  alias: string;
  host: string;
  port: number;
  username: string | undefined;
  hostKeyCheck: HostKeyCheck;
  identities: string[];
}

/**
 * dockerode also takes an http(s) Agent, which its type leaves out; we need one to skip TLS verification, and
 * one that reaches ssh:// engines over a shared SSH connection.
 * `remote` (ignored by dockerode) says what was set up for a remote engine, to explain a failure to connect.
 */
export type StrataDockerOptions = Docker.DockerOptions & {
  agent?: HttpAgent;
  remote?: {
    hostKeyCheck?: HostKeyCheck;
    identities?: string[];
    tls?: EngineTls;
    /** Behind jump hosts: each jump host in the order they are connected, and the engine's host. */
    route?: { jumps: SshHopInfo[]; target: SshHopInfo };
  };
};

/**
 * dockerode options for a candidate. Every connection field is set, even to undefined, because docker-modem
 * fills missing ones from this process's own DOCKER_HOST / DOCKER_CERT_PATH, which may name another engine.
 */
export async function dockerodeOptions(
  candidate: Pick<EngineCandidate, 'address' | 'tls' | 'error'>,
  options: DockerodeOptionsOptions = {},
): Promise<StrataDockerOptions> {
  if (candidate.error !== undefined) throw new StrataError('invalid-input', candidate.error);
  const parsed = parseHostAddress(candidate.address, { tls: candidate.tls !== undefined });
  if (parsed.error !== undefined) throw new StrataError('invalid-input', parsed.error);
  const { endpoint } = parsed;
  const none = {
    socketPath: undefined,
    host: undefined,
    port: undefined,
    ca: undefined,
    cert: undefined,
    key: undefined,
  };

  switch (endpoint.transport) {
    case 'unix':
    case 'npipe':
      return { ...none, socketPath: endpoint.path, protocol: 'http' };
    case 'tcp': {
      const at = { ...none, host: endpoint.host, port: endpoint.port };
      if (!candidate.tls) return { ...at, protocol: 'http' };
      const material = await readTlsMaterial(candidate.tls, options.readFile ?? fsReadFile);
      const https: StrataDockerOptions = { ...at, protocol: 'https', ...material, remote: { tls: candidate.tls } };
      // docker-modem passes no rejectUnauthorized; an agent's own options win over the request's, so use one.
      if (!candidate.tls.verify) https.agent = new HttpsAgent({ ...material, rejectUnauthorized: false });
      return https;
    }
    case 'ssh': {
      const env = options.env ?? process.env;
      const platform = options.platform ?? process.platform;
      const homeDir = options.homeDir ?? homedir();
      const readFile = options.readFile ?? fsReadFile;
      // As the ssh command the docker CLI runs: ~/.ssh/config for this host (an alias, maybe), the address's
      // own user and port winning over it, and the local user by default.
      const route = await resolveSshRoute({
        host: endpoint.host,
        ...(endpoint.port !== undefined ? { port: endpoint.port } : {}),
        ...(endpoint.username !== undefined ? { username: endpoint.username } : {}),
        env,
        homeDir,
        platform,
        readFile,
        localHostName: hostname(),
      });
      const host = route.target;
      // Each jump host with its own keys and known hosts; each reached through the ones before it.
      const specs = route.jumps.map((j) => j.spec);
      const jumps = await Promise.all(
        route.jumps.map((jump, i) =>
          sshSettings({ host: jump, env, platform, homeDir, readFile, through: specs.slice(0, i) }),
        ),
      );
      const ssh = await sshSettings({ host, env, platform, homeDir, readFile, through: specs });
      const { hostName, port, username } = host;
      // Plain HTTP through an agent whose connections are `docker system dial-stdio` on the remote; the host
      // and port only fill the Host header.
      return {
        ...none,
        protocol: 'http',
        host: hostName,
        port,
        username,
        agent: new SshDialAgent(
          { ...ssh.sshOptions, host: hostName, port, username },
          route.jumps.map((jump, i) => ({
            ...jumps[i]!.sshOptions,
            host: jump.hostName,
            port: jump.port,
            username: jump.username,
          })),
        ),
        remote: {
          hostKeyCheck: ssh.hostKeyCheck,
          identities: ssh.identities,
          ...(route.jumps.length > 0
            ? {
                route: {
                  jumps: route.jumps.map((jump, i) => hopInfo(jump, jumps[i]!)),
                  target: hopInfo(host, ssh),
                },
              }
            : {}),
        },
      };
    }
  }
}

/** An SSH host of a route, as a failure to reach it is explained. */
function hopInfo(host: SshHost, settings: SshSettings): SshHopInfo {
  return {
    alias: host.alias,
    host: host.hostName,
    port: host.port,
    username: host.username,
    hostKeyCheck: settings.hostKeyCheck,
    identities: settings.identities,
  };
}

/** Read CA, certificate and key as the docker CLI does: the CA must be readable, cert and key are used only as a pair. */
async function readTlsMaterial(
  tls: EngineTls,
  readFile: ReadFile,
): Promise<{ ca?: Buffer; cert?: Buffer; key?: Buffer }> {
  const read = (path: string) => readFile(path).then((data) => Buffer.from(data));
  const material: { ca?: Buffer; cert?: Buffer; key?: Buffer } = {};
  if (tls.caFile !== undefined) {
    try {
      material.ca = await read(tls.caFile);
    } catch (err) {
      // Without verification the CA is not needed, so a missing one is no reason to refuse.
      if (tls.verify) {
        throw new StrataError(
          'invalid-input',
          `Cannot read the TLS CA certificate ${tls.caFile} (${(err as Error).message}). ` +
            'Set DOCKER_CERT_PATH to the folder holding ca.pem, cert.pem and key.pem.',
        );
      }
    }
  }
  if (tls.certFile !== undefined && tls.keyFile !== undefined) {
    const pair = await Promise.all([read(tls.certFile), read(tls.keyFile)]).catch(() => undefined);
    if (pair) [material.cert, material.key] = pair;
  }
  return material;
}
