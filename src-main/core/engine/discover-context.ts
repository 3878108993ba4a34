import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { parseHostAddress } from './endpoint-address';
import { candidateFrom, probeCandidate } from './endpoint-candidate';
import type { EngineCandidate, EngineTls, Env, ExistsProbe, ReadFile } from './endpoint-types';

/** The docker CLI's config folder: $DOCKER_CONFIG, else ~/.docker. */
export function dockerConfigDir(options: { env: Env; homeDir: string }): string {
  return options.env.DOCKER_CONFIG || join(options.homeDir, '.docker');
}

/** The context store names each context's folder by the SHA-256 of its name. */
export function contextDirName(name: string): string {
  return createHash('sha256').update(name).digest('hex');
}

export interface DiscoverContextOptions {
  env: Env;
  configDir: string;
  platform: NodeJS.Platform;
  exists: ExistsProbe;
  readFile: ReadFile;
}

/**
 * The candidate for the docker context in effect: DOCKER_CONTEXT, else `currentContext` in config.json.
 * None for the `default` context, which means "no context" (DOCKER_HOST or the default socket).
 */
export async function discoverContext(options: DiscoverContextOptions): Promise<EngineCandidate | undefined> {
  const { env, configDir } = options;
  const configFile = join(configDir, 'config.json');
  let name = env.DOCKER_CONTEXT;
  const fromEnv = Boolean(name);
  if (!fromEnv) {
    const config = await readJson(options.readFile, configFile);
    if (config.state === 'invalid') {
      return {
        id: 'context:config',
        address: '',
        source: 'docker config file',
        kind: 'context',
        present: false,
        error: `Cannot read the current context from ${configFile}: ${config.message}`,
      };
    }
    const current = config.state === 'ok' ? (config.value as { currentContext?: unknown }).currentContext : undefined;
    name = typeof current === 'string' ? current : undefined;
  }
  if (!name || name === 'default') return undefined;

  const dirName = contextDirName(name);
  const metaFile = join(configDir, 'contexts', 'meta', dirName, 'meta.json');
  const source = `context "${name}"`;
  const fail = (error: string): EngineCandidate => ({
    id: `context:${name}`,
    address: '',
    source,
    kind: 'context',
    present: false,
    contextName: name,
    error,
  });

  const meta = await readJson(options.readFile, metaFile);
  if (meta.state === 'missing') {
    return fail(
      fromEnv
        ? `Context "${name}" named by DOCKER_CONTEXT does not exist (there is no ${metaFile}). ` +
            'Run "docker context ls" to see the contexts there are.'
        : `Current context "${name}" is not found on the file system (there is no ${metaFile}); ` +
            `check currentContext in ${configFile}.`,
    );
  }
  if (meta.state === 'invalid') return fail(`Context "${name}" cannot be read: ${metaFile}: ${meta.message}`);
  const endpoint = dockerEndpoint(meta.value);
  if (endpoint.host === undefined) {
    return fail(`Context "${name}" has no Docker endpoint (Endpoints.docker.Host is missing in ${metaFile}).`);
  }

  const tls = await contextTls({
    tlsDir: join(configDir, 'contexts', 'tls', dirName, 'docker'),
    skipVerify: endpoint.skipTlsVerify,
    exists: options.exists,
  });
  const candidate = candidateFrom({
    parsed: parseHostAddress(endpoint.host, { tls: tls !== undefined }),
    raw: endpoint.host,
    kind: 'context',
    source,
    errorId: `context:${name}`,
    errorPrefix: `Context "${name}": `,
    ...(tls ? { tls } : {}),
    contextName: name,
    platform: options.platform,
  });
  return probeCandidate(candidate, options.exists);
}

function dockerEndpoint(meta: unknown): { host?: string; skipTlsVerify: boolean } {
  const docker = (meta as { Endpoints?: { docker?: { Host?: unknown; SkipTLSVerify?: unknown } } } | null)?.Endpoints
    ?.docker;
  const host = typeof docker?.Host === 'string' && docker.Host.trim() !== '' ? docker.Host : undefined;
  return { ...(host === undefined ? {} : { host }), skipTlsVerify: docker?.SkipTLSVerify === true };
}

/** The CLI speaks TLS to a context when it has TLS files or skips verification. */
async function contextTls(options: {
  tlsDir: string;
  skipVerify: boolean;
  exists: ExistsProbe;
}): Promise<EngineTls | undefined> {
  const tls: EngineTls = { verify: !options.skipVerify };
  const files = { caFile: 'ca.pem', certFile: 'cert.pem', keyFile: 'key.pem' } as const;
  let found = false;
  for (const [field, file] of Object.entries(files) as Array<[keyof typeof files, string]>) {
    const path = join(options.tlsDir, file);
    if (await options.exists(path)) {
      tls[field] = path;
      found = true;
    }
  }
  return found || options.skipVerify ? tls : undefined;
}

type JsonRead = { state: 'ok'; value: unknown } | { state: 'missing' } | { state: 'invalid'; message: string };

async function readJson(readFile: ReadFile, path: string): Promise<JsonRead> {
  let text: string;
  try {
    text = (await readFile(path)).toString();
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { state: 'missing' };
    return { state: 'invalid', message: (err as Error).message };
  }
  try {
    return { state: 'ok', value: JSON.parse(text) as unknown };
  } catch (err) {
    return { state: 'invalid', message: `not valid JSON (${(err as Error).message})` };
  }
}
