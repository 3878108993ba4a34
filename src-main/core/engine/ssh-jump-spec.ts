/** One jump host of a ProxyJump list, as written: `[user@]host[:port]` or `ssh://[user@]host[:port]`. */
export interface JumpSpec {
  host: string;
  user?: string;
  port?: number;
  /** The entry as written in the list, to name it in messages and in `ssh -J`. */
  text: string;
}

/** Characters OpenSSH refuses in a host or user name (ssh_valid_hostname, ssh_valid_ruser), and whitespace. */
const UNSAFE = /[\s'`"$\\;&<>|(){},]/;

/**
 * Parse a ProxyJump value as OpenSSH's parse_jump does: `none` (no jump), or a comma-separated list of jump hosts
 * visited in order, each `[user@]host[:port]` (the last `@` ends the user, an IPv6 address in brackets) or an
 * ssh URI `ssh://[user@]host[:port]` (no path). A `#` starts a comment. Returns the list (empty for `none`) or why
 * the value is not one.
 */
export function parseProxyJump(value: string): JumpSpec[] | { error: string } {
  if (value.trim().toLowerCase() === 'none') return [];
  const text = value.replace(/#.*$/, '').trimEnd();
  const specs: JumpSpec[] = [];
  for (const entry of text.split(',')) {
    const spec = entry.startsWith('ssh://') ? parseUri(entry) : parseUserHostPort(entry);
    if ('error' in spec) return { error: `${JSON.stringify(entry)} ${spec.error}` };
    specs.push(spec);
  }
  return specs;
}

function parseUserHostPort(entry: string): JumpSpec | { error: string } {
  let rest = entry;
  let user: string | undefined;
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    user = rest.slice(0, at);
    if (user === '') return { error: 'has an empty user name before @' };
    rest = rest.slice(at + 1);
  }
  const split = splitHostPort(rest);
  if ('error' in split) return split;
  return checked({ ...split, ...(user !== undefined ? { user } : {}), text: entry });
}

function parseUri(entry: string): JumpSpec | { error: string } {
  let rest = entry.slice('ssh://'.length);
  let user: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    // `user;params@host`: the connection parameters are ignored, as OpenSSH does.
    const info = rest.slice(0, at).split(';')[0]!;
    if (info === '') return { error: 'has an empty user name before @' };
    try {
      user = decodeURIComponent(info);
    } catch {
      return { error: 'has a badly %-encoded user name' };
    }
    rest = rest.slice(at + 1);
  }
  // A trailing `/` is allowed; a path is not (an ssh URI for a jump host names a host, not a file).
  const split = splitHostPort(rest, { uri: true });
  if ('error' in split) return split;
  return checked({ ...split, ...(user !== undefined ? { user } : {}), text: entry });
}

/** OpenSSH's hpdelim: `[v6]` in brackets, else up to the first `:` (or `/` in a URI); then an optional port. */
function splitHostPort(
  text: string,
  options: { uri?: boolean } = {},
): { host: string; port?: number } | { error: string } {
  let host: string;
  let rest: string;
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close < 0) return { error: 'has a [ without its ]' };
    host = text.slice(1, close);
    rest = text.slice(close + 1);
    if (rest !== '' && rest[0] !== ':' && !(options.uri && rest[0] === '/'))
      return { error: 'has something after ] that is not a port' };
  } else {
    const cut = text.search(options.uri ? /[:/]/ : /:/);
    host = cut < 0 ? text : text.slice(0, cut);
    rest = cut < 0 ? '' : text.slice(cut);
  }
  if (host === '') return { error: 'names no host' };
  if (rest === '') return { host };
  let portText = rest.slice(1);
  if (options.uri) {
    if (rest[0] === '/') return portText === '' ? { host } : { error: 'has a path, which a jump host cannot have' };
    const slash = portText.indexOf('/');
    if (slash >= 0) {
      if (portText.slice(slash + 1) !== '') return { error: 'has a path, which a jump host cannot have' };
      portText = portText.slice(0, slash);
    }
  }
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (!(port > 0 && port < 65536)) return { error: `has ${JSON.stringify(portText)} where a port number belongs` };
  return { host, port };
}

function checked(spec: JumpSpec): JumpSpec | { error: string } {
  if (UNSAFE.test(spec.host) || /[/@]/.test(spec.host) || spec.host.startsWith('-'))
    return { error: 'is not a valid host name' };
  if (spec.user !== undefined && (UNSAFE.test(spec.user) || spec.user.startsWith('-')))
    return { error: 'has a user name that is not valid' };
  return spec;
}

/** The `[user@]host[:port]` form of a jump host, as `ssh -J` takes it (IPv6 in brackets when a port follows). */
export function jumpSpecText(spec: Pick<JumpSpec, 'host' | 'user' | 'port'>): string {
  const host = spec.port !== undefined && spec.host.includes(':') ? `[${spec.host}]` : spec.host;
  return `${spec.user !== undefined ? `${spec.user}@` : ''}${host}${spec.port !== undefined ? `:${spec.port}` : ''}`;
}
