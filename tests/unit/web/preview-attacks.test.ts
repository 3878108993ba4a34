import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Socket } from 'node:net';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { MAX_MESSAGE_BYTES } from '../../../src-main/web/ipc-message';
import { frame, rawHttp, RawWebSocket, text } from './raw-socket';

// The preview runs as its own process, so an attack that would end it shows as an exit, not as a test error.
const token = randomBytes(24).toString('base64url');
let preview: ChildProcess;
let port = 0;
let exited: string | undefined;
const counts = { attacks: 0, handled: 0 };

beforeAll(async () => {
  preview = spawn(
    process.execPath,
    [resolve('node_modules/tsx/dist/cli.mjs'), resolve('tests/fixtures/web/preview-process.ts')],
    { env: { ...process.env, STRATA_WEB_TOKEN: token }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  preview.on('exit', (code, signal) => (exited = `exited with ${signal ?? code}`));
  const lines = createInterface({ input: preview.stdout as NodeJS.ReadableStream });
  port = await new Promise<number>((done, fail) => {
    lines.on('line', (line) => {
      const ready = /^Ready: (\d+)$/.exec(line);
      if (ready) done(Number(ready[1]));
    });
    preview.on('exit', () => fail(new Error(`the preview ${exited} before it was ready`)));
  });
});

afterAll(() => {
  preview.kill('SIGTERM');
  console.log(`preview attacks: ${counts.attacks} sent, ${counts.handled} handled with the server still up`);
});

/** A valid call on a fresh, well-behaved socket. */
function validCall(): Promise<{ ok: boolean }> {
  return new Promise((done, fail) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ipc?token=${token}`, { origin: `http://127.0.0.1:${port}` });
    ws.on('open', () => ws.send(JSON.stringify({ id: 1, channel: 'app.settings', payload: {} })));
    ws.on('message', (data) => {
      done((JSON.parse(String(data)) as { reply: { ok: boolean } }).reply);
      ws.close();
    });
    ws.on('error', fail);
  });
}

/** After every attack: the process is alive, serves its page and answers a valid call. */
async function expectStillServing(): Promise<void> {
  counts.attacks += 1;
  expect(exited).toBeUndefined();
  const page = await fetch(`http://127.0.0.1:${port}/`);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('<title>Strata</title>');
  expect(await validCall()).toMatchObject({ ok: true });
  expect(exited).toBeUndefined();
  counts.handled += 1;
}

const upgradeHeaders = (p: number) =>
  `Host: 127.0.0.1:${p}\r\nOrigin: http://127.0.0.1:${p}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
  `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`;

describe('preview without the token: malformed requests get a 4xx and the server goes on', () => {
  const targets = [
    '/%ff',
    '/%',
    '/%E0%A4%A',
    '//[',
    '/%00',
    '/assets/%2e%2e/%2e%2e/etc/passwd',
    '/..%2f..%2f..%2fetc%2fpasswd',
    'http://evil.example/%ff',
    '*',
  ];
  for (const target of targets) {
    it(`GET ${target}`, async () => {
      const status = await rawHttp(port, `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
      expect(status).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThan(500);
      await expectStillServing();
    });
    it(`upgrade to ${target}`, async () => {
      const status = await rawHttp(port, `GET ${target} HTTP/1.1\r\n${upgradeHeaders(port)}`);
      expect(status).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThan(500);
      await expectStillServing();
    });
  }
  it('GET /?token=%ff (the page itself, whatever its query)', async () => {
    expect(await rawHttp(port, `GET /?token=%ff HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`)).toBe(200);
    await expectStillServing();
  });
  for (const target of ['/?token=%ff', '/ipc?token=%ff', '/ipc?token=%', '/ipc?token=\u00ff', '/ipc?token=%00']) {
    it(`upgrade to ${target}`, async () => {
      const status = await rawHttp(port, Buffer.from(`GET ${target} HTTP/1.1\r\n${upgradeHeaders(port)}`, 'latin1'));
      expect(status).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThan(500);
      await expectStillServing();
    });
  }
  const garbage: [string, (p: number) => string | Buffer][] = [
    ['a request line of binary bytes', () => Buffer.from([0, 1, 2, 0xff, 13, 10, 13, 10])],
    ['no HTTP version', () => `GET /\r\n\r\n`],
    ['a method the page has no use for', (p) => `DELETE / HTTP/1.1\r\nHost: 127.0.0.1:${p}\r\n\r\n`],
    ['a bad Content-Length', (p) => `GET / HTTP/1.1\r\nHost: 127.0.0.1:${p}\r\nContent-Length: -1\r\n\r\n`],
    ['a header too large', (p) => `GET / HTTP/1.1\r\nHost: 127.0.0.1:${p}\r\nX: ${'a'.repeat(64 * 1024)}\r\n\r\n`],
  ];
  for (const [name, request] of garbage) {
    it(name, async () => {
      const status = await rawHttp(port, request(port));
      expect(status).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThan(500);
      await expectStillServing();
    });
  }
  it('an upgrade the client abandons mid-handshake', async () => {
    await new Promise<void>((done) => {
      const socket = new Socket();
      socket.on('error', () => undefined);
      socket.connect(port, '127.0.0.1', () => {
        socket.write(`GET /ipc?token=${token} HTTP/1.1\r\n${upgradeHeaders(port)}`);
        socket.resetAndDestroy();
        done();
      });
    });
    await expectStillServing();
  });
});

