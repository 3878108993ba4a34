import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { parse as parseSshConfig } from 'ssh-config';
import { StrataError } from '$shared/engine/errors';
import type { Env, ReadFile } from './endpoint-types';
import { parseProxyJump, type JumpSpec } from './ssh-jump-spec';

/** How an unknown or changed host key is treated (ssh's StrictHostKeyChecking; `ask` has no prompt here: `yes`). */
export type StrictHostKeyChecking = 'yes' | 'accept-new' | 'no';

/** Where and how to reach an ssh:// host, after ~/.ssh/config: what the ssh command would use. */
export interface SshHost {
  /** The host as written in the address (possibly an alias of the config). */
  alias: string;
  /** Where to connect: the config's HostName, or the alias itself. */
  hostName: string;
  port: number;
  username: string | undefined;
  /** IdentityFile paths, expanded; empty when the config names none (the default keys are used then). */
  identityFiles: string[];
  identitiesOnly: boolean;
  /** UserKnownHostsFile, expanded: the first is where new host keys are written. */
  knownHostsFiles: string[];
  globalKnownHostsFiles: string[];
  strictHostKeyChecking: StrictHostKeyChecking;
  /** HashKnownHosts: a host key written to known_hosts names its host hashed (`|1|salt|hash`), as ssh writes it. */
  hashKnownHosts: boolean;
  /** The name the host key is looked up under in known_hosts, when the config sets HostKeyAlias. */
  hostKeyAlias?: string;
  /** The config files that were read (those that exist). */
  configFiles: string[];
  /**
   * The jump hosts the config's ProxyJump names for this host, in the order they are visited, with %-tokens
   * expanded; absent when it sets none (or `ProxyJump none`, or the jumps were given as on ssh's command line).
   */
  proxyJump?: JumpSpec[];
}

export interface ResolveSshHostOptions {
  host: string;
  /** Given in the address: these win over the config, as on ssh's command line. */
  port?: number;
  username?: string;
  env: Env;
  homeDir: string;
  platform: NodeJS.Platform;
  readFile: ReadFile;
  readDir?: (path: string) => Promise<string[]>;
  /** For the %l and %L tokens. */
  localHostName?: string;
  /**
   * The jump hosts this host is reached through, given as on ssh's command line (`ssh -J a b`, which is how
   * OpenSSH reaches every jump host of a chain but the first): the config's ProxyJump and ProxyCommand do not apply.
   */
  jumpsGiven?: JumpSpec[];
}

/** OpenSSH's limit on nested Include. */
const MAX_INCLUDE_DEPTH = 16;

/**
 * Resolve an ssh:// host as ssh does before connecting: ~/.ssh/config, then the system's ssh_config, the first
 * value obtained for each option winning, and what the address itself gives (user, port) winning over both.
 * ProxyJump is read into the jump hosts to go through (each resolved by resolveSshRoute); ProxyCommand, which
 * would run a command, is refused with a reason.
 */
