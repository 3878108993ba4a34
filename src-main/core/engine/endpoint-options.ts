import { readFile as fsReadFile } from 'node:fs/promises';
import { Agent as HttpsAgent } from 'node:https';
import type Docker from 'dockerode';
import { parseHostAddress } from './endpoint-address';
import { StrataError } from './errors';
import type { EngineCandidate, EngineTls, Env, ReadFile } from './endpoint-types';

export interface DockerodeOptionsOptions {
  readFile?: ReadFile;
  /** For ssh://: SSH_AUTH_SOCK and the local user name. Defaults to process.env. */
  env?: Env;
  platform?: NodeJS.Platform;
}

/** dockerode also takes an http(s) Agent, which its type leaves out; we need one to skip TLS verification. */
export type StrataDockerOptions = Docker.DockerOptions & { agent?: HttpsAgent };

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
      const https: StrataDockerOptions = { ...at, protocol: 'https', ...material };
      // docker-modem passes no rejectUnauthorized; an agent's own options win over the request's, so use one.
      if (!candidate.tls.verify) https.agent = new HttpsAgent({ ...material, rejectUnauthorized: false });
      return https;
    }
    case 'ssh': {
      const env = options.env ?? process.env;
      const platform = options.platform ?? process.platform;
      // Like the ssh command: the agent from SSH_AUTH_SOCK (Windows: OpenSSH's agent pipe), the local user by default.
      const agent = env.SSH_AUTH_SOCK || (platform === 'win32' ? '\\\\.\\pipe\\openssh-ssh-agent' : undefined);
      const username = endpoint.username ?? (env.USER || env.USERNAME || env.LOGNAME);
      return {
        ...none,
        protocol: 'ssh',
        host: endpoint.host,
        port: endpoint.port ?? 22,
        username,
        sshOptions: agent === undefined ? {} : { agent },
      };
    }
  }
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
