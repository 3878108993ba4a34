import { join } from 'node:path';
// ssh2 is CommonJS: its default export works both bundled and as an external Node import.
import ssh2, { type ConnectConfig, type ServerHostKeyAlgorithm } from 'ssh2';
import { checkHostKey, knownHostsName, knownKeyTypes, parseKnownHosts } from './ssh-known-hosts';
import type { Env, ReadFile } from './endpoint-types';

/** What the last host key check said, when it refused; read to explain a failed connection. */
export interface HostKeyCheck {
  refusal?: string;
}

export interface SshSettings {
  sshOptions: ConnectConfig;
  hostKeyCheck: HostKeyCheck;
  /** Where the keys offered came from, for a message when the server refuses them all. */
  identities: string[];
}

/** The keys ssh offers by default, in its order (only unencrypted ones are usable without a prompt). */
const DEFAULT_IDENTITIES = ['id_rsa', 'id_ecdsa', 'id_ed25519'];

/** ssh2's names for the host key algorithms of each known_hosts key type. */
const HOST_KEY_ALGORITHMS: Record<string, ServerHostKeyAlgorithm[]> = {
  'ssh-ed25519': ['ssh-ed25519'],
  'ecdsa-sha2-nistp256': ['ecdsa-sha2-nistp256'],
  'ecdsa-sha2-nistp384': ['ecdsa-sha2-nistp384'],
  'ecdsa-sha2-nistp521': ['ecdsa-sha2-nistp521'],
  'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
};

/**
 * ssh2 settings that behave like the ssh command the docker CLI runs: keys from the agent and the default
 * identity files, and the server's host key checked against known_hosts (ssh's StrictHostKeyChecking): an
 * unknown or changed host key refuses the connection, with a refusal saying what to do.
 */
export async function sshSettings(options: {
  host: string;
  port: number;
  username: string | undefined;
  env: Env;
  homeDir: string;
  platform: NodeJS.Platform;
  readFile: ReadFile;
}): Promise<SshSettings> {
  const { env, homeDir, readFile } = options;
  const read = (path: string) =>
    readFile(path).then(
      (data) => Buffer.from(data),
      () => undefined,
    );
  const sshDir = join(homeDir, '.ssh');

  const agent = env.SSH_AUTH_SOCK || (options.platform === 'win32' ? '\\\\.\\pipe\\openssh-ssh-agent' : undefined);
  const identities: string[] = agent === undefined ? [] : ['the ssh agent'];
  let privateKey: Buffer | undefined;
  for (const name of DEFAULT_IDENTITIES) {
    const path = join(sshDir, name);
    const data = await read(path);
    // ssh2 takes one key; an encrypted one would need a passphrase prompt, so it is left to the agent.
    if (data === undefined || ssh2.utils.parseKey(data) instanceof Error) continue;
    privateKey = data;
    identities.push(path);
    break;
  }

  const knownHostsFiles = [join(sshDir, 'known_hosts'), join(sshDir, 'known_hosts2')];
  if (options.platform !== 'win32') knownHostsFiles.push('/etc/ssh/ssh_known_hosts');
  const texts = await Promise.all(knownHostsFiles.map(read));
  const entries = parseKnownHosts(texts.map((t) => t?.toString('utf8') ?? '').join('\n'));
  const name = knownHostsName(options.host, options.port);
  const hostKeyCheck: HostKeyCheck = {};
  const where = knownHostsFiles[0]!;

  const hostVerifier = (key: Buffer): boolean => {
    const verdict = checkHostKey(entries, name, key);
    if (verdict.result === 'known') {
      delete hostKeyCheck.refusal;
      return true;
    }
    const type = ssh2.utils.parseKey(key);
    const presented = type instanceof Error ? 'its host key' : `its ${type.type} host key`;
    hostKeyCheck.refusal =
      verdict.result === 'unknown'
        ? `the SSH host ${name} is not in ${where}, so its identity cannot be checked. ` +
          `Connect once with \`ssh -p ${options.port} ${options.host}\` and accept the key if its fingerprint is right, ` +
          `or add it with \`ssh-keyscan -p ${options.port} ${options.host} >> ${where}\``
        : verdict.result === 'revoked'
          ? `the SSH host ${name} presented a revoked host key`
          : `the SSH host key of ${name} has changed: ${presented} does not match the one in ${where} ` +
            `(${verdict.knownTypes.join(', ')}). Someone may be intercepting the connection, or the host was ` +
            `reinstalled; if you know it was, remove the old key with \`ssh-keygen -R '${name}'\``;
    return false;
  };

  // Ask the server for a key type known_hosts has for it, as ssh does, so a host that also has other
  // key types is not refused as changed.
  const preferred = knownKeyTypes(entries, name).flatMap((t) => HOST_KEY_ALGORITHMS[t] ?? []);
  const sshOptions: ConnectConfig = {
    hostVerifier,
    ...(agent === undefined ? {} : { agent }),
    ...(privateKey === undefined ? {} : { privateKey }),
    ...(preferred.length > 0
      ? { algorithms: { serverHostKey: { remove: preferred, prepend: [...preferred].reverse(), append: [] } } }
      : {}),
  };
  return { sshOptions, hostKeyCheck, identities };
}