export async function resolveSshHost(options: ResolveSshHostOptions): Promise<SshHost> {
  const { env, homeDir, platform } = options;
  const read = async (path: string) => {
    try {
      return (await options.readFile(path)).toString();
    } catch {
      return undefined;
    }
  };
  const readDir = options.readDir ?? ((path: string) => readdir(path));
  const userConfig = join(homeDir, '.ssh', 'config');
  const systemConfig =
    platform === 'win32' ? join(env.PROGRAMDATA ?? 'C:\\ProgramData', 'ssh', 'ssh_config') : '/etc/ssh/ssh_config';
  const configFiles: string[] = [];
  const texts: string[] = [];
  for (const [file, base] of [
    [userConfig, join(homeDir, '.ssh')],
    [systemConfig, dirname(systemConfig)],
  ] as const) {
    const text = await read(file);
    if (text === undefined) continue;
    configFiles.push(file);
    // `Host *` first: lines before the file's first Host apply to every host, not to the previous file's last Host.
    texts.push('Host *', await inlineIncludes(text, file, base, { read, readDir, homeDir, depth: 0, configFiles }));
  }

  let config: Record<string, string | string[]> = {};
  try {
    config = parseSshConfig(texts.join('\n')).compute(
      { Host: options.host, ...(options.username !== undefined ? { User: options.username } : {}) },
      // `Match exec` runs a shell command; it is not run here (such a block does not match).
      { ignoreCase: true, matchExec: false },
    );
  } catch (err) {
    throw new StrataError('invalid-input', `Cannot read ${configFiles.join(' or ')}: ${(err as Error).message}`);
  }
  const one = (key: string): string | undefined => {
    const value = config[key];
    return Array.isArray(value) ? value[0] : value;
  };
  const many = (key: string): string[] | undefined => {
    const value = config[key];
    return value === undefined ? undefined : Array.isArray(value) ? value : value.split(/\s+/).filter(Boolean);
  };
  const where = configFiles.join(' or ') || userConfig;

  const proxy = options.jumpsGiven !== undefined ? {} : effectiveProxy(config);
  if (proxy.command !== undefined) {
    throw new StrataError(
      'invalid-input',
      `${where} sets ProxyCommand ${proxy.command} for ${options.host}; Strata does not connect through ProxyCommand yet. ` +
        `Use an address Strata can reach directly (ssh://user@host:port), or forward the engine's socket ` +
        `(ssh -L /tmp/engine.sock:/var/run/docker.sock ${options.host}) and add unix:///tmp/engine.sock. ` +
        `If the command is \`ssh -W %h:%p <jump host>\`, \`ProxyJump <jump host>\` does the same, and Strata follows it.`,
    );
  }
  const jumps = proxy.jump === undefined ? undefined : parseProxyJump(proxy.jump);
  if (jumps !== undefined && 'error' in jumps)
    throw new StrataError(
      'invalid-input',
      `${where} sets ProxyJump ${proxy.jump} for ${options.host}: ${jumps.error}. ` +
        'ProxyJump takes [user@]host[:port] or ssh://[user@]host[:port], several separated by commas, or none.',
    );

  const localUser = env.USER || env.USERNAME || env.LOGNAME;
  const hostName = expandTokens(one('hostname') ?? options.host, { h: options.host }, 'HostName', where);
  const portText = one('port');
  const configPort = portText === undefined ? undefined : Number(portText);
  if (configPort !== undefined && !(Number.isInteger(configPort) && configPort > 0 && configPort < 65536))
    throw new StrataError('invalid-input', `${where} sets Port ${portText} for ${options.host}: not a port number.`);
  const port = options.port ?? configPort ?? 22;
  const username = options.username ?? one('user') ?? localUser;
  const hostKeyAlias = one('hostkeyalias');

  const localHostName = options.localHostName ?? 'localhost';
  const tokens: Record<string, string> = {
    d: homeDir,
    h: hostName,
    i: typeof process.getuid === 'function' ? String(process.getuid()) : '',
    // OpenSSH's %j: the jump host connected to last, as written.
    j: (options.jumpsGiven ?? jumps)?.at(-1)?.host ?? '',
    k: hostKeyAlias ?? options.host,
    L: localHostName.split('.')[0]!,
    l: localHostName,
    n: options.host,
    p: String(port),
    r: username ?? '',
    u: localUser ?? '',
  };
  tokens.C = createHash('sha1').update(`${tokens.l}${tokens.h}${tokens.p}${tokens.r}${tokens.j}`).digest('hex');
  const path = (value: string, option: string) =>
    expandPath(expandTokens(expandEnv(value, env, option, where), tokens, option, where), homeDir);

  // ProxyJump takes %h %n %p %r of this host (OpenSSH puts the list into the command it expands them in).
  const jumpTokens = { h: tokens.h!, n: tokens.n!, p: tokens.p!, r: tokens.r! };
  const proxyJump = jumps?.map((spec) => ({
    ...spec,
    host: expandTokens(spec.host, jumpTokens, 'ProxyJump', where),
    ...(spec.user !== undefined ? { user: expandTokens(spec.user, jumpTokens, 'ProxyJump', where) } : {}),
  }));

  const userKnown = many('userknownhostsfile');
  const globalKnown = many('globalknownhostsfile');
  const files = (list: string[] | undefined, fallback: string[], option: string) =>
    (list ?? fallback).filter((f) => f.toLowerCase() !== 'none').map((f) => path(f, option));

  return {
    alias: options.host,
    hostName,
    port,
    username,
    identityFiles: (many('identityfile') ?? [])
      .filter((f) => f.toLowerCase() !== 'none')
      .map((f) => path(f, 'IdentityFile')),
    identitiesOnly: isYes(one('identitiesonly')),
    knownHostsFiles: files(userKnown, ['~/.ssh/known_hosts', '~/.ssh/known_hosts2'], 'UserKnownHostsFile'),
    globalKnownHostsFiles:
      platform === 'win32' && globalKnown === undefined
        ? []
        : files(globalKnown, ['/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2'], 'GlobalKnownHostsFile'),
    strictHostKeyChecking: strictness(one('stricthostkeychecking')),
    hashKnownHosts: isYes(one('hashknownhosts')),
    ...(hostKeyAlias !== undefined ? { hostKeyAlias } : {}),
    configFiles,
    ...(proxyJump !== undefined && proxyJump.length > 0 ? { proxyJump } : {}),
  };
}

