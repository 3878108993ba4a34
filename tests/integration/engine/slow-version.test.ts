import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ConnectionStatus, EngineConnection } from '../../../src-main/core/engine/connection';
import { describeWithEngine, engineHost, onPodman } from '../engine-available';

/**
 * A proxy in front of the test engine that holds `/version` back, as Podman 4 does on a busy machine
 * (seconds, while `/_ping` answers at once). `hold` decides how: a delay, or never.
 */
function slowVersionProxy(socketPath: string, hold: { ms: number | 'never' }): Promise<http.Server> {
  const engineSocket = (engineHost ?? '').replace(/^unix:\/\//, '');
  const server = http.createServer((req, res) => {
    const forward = () => {
      const upstream = http.request(
        { socketPath: engineSocket, path: req.url, method: req.method, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    };
    if (/\/version$/.test(req.url?.split('?')[0] ?? '')) {
      if (hold.ms !== 'never') setTimeout(forward, hold.ms);
    } else forward();
  });
  return new Promise((resolve) => server.listen(socketPath, () => resolve(server)));
}

describeWithEngine('connecting to an engine whose /version is slow', () => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-slow-'));
  const hold: { ms: number | 'never' } = { ms: 0 };
  let server: http.Server;
  const connections: EngineConnection[] = [];

  beforeAll(async () => {
    if (!engineHost?.startsWith('unix://')) throw new Error(`the test engine is not on a unix socket: ${engineHost}`);
    server = await slowVersionProxy(join(dir, 'engine.sock'), hold);
  });
  afterAll(() => {
    for (const c of connections) c.stop();
    server?.closeAllConnections();
    server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function connection(statuses: ConnectionStatus[] = [], versionTimeoutMs = 5000): EngineConnection {
    const address = `unix://${join(dir, 'engine.sock')}`;
    const candidate = { id: 'proxy', address, source: 'test proxy', present: true };
    const c = new EngineConnection({
      discover: () => Promise.resolve([candidate]),
      preferredAddress: () => Promise.resolve(undefined),
      parseAddress: () => candidate,
      dockerOptions: () => Promise.resolve({ socketPath: join(dir, 'engine.sock') }),
      onStatus: (s: ConnectionStatus) => void statuses.push(s),
      onEvent: () => undefined,
      // The ping budget is far shorter than the version's delay: only the ping may decide reachability.
      pingTimeoutMs: 400,
      versionTimeoutMs,
      retryDelaysMs: [60_000],
    });
    connections.push(c);
    return c;
  }

  it('is connected, with the product and version the engine gives, when /version takes longer than the ping may', async () => {
    hold.ms = 1500;
    const status = await connection().connect();
    expect(status.state).toBe('connected');
    if (status.state !== 'connected') return;
    expect(status.engine.product).toBe(onPodman ? 'Podman' : 'Docker Engine');
    expect(status.engine.version).not.toBe('unknown');
  });

  it('is still connected, the product named by the ping, when /version never answers', async () => {
    hold.ms = 'never';
    const c = connection();
    const status = await c.connect();
    expect(status.state).toBe('connected');
    if (status.state !== 'connected') return;
    // The ping's headers say which engine it is (Podman sends Libpod-Api-Version, dockerd Server: Docker/…).
    expect(status.engine.product).toBe(onPodman ? 'Podman' : 'Docker Engine');
    expect(status.engine.version).not.toBe('unknown');
    // And it works: the engine answers through this connection.
    await expect(c.docker().ping().then(String)).resolves.toBe('OK');
  });

  it('fills in what only /version knows once it answers, after connecting on the ping', async () => {
    hold.ms = 1500;
    const statuses: ConnectionStatus[] = [];
    const c = connection(statuses, 300);
    const first = await c.connect();
    expect(first.state === 'connected' && first.engine.arch).toBe('');
    await expect
      .poll(() => statuses.at(-1), { timeout: 15_000 })
      .toMatchObject({
        state: 'connected',
        engine: { product: onPodman ? 'Podman' : 'Docker Engine', arch: expect.stringMatching(/./) },
      });
  });
});
