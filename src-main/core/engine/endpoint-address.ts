import type { EngineEndpoint } from './endpoint-types';

export type ParsedHostAddress = { endpoint: EngineEndpoint; address: string; error?: undefined } | { error: string };

const defaultUnixSocket = '/var/run/docker.sock';
const defaultNamedPipe = '//./pipe/docker_engine';
const plainPort = 2375;
const tlsPort = 2376;

/**
 * Parse a Docker host address (DOCKER_HOST, a context's Host, `docker -H`) the way the docker CLI does:
 * no scheme means tcp, `unix://` and `npipe://` alone mean the default socket or pipe.
 */
export function parseHostAddress(raw: string, options: { tls?: boolean } = {}): ParsedHostAddress {
  const text = raw.trim();
  if (text === '') return { error: 'The address is empty.' };
  const sep = text.indexOf('://');
  const scheme = sep < 0 ? 'tcp' : text.slice(0, sep).toLowerCase();
  const rest = sep < 0 ? text : text.slice(sep + 3);
  switch (scheme) {
    case 'unix':
      return parseUnix(text, rest);
    case 'npipe':
      return parseNamedPipe(text, rest);
    case 'tcp':
      return parseTcp(text, rest, options.tls ? tlsPort : plainPort);
    case 'ssh':
      return parseSsh(text);
    case 'fd':
      return { error: `"${text}" is a socket the daemon listens on (fd://), not an address a client can connect to.` };
    case 'http':
    case 'https':
      return {
        error:
          `"${text}" is not a Docker host address: write tcp://host:port instead ` +
          '(TLS is turned on with DOCKER_TLS_VERIFY and DOCKER_CERT_PATH, or by a context).',
      };
    default:
      return {
        error: `"${text}" has an unsupported scheme "${scheme}://"; use unix://, npipe://, tcp:// or ssh://.`,
      };
  }
}

/** The canonical URL form of an endpoint, used as its identity. */
function formatEndpoint(endpoint: EngineEndpoint): string {
  switch (endpoint.transport) {
    case 'unix':
      return `unix://${endpoint.path}`;
    case 'npipe':
      return `npipe://${endpoint.path}`;
    case 'tcp':
      return `tcp://${bracketHost(endpoint.host)}:${endpoint.port}`;
    case 'ssh': {
      const user = endpoint.username ? `${encodeURIComponent(endpoint.username)}@` : '';
      const port = endpoint.port === undefined ? '' : `:${endpoint.port}`;
      return `ssh://${user}${bracketHost(endpoint.host)}${port}`;
    }
  }
}

function ok(endpoint: EngineEndpoint): ParsedHostAddress {
  return { endpoint, address: formatEndpoint(endpoint) };
}

function parseUnix(text: string, rest: string): ParsedHostAddress {
  if (rest.includes('://'))
    return { error: `"${text}" is not a valid unix:// address (expected unix:///path/to/socket).` };
  return ok({ transport: 'unix', path: rest === '' ? defaultUnixSocket : rest });
}

function parseNamedPipe(text: string, rest: string): ParsedHostAddress {
  if (rest.includes('://')) return { error: `"${text}" is not a valid npipe:// address.` };
  // Windows accepts either slash; one spelling keeps equal pipes equal when deduplicating.
  const path = rest === '' ? defaultNamedPipe : rest.replaceAll('\\', '/');
  if (!/^\/\/[.?]\/pipe\/[^/]+/i.test(path)) {
    return { error: `"${text}" does not name a pipe; named pipes look like npipe:////./pipe/docker_engine.` };
  }
  return ok({ transport: 'npipe', path });
}

function parseTcp(text: string, rest: string, defaultPort: number): ParsedHostAddress {
  const invalid = (why: string): ParsedHostAddress => ({
    error: `"${text}" is not a valid tcp:// address: ${why} (expected tcp://host:port).`,
  });
  if (rest.includes('://')) return invalid('it has two schemes');
  if (/[?#]/.test(rest)) return invalid('query strings and fragments are not allowed');
  if (rest.includes('@')) return invalid('user names are not used with tcp://');
  const slash = rest.indexOf('/');
  const hostPort = slash < 0 ? rest : rest.slice(0, slash);
  const path = slash < 0 ? '' : rest.slice(slash);
  // The docker CLI keeps a path here, but dockerode has no way to send one, so say so rather than drop it.
  if (path !== '' && path !== '/') return invalid(`a path after the host (${path}) is not supported`);
  const split = splitHostPort(hostPort);
  if ('error' in split) return invalid(split.error);
  const host = split.host === '' ? 'localhost' : split.host;
  if (!isHostName(host)) return invalid(`"${host}" is not a host name or IP address`);
  const port = split.port === '' ? defaultPort : parsePort(split.port);
  if (port === undefined) return invalid(`"${split.port}" is not a port number (1-65535)`);
  return ok({ transport: 'tcp', host, port });
}

function parseSsh(text: string): ParsedHostAddress {
  const invalid = (why: string): ParsedHostAddress => ({
    error: `"${text}" is not a valid ssh:// address: ${why} (expected ssh://user@host or ssh://user@host:port).`,
  });
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return invalid('it cannot be read as a URL');
  }
  if (url.password !== '') return invalid('a plain-text password is not supported; use an SSH agent');
  if (url.search !== '') return invalid('query parameters are not allowed');
  if (url.hash !== '') return invalid('fragments are not allowed');
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host === '') return invalid('the host name is empty');
  // The CLI would pass a path on as the remote socket; dockerode always runs `docker system dial-stdio`.
  if (url.pathname !== '' && url.pathname !== '/') {
    return invalid(`a socket path after the host (${url.pathname}) is not supported`);
  }
  const endpoint: EngineEndpoint = { transport: 'ssh', host };
  if (url.username !== '') endpoint.username = decodeURIComponent(url.username);
  if (url.port !== '') endpoint.port = Number(url.port);
  return ok(endpoint);
}

/** Go's net.SplitHostPort, lenient as the CLI is: a missing port, or a bare IPv6 host, gets the default port. */
function splitHostPort(hostPort: string): { host: string; port: string } | { error: string } {
  if (hostPort.startsWith('[')) {
    const close = hostPort.indexOf(']');
    if (close < 0) return { error: 'the IPv6 address has no closing "]"' };
    const after = hostPort.slice(close + 1);
    if (after !== '' && !after.startsWith(':')) return { error: `unexpected "${after}" after the IPv6 address` };
    return { host: hostPort.slice(1, close), port: after.slice(1) };
  }
  const colons = hostPort.split(':').length - 1;
  if (colons === 0) return { host: hostPort, port: '' };
  if (colons > 1) return { host: hostPort, port: '' };
  const at = hostPort.indexOf(':');
  return { host: hostPort.slice(0, at), port: hostPort.slice(at + 1) };
}

function parsePort(text: string): number | undefined {
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : undefined;
}

function isHostName(host: string): boolean {
  return host.includes(':') ? /^[0-9a-f:.]+(%[\w.-]+)?$/i.test(host) : /^[\w.-]+$/.test(host);
}

function bracketHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