/**
 * ProxyJump and ProxyCommand compete as in OpenSSH: the first one set wins and the other is ignored, except that
 * `ProxyJump none` leaves a later ProxyCommand in force (and `ProxyCommand none` turns a later ProxyJump off).
 */
function effectiveProxy(config: Record<string, string | string[]>): { jump?: string; command?: string } {
  const value = (key: string) => {
    const v = config[key];
    return Array.isArray(v) ? v.join(' ') : v;
  };
  const jump = value('proxyjump');
  const command = value('proxycommand');
  const keys = Object.keys(config);
  // compute() adds each option at its first value, so the keys' order is the order they were first set in.
  const jumpFirst =
    jump !== undefined && (command === undefined || keys.indexOf('proxyjump') < keys.indexOf('proxycommand'));
  if (jumpFirst && jump.trim().toLowerCase() !== 'none') return { jump };
  if (command !== undefined && command.trim().toLowerCase() !== 'none') return { command };
  return {};
}

function isYes(value: string | undefined): boolean {
  return value !== undefined && ['yes', 'true'].includes(value.toLowerCase());
}

function strictness(value: string | undefined): StrictHostKeyChecking {
  const v = value?.toLowerCase();
  if (v === 'accept-new') return 'accept-new';
  if (v === 'no' || v === 'off' || v === 'false') return 'no';
  return 'yes';
}

/** ssh's %-tokens; an unknown one is an error, as in ssh. */
export function expandTokens(value: string, tokens: Record<string, string>, option: string, where: string): string {
  return value.replace(/%(.)/g, (all, key: string) => {
    if (key === '%') return '%';
    const token = tokens[key];
    if (token === undefined)
      throw new StrataError('invalid-input', `${where}: ${option} ${value} uses ${all}, which Strata does not expand.`);
    return token;
  });
}

function expandEnv(value: string, env: Env, option: string, where: string): string {
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_all, name: string) => {
    const v = env[name];
    if (v === undefined)
      throw new StrataError('invalid-input', `${where}: ${option} ${value} uses \${${name}}, which is not set.`);
    return v;
  });
}

function expandPath(value: string, homeDir: string): string {
  if (value === '~') return homeDir;
  if (value.startsWith('~/')) return join(homeDir, value.slice(2));
  return value;
}

/**
 * Put each Include's files where the Include is, as ssh reads them: paths relative to ~/.ssh (or /etc/ssh for the
 * system file), `*` and `?` in the file name. An Include inside a Host or Match block is followed by that block's
 * line again, so the block's later lines stay in it.
 */
async function inlineIncludes(
  text: string,
  file: string,
  base: string,
  ctx: {
    read: (path: string) => Promise<string | undefined>;
    readDir: (path: string) => Promise<string[]>;
    homeDir: string;
    depth: number;
    configFiles: string[];
  },
): Promise<string> {
  const out: string[] = [];
  let block = 'Host *';
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(\w+)(?:\s*=\s*|\s+)(.*?)\s*$/.exec(line);
    const keyword = m?.[1]?.toLowerCase();
    if (keyword === 'host' || keyword === 'match') block = line.trim();
    if (keyword !== 'include') {
      out.push(line);
      continue;
    }
    if (ctx.depth >= MAX_INCLUDE_DEPTH)
      throw new StrataError('invalid-input', `${file}: Include nested more than ${MAX_INCLUDE_DEPTH} deep.`);
    for (const pattern of (m![2] ?? '').split(/\s+/).filter(Boolean)) {
      const unquoted = pattern.replace(/^"(.*)"$/, '$1');
      const target = expandPath(unquoted, ctx.homeDir);
      const full = isAbsolute(target) ? target : join(base, target);
      for (const included of await expandGlob(full, ctx.readDir)) {
        const content = await ctx.read(included);
        if (content === undefined) continue;
        ctx.configFiles.push(included);
        out.push(await inlineIncludes(content, included, base, { ...ctx, depth: ctx.depth + 1 }));
      }
    }
    out.push(block);
  }
  return out.join('\n');
}

/** A path with `*` or `?` in its last part: the matching names of that folder, sorted as ssh's glob does. */
async function expandGlob(path: string, readDir: (path: string) => Promise<string[]>): Promise<string[]> {
  const name = basename(path);
  if (!/[*?]/.test(name)) return [path];
  const re = new RegExp(
    `^${name
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
  const names = await readDir(dirname(path)).catch(() => [] as string[]);
  return names
    .filter((n) => re.test(n) && !n.startsWith('.'))
    .sort()
    .map((n) => join(dirname(path), n));
}
