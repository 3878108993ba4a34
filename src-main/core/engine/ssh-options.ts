import { appendFile as fsAppendFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
// ssh2 is CommonJS: its default export works both bundled and as an external Node import.
import ssh2, {
  type AnyAuthMethod,
  type BaseAgent,
  type ConnectConfig,
  type IdentityCallback,
  type ParsedKey,
  type ServerHostKeyAlgorithm,
} from 'ssh2';
import { checkHostKey, knownHostsLine, knownHostsName, knownKeyTypes, parseKnownHosts } from './ssh-known-hosts';
import type { SshHost } from './ssh-config';
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
 * ssh2 settings that behave like the ssh command the docker CLI runs, for a host resolved through ~/.ssh/config:
 * keys from the agent and the identity files (IdentityFile, or ssh's defaults; IdentitiesOnly keeps the agent to
 * those), and the server's host key checked against known_hosts as StrictHostKeyChecking says: `yes` refuses an
 * unknown or changed key with a refusal saying what to do, `accept-new` writes an unknown one to the first
 * UserKnownHostsFile, `no` also accepts a changed one.
 */
export async function sshSettings(options: {
  host: SshHost;
  env: Env;
  homeDir: string;
  platform: NodeJS.Platform;
  readFile: ReadFile;
  appendFile?: (path: string, text: string) => Promise<void>;
  /** The jump hosts this host is reached through (`[user@]host[:port]`), to say how to reach it with ssh. */
  through?: string[];
}): Promise<SshSettings> {
  const { env, homeDir, readFile, host } = options;
  const read = (path: string) =>
    readFile(path).then(
      (data) => Buffer.from(data),
      () => undefined,
    );
  const username = host.username ?? '';

  const files =
    host.identityFiles.length > 0 ? host.identityFiles : DEFAULT_IDENTITIES.map((n) => join(homeDir, '.ssh', n));
  const keys: { path: string; key?: Buffer; publicKey?: Buffer }[] = [];
  for (const path of files) {
    const data = await read(path);
    const parsed = data === undefined ? undefined : ssh2.utils.parseKey(data);
    // An encrypted key would need a passphrase prompt, and a missing one cannot sign: only the public half
    // (path.pub) is used then, to pick that key in the agent.
    if (data !== undefined && parsed !== undefined && !(parsed instanceof Error)) {
      keys.push({ path, key: data, publicKey: (Array.isArray(parsed) ? parsed[0]! : parsed).getPublicSSH() });
      continue;
    }
    const pub = await read(`${path}.pub`);
    const parsedPub = pub === undefined ? undefined : ssh2.utils.parseKey(pub);
    if (parsedPub && !(parsedPub instanceof Error))
      keys.push({ path, publicKey: (Array.isArray(parsedPub) ? parsedPub[0]! : parsedPub).getPublicSSH() });
  }

  const agentPath = env.SSH_AUTH_SOCK || (options.platform === 'win32' ? '\\\\.\\pipe\\openssh-ssh-agent' : undefined);
  const identities: string[] = [];
  const auth: AnyAuthMethod[] = [];
  if (agentPath !== undefined) {
    const allowed = keys.flatMap((k) => (k.publicKey ? [k.publicKey] : []));
    if (!host.identitiesOnly) {
      auth.push({ type: 'agent', username, agent: agentPath });
      identities.push('the ssh agent');
    } else if (allowed.length > 0) {
      auth.push({ type: 'agent', username, agent: onlyKeys(ssh2.createAgent(agentPath), allowed) });
      identities.push('the ssh agent (only the IdentityFile keys, as IdentitiesOnly says)');
    }
  }
  // ssh offers every identity file in turn; one ssh2 key per attempt.
  for (const k of keys) {
    if (k.key === undefined) continue;
    auth.push({ type: 'publickey', username, key: k.key });
    identities.push(k.path);
  }

  const knownHostsFiles = [...host.knownHostsFiles, ...host.globalKnownHostsFiles];
  const texts = await Promise.all(knownHostsFiles.map(read));
  const entries = parseKnownHosts(texts.map((t) => t?.toString('utf8') ?? '').join('\n'));
  const name = host.hostKeyAlias ?? knownHostsName(host.hostName, host.port);
  const hostKeyCheck: HostKeyCheck = {};
  const where = host.knownHostsFiles[0] ?? join(homeDir, '.ssh', 'known_hosts');
  const append =
    options.appendFile ??
    (async (path: string, text: string) => {
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      await fsAppendFile(path, text, { mode: 0o600 });
    });
  const through = options.through ?? [];
  const sshCommand =
    `ssh${through.length > 0 ? ` -J ${through.join(',')}` : ''}` +
    `${host.port === 22 || host.alias !== host.hostName ? '' : ` -p ${host.port}`} ${host.alias}`;

  const hostVerifier = (key: Buffer, verify: (valid: boolean) => void): void => {
    const verdict = checkHostKey(entries, name, key);
    const type = ssh2.utils.parseKey(key);
    const keyType = type instanceof Error ? undefined : (Array.isArray(type) ? type[0]! : type).type;
    const strict = host.strictHostKeyChecking;
    if (verdict.result === 'known' || (verdict.result === 'changed' && strict === 'no')) {
      delete hostKeyCheck.refusal;
      return verify(true);
    }
    if (verdict.result === 'unknown' && strict !== 'yes' && keyType !== undefined && host.knownHostsFiles[0]) {
      // As ssh does with accept-new (and no): remember the new host's key, then go on.
      const line = knownHostsLine(name, keyType, key, host.hashKnownHosts);
      append(host.knownHostsFiles[0], line).then(
        () => {
          entries.push(...parseKnownHosts(line));
          delete hostKeyCheck.refusal;
          verify(true);
        },
        (err: Error) => {
          hostKeyCheck.refusal = `the SSH host ${name} is new, and its key could not be added to ${where}: ${err.message}`;
          verify(false);
        },
      );
      return;
    }
    const presented = keyType === undefined ? 'its host key' : `its ${keyType} host key`;
    hostKeyCheck.refusal =
      verdict.result === 'unknown'
        ? `the SSH host ${name} is not in ${where}, so its identity cannot be checked. ` +
          `Connect once with \`${sshCommand}\` and accept the key if its fingerprint is right` +
          // ssh-keyscan connects directly, which is not the way to a host behind jump hosts.
          (through.length > 0 ? '' : `, or add it with \`ssh-keyscan -p ${host.port} ${host.hostName} >> ${where}\``)
        : verdict.result === 'revoked'
          ? `the SSH host ${name} presented a revoked host key`
          : `the SSH host key of ${name} has changed: ${presented} does not match the one in ${where} ` +
            `(${verdict.result === 'changed' ? verdict.knownTypes.join(', ') : ''}). Someone may be intercepting the connection, or the host was ` +
            `reinstalled; if you know it was, remove the old key with \`ssh-keygen -R '${name}'\``;
    verify(false);
  };

  // Ask the server for a key type known_hosts has for it, as ssh does, so a host that also has other
  // key types is not refused as changed.
  const preferred = knownKeyTypes(entries, name).flatMap((t) => HOST_KEY_ALGORITHMS[t] ?? []);
  const sshOptions: ConnectConfig = {
    hostVerifier,
    authHandler: auth,
    ...(preferred.length > 0
      ? { algorithms: { serverHostKey: { remove: preferred, prepend: [...preferred].reverse(), append: [] } } }
      : {}),
  };
  return { sshOptions, hostKeyCheck, identities };
}

/** An agent that shows only these public keys (IdentitiesOnly with the agent, as ssh does it). */
function onlyKeys(agent: BaseAgent, allowed: Buffer[]): BaseAgent {
  const inner = agent as BaseAgent<ParsedKey>;
  return new (class extends ssh2.BaseAgent<ParsedKey> {
    getIdentities(cb: IdentityCallback<ParsedKey>): void {
      inner.getIdentities.call(inner, (err, keys) =>
        cb(
          err,
          keys?.filter((k) => allowed.some((a) => 'getPublicSSH' in k && a.equals(k.getPublicSSH()))),
        ),
      );
    }
    override sign(...args: unknown[]): void {
      (inner.sign as (...a: unknown[]) => void).apply(inner, args);
    }
  })() as unknown as BaseAgent;
}
