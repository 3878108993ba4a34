import { readFile as fsReadFile, stat } from 'node:fs/promises';
import { parseHostAddress } from './endpoint-address';
import { candidateFrom, probeCandidate } from './endpoint-candidate';
import { tlsFromEnv } from './endpoint-tls';
import { discoverContext, dockerConfigDir } from './discover-context';
import { wellKnownPlaces } from './discover-well-known';
import type { EngineCandidate, Env, ExistsProbe, ReadFile } from './endpoint-types';

export { parseEngineAddress } from './endpoint-parse';
export { dockerodeOptions } from './endpoint-options';
export type { EngineCandidate, EngineTls, EngineTransport } from './endpoint-types';

export interface DiscoverEnginesOptions {
  env: Env;
  homeDir: string;
  platform: NodeJS.Platform;
  /** Defaults to stat(): any existing path counts as present. */
  exists?: ExistsProbe;
  readFile?: ReadFile;
}

/**
 * Every place an engine may be, in the order the docker CLI would pick: DOCKER_HOST, the current context
 * (DOCKER_CONTEXT or config.json), then well-known sockets. Never throws: bad settings become candidates
 * with an `error`. Identical addresses are listed once, under their first (most authoritative) source.
 */
export async function discoverEngines(options: DiscoverEnginesOptions): Promise<EngineCandidate[]> {
  const { env, homeDir, platform } = options;
  const exists = options.exists ?? statExists;
  const readFile = options.readFile ?? fsReadFile;
  const configDir = dockerConfigDir({ env, homeDir });
  const tls = tlsFromEnv({ env, configDir });
  const found: EngineCandidate[] = [];

  const dockerHost = env.DOCKER_HOST?.trim();
  if (dockerHost) {
    const candidate = candidateFrom({
      parsed: parseHostAddress(dockerHost, { tls: tls !== undefined }),
      raw: dockerHost,
      kind: 'env',
      source: 'DOCKER_HOST',
      errorId: 'env:DOCKER_HOST',
      errorPrefix: 'DOCKER_HOST: ',
      ...(tls ? { tls } : {}),
      platform,
    });
    found.push(await probeCandidate(candidate, exists));
  }

  const context = await discoverContext({ env, configDir, platform, exists, readFile });
  if (context) found.push(context);

  // With TLS asked for and neither DOCKER_HOST nor a context, the CLI's default host is tcp://localhost:2376.
  if (!dockerHost && !context && tls) {
    const variable = env.DOCKER_TLS_VERIFY ? 'DOCKER_TLS_VERIFY' : 'DOCKER_TLS';
    found.push(
      candidateFrom({
        parsed: parseHostAddress('tcp://localhost', { tls: true }),
        raw: 'tcp://localhost',
        kind: 'env',
        source: `${variable} (default TLS address)`,
        errorId: `env:${variable}`,
        tls,
        platform,
      }),
    );
  }

  const wellKnown = wellKnownPlaces({ env, homeDir, platform }).map((place) =>
    probeCandidate(
      candidateFrom({
        parsed: parseHostAddress(`${place.transport}://${place.path}`),
        raw: place.path,
        kind: 'well-known',
        source: place.source,
        errorId: `well-known:${place.path}`,
        platform,
      }),
      exists,
    ),
  );
  found.push(...(await Promise.all(wellKnown)));
  return dedupe(found);
}

function dedupe(candidates: EngineCandidate[]): EngineCandidate[] {
  const kept: EngineCandidate[] = [];
  const byAddress = new Map<string, EngineCandidate>();
  for (const candidate of candidates) {
    const first = candidate.error === undefined ? byAddress.get(candidate.address) : undefined;
    if (first) {
      first.alsoFoundAs = [...(first.alsoFoundAs ?? []), candidate.source];
      continue;
    }
    if (candidate.error === undefined) byAddress.set(candidate.address, candidate);
    kept.push(candidate);
  }
  return kept;
}

function statExists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