/** Seeded, so a failing random frame can be replayed. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('preview with the token: bad frames close the socket with a code, bad messages get invalid-input', () => {
  const closeWith: [string, number, () => Buffer][] = [
    ['an unmasked frame', 1002, () => text('{}', { masked: false })],
    ['RSV1 without an agreed extension', 1002, () => text('{}', { rsv: 4 })],
    ['RSV2 and RSV3', 1002, () => text('{}', { rsv: 3 })],
    ['reserved data opcode 3', 1002, () => frame({ opcode: 3, payload: Buffer.from('x') })],
    ['reserved control opcode 0xB', 1002, () => frame({ opcode: 0xb })],
    ['a stray continuation frame', 1002, () => frame({ opcode: 0, payload: Buffer.from('x') })],
    ['a fragmented ping', 1002, () => frame({ opcode: 9, fin: false })],
    ['a ping longer than 125 bytes', 1002, () => frame({ opcode: 9, payload: Buffer.alloc(126) })],
    ['close code 999', 1002, () => frame({ opcode: 8, payload: Buffer.from([0x03, 0xe7]) })],
    ['close code 1005 (reserved)', 1002, () => frame({ opcode: 8, payload: Buffer.from([0x03, 0xed]) })],
    ['a one-byte close payload', 1002, () => frame({ opcode: 8, payload: Buffer.from([3]) })],
    ['invalid UTF-8 text', 1007, () => text(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]))],
    ['an overlong UTF-8 encoding', 1007, () => text(Buffer.from([0xc0, 0xaf]))],
    ['a close reason of invalid UTF-8', 1007, () => frame({ opcode: 8, payload: Buffer.from([0x03, 0xe8, 0xff]) })],
    ['a declared length of 2^63 - 1', 1009, () => frame({ opcode: 1, declaredLength: 2n ** 63n - 1n })],
    ['a declared length of 2^53', 1009, () => frame({ opcode: 1, declaredLength: 2n ** 53n })],
    ['a message one byte over the limit', 1009, () => text(Buffer.alloc(MAX_MESSAGE_BYTES + 1, 0x20))],
    [
      'fragments adding up to more than the limit',
      1009,
      () =>
        Buffer.concat([
          text(Buffer.alloc(MAX_MESSAGE_BYTES / 2, 0x20), { fin: false }),
          frame({ opcode: 0, payload: Buffer.alloc(MAX_MESSAGE_BYTES / 2 + 1, 0x20) }),
        ]),
    ],
  ];
  for (const [name, code, bytes] of closeWith) {
    it(`${name}: closed with ${code}`, async () => {
      const ws = await RawWebSocket.open(port, token);
      ws.send(bytes());
      expect(await ws.closeCode()).toBe(code);
      ws.destroy();
      await expectStillServing();
    });
  }

  const invalid: [string, () => Buffer, unknown][] = [
    ['text that is not JSON', () => text('hello'), null],
    ['null', () => text('null'), null],
    ['a number', () => text('42'), null],
    ['a string', () => text('"app.settings"'), null],
    ['an array', () => text('[1,"app.settings",{}]'), null],
    ['an object without an id', () => text('{"channel":"app.settings"}'), null],
    ['an object id', () => text('{"id":{},"channel":"app.settings"}'), null],
    ['a binary message', () => frame({ opcode: 2, payload: Buffer.from('{"id":1,"channel":"app.settings"}') }), null],
    ['an empty message', () => text(''), null],
    ['JSON nested a million deep', () => text('['.repeat(1_000_000) + ']'.repeat(1_000_000)), null],
    [
      'a request nested a million deep',
      () => text(`{"id":6,"channel":"app.settings","payload":${'['.repeat(1_000_000)}`),
      null,
    ],
    [
      'a message in fragments that is not JSON',
      () => Buffer.concat([text('{"id":', { fin: false }), frame({ opcode: 0, payload: Buffer.from('}') })]),
      null,
    ],
    ['no channel', () => text('{"id":5}'), 5],
    ['a channel that is not a string', () => text('{"id":5,"channel":["app","settings"]}'), 5],
    ['constructor.name', () => text('{"id":5,"channel":"constructor.name"}'), 5],
    ['__proto__.toString', () => text('{"id":5,"channel":"__proto__.toString"}'), 5],
    ['app.constructor', () => text('{"id":5,"channel":"app.constructor"}'), 5],
    ['app.__proto__', () => text('{"id":"x","channel":"app.__proto__"}'), 'x'],
    ['hasOwnProperty.call', () => text('{"id":5,"channel":"hasOwnProperty.call"}'), 5],
    ['a payload of the wrong type', () => text('{"id":5,"channel":"app.settings","payload":"x"}'), 5],
    [
      'a payload with a __proto__ key',
      () => text('{"id":5,"channel":"app.settings","payload":{"__proto__":{"a":1}}}'),
      5,
    ],
  ];
  for (const [name, bytes, id] of invalid) {
    it(`${name}: answered invalid-input`, async () => {
      const ws = await RawWebSocket.open(port, token);
      ws.send(bytes());
      expect(await ws.json()).toMatchObject({ id, reply: { ok: false, error: { code: 'invalid-input' } } });
      ws.destroy();
      await expectStillServing();
    });
  }

  it('terminal input of 1 MiB of ESC (6 MiB as JSON) gets an answer', async () => {
    const ws = await RawWebSocket.open(port, token);
    const payload = { jobId: 'no-such-job', data: '\u001b'.repeat(1024 * 1024) };
    ws.send(text(JSON.stringify({ id: 9, channel: 'containers.terminalInput', payload })));
    expect(await ws.json()).toMatchObject({ id: 9, reply: { ok: false } });
    ws.destroy();
    await expectStillServing();
  });

  it('a ping between the fragments of a request is answered and the request still runs', async () => {
    const ws = await RawWebSocket.open(port, token);
    ws.send(text('{"id":3,"channel":', { fin: false }));
    ws.send(frame({ opcode: 9, payload: Buffer.from('p') }));
    ws.send(frame({ opcode: 0, payload: Buffer.from('"app.settings","payload":{}}') }));
    expect(await ws.next((f) => f.opcode === 10)).toMatchObject({ payload: Buffer.from('p') });
    expect(await ws.json()).toMatchObject({ id: 3, reply: { ok: true } });
    ws.destroy();
    await expectStillServing();
  });

  it('random frames', async () => {
    const random = prng(0x5eed);
    const byte = () => Math.floor(random() * 256);
    for (let i = 0; i < 60; i++) {
      const ws = await RawWebSocket.open(port, token);
      const bytes =
        i % 3 === 0
          ? Buffer.from(Array.from({ length: 1 + Math.floor(random() * 64) }, byte))
          : frame({
              opcode: byte() & 0x0f,
              fin: random() < 0.7,
              rsv: random() < 0.2 ? byte() & 7 : 0,
              masked: random() < 0.9,
              payload: Buffer.from(Array.from({ length: Math.floor(random() * 140) }, byte)),
            });
      ws.send(bytes);
      // Half-close: the server reads what we sent before it sees the end, then closes its side too.
      ws.end();
      await ws.next(() => false);
      await expectStillServing();
    }
  });
});
