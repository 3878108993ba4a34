import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createServices, disposeServices } from '../../../src-main/ipc/services';
import { createHandlers } from '../../../src-main/ipc/handlers';
import { startWebHost, type WebHost } from '../../../src-main/web/host';

const home = mkdtempSync(join(tmpdir(), 'strata-host-home-'));
const rendererDir = mkdtempSync(join(tmpdir(), 'strata-host-renderer-'));
mkdirSync(join(rendererDir, 'assets'));
writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Strata</title>');
const services = createServices({
  dataDir: mkdtempSync(join(tmpdir(), 'strata-host-data-')),
  env: { DOCKER_HOST: `unix://${home}/missing.sock` },
  homeDir: home,
});
let host: WebHost;

beforeAll(async () => {
  host = await startWebHost({ port: 0, rendererDir, handlers: createHandlers(services), bus: services.bus });
});
afterAll(async () => {
  await host.close();
  disposeServices(services);
});

/** Open the IPC socket; resolves with the HTTP status of a refused handshake, or the open socket. */
function connect(options: { token?: string; origin?: string; host?: string }): Promise<number | WebSocket> {
  const query = options.token === undefined ? '' : `?token=${encodeURIComponent(options.token)}`;
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ipc${query}`, {
      origin: options.origin ?? `http://127.0.0.1:${host.port}`,
      ...(options.host ? { headers: { host: options.host } } : {}),
    });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('open', () => resolve(ws));
    ws.on('error', reject);
  });
}

describe('browser preview host', () => {
  it('prints a loopback URL with the token in the fragment', () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{32}$/);
  });

  it('refuses a missing or wrong token with 401', async () => {
    expect(await connect({})).toBe(401);
    expect(await connect({ token: 'wrong' })).toBe(401);
    expect(await connect({ token: host.token.slice(0, -1) + (host.token.endsWith('a') ? 'b' : 'a') })).toBe(401);
  });

  it('refuses a foreign Origin even with the right token', async () => {
    expect(await connect({ token: host.token, origin: 'http://evil.example' })).toBe(403);
    expect(await connect({ token: host.token, origin: `http://localhost:${host.port}` })).toBe(403);
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    expect(await connect({ token: host.token, host: `evil.example:${host.port}` })).toBe(421);
    // fetch() may not set Host; node:http can.
    const status = await new Promise<number>((resolve, reject) => {
      get({ host: '127.0.0.1', port: host.port, path: '/', headers: { host: 'evil.example' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }).on('error', reject);
    });
    expect(status).toBe(421);
  });

  it('serves the page with a strict CSP and answers IPC over an authenticated socket', async () => {
    const page = await fetch(`http://127.0.0.1:${host.port}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const traversal = await fetch(`http://127.0.0.1:${host.port}/..%2f..%2fetc%2fpasswd`);
    expect([403, 404]).toContain(traversal.status);

    const ws = (await connect({ token: host.token })) as WebSocket;
    const reply = await new Promise<{ id: number; reply: { ok: boolean; result?: unknown; error?: { code: string } } }>(
      (resolve) => {
        ws.on('message', (data) => {
          const message = JSON.parse(String(data));
          if (message.id === 7) resolve(message);
        });
        ws.send(JSON.stringify({ id: 7, channel: 'engine.status', payload: {} }));
      },
    );
    expect(reply.reply.ok).toBe(true);
    const bad = await new Promise<{ reply: { ok: boolean; error?: { code: string } } }>((resolve) => {
      ws.on('message', (data) => {
        const message = JSON.parse(String(data));
        if (message.id === 8) resolve(message);
      });
      ws.send(JSON.stringify({ id: 8, channel: 'nope.nothing', payload: {} }));
    });
    expect(bad.reply).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    ws.close();
  });
});
