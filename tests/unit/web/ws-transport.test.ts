import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { chunkText } from '../../../src-renderer/lib/chunk-text';
import { createWsTransport, TERMINAL_INPUT_CHUNK } from '../../../src-renderer/lib/ws-transport';
import { MAX_MESSAGE_BYTES } from '../../../src-main/web/ipc-message';

// A real WebSocket server in the host's place that keeps what arrives, so the test sees the messages themselves.
let server: WebSocketServer;
const received: { channel: string; payload: { jobId: string; data: string }; bytes: number }[] = [];

beforeAll(async () => {
  (globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;
  server = new WebSocketServer({ port: 0, host: '127.0.0.1', maxPayload: MAX_MESSAGE_BYTES });
  await new Promise((resolve) => server.once('listening', resolve));
  server.on('connection', (ws) =>
    ws.on('message', (data) => {
      const message = JSON.parse(String(data)) as { id: number; channel: string; payload: never };
      received.push({ channel: message.channel, payload: message.payload, bytes: (data as Buffer).length });
      ws.send(JSON.stringify({ id: message.id, reply: { ok: true, result: { ok: true } } }));
    }),
  );
});
afterAll(async () => {
  for (const client of server.clients) client.terminate();
  await new Promise((resolve) => server.close(resolve));
});

describe('browser preview transport', () => {
  it('sends a large paste to the terminal in pieces below the message limit, in order', async () => {
    const port = (server.address() as AddressInfo).port;
    const transport = createWsTransport('t', { protocol: 'http:', host: `127.0.0.1:${port}` } as Location);
    // 1 MiB of ESC is 6 MiB as JSON; an emoji straddles the first cut.
    const data = 'a'.repeat(TERMINAL_INPUT_CHUNK - 1) + '😀' + '\u001b'.repeat(1024 * 1024);
    const reply = await transport.invoke('containers.terminalInput', { jobId: 'j1', data });
    expect(reply).toEqual({ ok: true, result: { ok: true } });
    expect(received.length).toBeGreaterThan(1);
    expect(received.every((m) => m.channel === 'containers.terminalInput' && m.payload.jobId === 'j1')).toBe(true);
    expect(Math.max(...received.map((m) => m.bytes))).toBeLessThanOrEqual(MAX_MESSAGE_BYTES / 8);
    expect(received.map((m) => m.payload.data).join('')).toBe(data);
    expect(received[0]?.payload.data.endsWith('a')).toBe(true);
  });

  it('cuts text without splitting a surrogate pair', () => {
    expect(chunkText('ab😀cd', 3)).toEqual(['ab', '😀c', 'd']);
    expect(chunkText('', 4)).toEqual([]);
    expect(chunkText('😀😀', 2)).toEqual(['😀', '😀']);
  });
});
