import type { IncomingMessage } from 'node:http';
import type Docker from 'dockerode';
import type { EngineProduct, EngineVersionInfo } from './engine-info';

/** What `/_ping` says about the engine in its headers (it answers in milliseconds, where `/version` may take seconds). */
export interface PingAnswer {
  /** `Server`: "Docker/20.10.24 (linux)" from dockerd, "Libpod/4.3.1 (linux)" from Podman. */
  server?: string;
  /** `Api-Version`: the Docker API version the engine speaks. */
  apiVersion?: string;
  /** `Libpod-Api-Version`: only Podman sends it. */
  libpodApiVersion?: string;
  /** `Ostype`: dockerd sends it; Podman does not. */
  osType?: string;
}

type Dial = (
  options: Record<string, unknown>,
  callback: (err: unknown, res: IncomingMessage | undefined) => void,
) => void;

const header = (res: IncomingMessage, name: string): string | undefined => {
  const value = res.headers[name];
  const text = Array.isArray(value) ? value[0] : value;
  return text ? text.trim() || undefined : undefined;
};

/** Ping the engine and keep the headers of its answer (dockerode's own ping returns only the body, "OK"). */
export function pingEngine(docker: Docker, options: { abortSignal: AbortSignal }): Promise<PingAnswer> {
  const dial = (docker.modem as unknown as { dial: Dial }).dial.bind(docker.modem);
  return new Promise((resolve, reject) => {
    // isStream hands back the response itself, headers and all; its body ("OK") is drained and dropped.
    dial(
      {
        path: '/_ping',
        method: 'GET',
        isStream: true,
        abortSignal: options.abortSignal,
        statusCodes: { 200: true, 500: 'server error' },
      },
      (err, res) => {
        if (err || !res) {
          reject(err instanceof Error ? err : new Error(`the engine's ping failed: ${String(err)}`));
          return;
        }
        res.on('error', () => undefined);
        res.resume();
        const answer: PingAnswer = {};
        const fields: Array<[keyof PingAnswer, string]> = [
          ['server', 'server'],
          ['apiVersion', 'api-version'],
          ['libpodApiVersion', 'libpod-api-version'],
          ['osType', 'ostype'],
        ];
        for (const [key, name] of fields) {
          const value = header(res, name);
          if (value) answer[key] = value;
        }
        resolve(answer);
      },
    );
  });
}

/** Which engine answered the ping: Podman names itself by its Libpod headers, dockerd by `Server: Docker/…`. */
export function productFromPing(ping: PingAnswer): EngineProduct {
  if (ping.libpodApiVersion || /^libpod\//i.test(ping.server ?? '')) return 'Podman';
  if (/^docker\//i.test(ping.server ?? '')) return 'Docker Engine';
  return 'Unknown engine';
}

/** The engine as far as the ping tells: product, and the version in its `Server` header, when `/version` is slow. */
export function engineInfoFromPing(ping: PingAnswer): EngineVersionInfo {
  const server = /^[^/\s]+\/(\S+)(?:\s+\(([^)]*)\))?/.exec(ping.server ?? '');
  const product = productFromPing(ping);
  const version = product === 'Podman' ? (ping.libpodApiVersion ?? server?.[1]) : server?.[1];
  return {
    product,
    version: version ?? 'unknown',
    apiVersion: ping.apiVersion ?? '',
    os: ping.osType ?? server?.[2] ?? '',
    arch: '',
  };
}
