import type { IncomingMessage } from 'node:http';
import Docker from 'dockerode';
import { describeEngineFailure } from './describe-failure';
import { dockerodeOptions } from './discover';
import { enginesToTry, lookedAt } from './engines-to-try';
import type { EngineProduct } from './engine-info';
import { engineVersionInfo } from './engine-info';
import { withSignal } from './with-signal';

/** Which engine a build would go to, as far as planning the build cares. */
export interface IdentifiedEngine {
  product: EngineProduct;
  apiVersion: string;
  /** The address it answered at, and where that was found. */
  address: string;
  source: string;
}

/** Tell Docker from Podman by its /_ping headers: Podman adds Libpod-Api-Version and says `Server: Libpod/…`. */
export function engineFromPingHeaders(
  headers: Record<string, string | string[] | undefined>,
): Pick<IdentifiedEngine, 'product' | 'apiVersion'> | undefined {
  const header = (name: string) => {
    const v = headers[name.toLowerCase()];
    return Array.isArray(v) ? v[0] : v;
  };
  const apiVersion = header('Api-Version');
  const server = header('Server') ?? '';
  if (apiVersion === undefined) return undefined;
  if (header('Libpod-Api-Version') !== undefined || /^libpod\//i.test(server)) return { product: 'Podman', apiVersion };
  if (/^docker\//i.test(server)) return { product: 'Docker Engine', apiVersion };
  return undefined;
}

/**
 * Find the engine a build would go to, as the app and `strata build` do (DOCKER_HOST, the docker context, the
 * well-known sockets), and say what it is from its ping's headers: one quick request, where Podman's /version
 * takes seconds. Only an engine whose headers do not tell is asked for its version. Undefined when none answers,
 * with what was tried.
 */
export async function identifyEngine(
  options: { env?: NodeJS.ProcessEnv; pingTimeoutMs?: number; versionTimeoutMs?: number } = {},
): Promise<{ engine?: IdentifiedEngine; looked: string[] }> {
  const env = options.env ?? process.env;
  const looked: string[] = [];
  for await (const candidate of enginesToTry(env, looked)) {
    let dockerOptions;
    try {
      dockerOptions = await dockerodeOptions(candidate, { env });
    } catch (err) {
      looked.push(lookedAt(candidate, (err as Error).message));
      continue;
    }
    const docker = new Docker(dockerOptions);
    try {
      const where = { address: candidate.address, source: candidate.source };
      const res = await new Promise<IncomingMessage>((resolve, reject) =>
        (docker.modem as unknown as { dial(o: object, cb: (e: Error | null, r: IncomingMessage) => void): void }).dial(
          {
            path: '/_ping',
            method: 'GET',
            isStream: true,
            statusCodes: { 200: true },
            abortSignal: AbortSignal.timeout(options.pingTimeoutMs ?? 3000),
            options: {},
          },
          (err, r) => (err ? reject(err) : resolve(r)),
        ),
      );
      res.resume();
      const fromHeaders = engineFromPingHeaders(res.headers);
      if (fromHeaders) return { engine: { ...fromHeaders, ...where }, looked };
      const version = await withSignal(docker).version({
        abortSignal: AbortSignal.timeout(options.versionTimeoutMs ?? 20_000),
      });
      const info = engineVersionInfo(version);
      return { engine: { product: info.product, apiVersion: info.apiVersion, ...where }, looked };
    } catch (err) {
      looked.push(lookedAt(candidate, describeEngineFailure(err, dockerOptions)));
    } finally {
      (dockerOptions.agent as { destroy?(): void } | undefined)?.destroy?.();
    }
  }
  return { looked };
}
