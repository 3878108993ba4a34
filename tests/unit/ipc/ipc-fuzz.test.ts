import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createServices, disposeServices } from '../../../src-main/ipc/services';
import { channelDef, channelNames } from '../../../src-main/ipc/contract';
import { dispatch, type Handlers } from '../../../src-main/ipc/dispatch';
import { createHandlers } from '../../../src-main/ipc/handlers';

// Real services and handlers with no engine; each handler is wrapped only to record that it ran.
const home = mkdtempSync(join(tmpdir(), 'strata-fuzz-home-'));
const services = createServices({
  dataDir: mkdtempSync(join(tmpdir(), 'strata-fuzz-data-')),
  env: { DOCKER_HOST: `unix://${home}/missing.sock` },
  homeDir: home,
});
const ran: string[] = [];
const real = createHandlers(services) as unknown as Record<string, Record<string, (r: unknown) => unknown>>;
const handlers = Object.fromEntries(
  Object.entries(real).map(([domain, methods]) => [
    domain,
    Object.fromEntries(
      Object.entries(methods).map(([method, run]) => [
        method,
        (request: unknown) => {
          ran.push(`${domain}.${method}`);
          return run(request);
        },
      ]),
    ),
  ]),
) as unknown as Handlers;
const trusted = { trusted: true, description: 'fuzz' };
afterAll(() => disposeServices(services));

/** Seeded, so a failure can be replayed. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// JSON values only: that is all the preview's socket can carry (the desktop's structured clone carries no more
// that a schema would accept).
const deep = JSON.parse('['.repeat(5000) + ']'.repeat(5000)) as unknown;
const oddValues: unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  1e308,
  -0,
  Number.MAX_SAFE_INTEGER + 2,
  '',
  'x',
  ' ',
  '\u0000',
  '../../../etc/passwd',
  'a'.repeat(70_000),
  [],
  [1, 'x'],
  {},
  { a: 1 },
  JSON.parse('{"__proto__":{"polluted":true}}') as unknown,
  deep,
];

/** Payloads no request schema may accept: not an object, or an object with a key it does not know. */
const neverValid: unknown[] = [
  42,
  'app.settings',
  true,
  [],
  [{}],
  { __fuzz: 1 },
  JSON.parse('{"__proto__":{"polluted":true}}') as unknown,
  JSON.parse('{"constructor":{"prototype":{"polluted":true}}}') as unknown,
];

/** A short description of a payload for a failure message (a very deep one cannot be stringified). */
function describePayload(payload: unknown): string {
  try {
    return String(JSON.stringify(payload)).slice(0, 200);
  } catch {
    return '(nested too deep to show)';
  }
}

function shapeOf(name: string): Record<string, unknown> {
  const schema = channelDef(name)?.request as unknown as { shape?: Record<string, unknown> };
  return schema.shape ?? {};
}

describe('IPC fuzz: invalid payloads to every channel answer invalid-input and run no handler', () => {
  const counts = { channels: 0, sent: 0, invalidInput: 0 };
  afterAll(() => {
    console.log(
      `IPC fuzz: ${counts.sent} invalid payloads to ${counts.channels} channels, ${counts.invalidInput} answered invalid-input`,
    );
  });

  for (const name of channelNames) {
    it(name, async () => {
      counts.channels += 1;
      const def = channelDef(name);
      expect(def).toBeDefined();
      const payloads: unknown[] = [...neverValid];
      for (const payload of neverValid)
        expect({ name, payload, accepted: def?.request.safeParse(payload).success }).toMatchObject({ accepted: false });
      // Each declared field set to each odd value, alone and with the others random.
      const keys = Object.keys(shapeOf(name));
      const random = prng(name.length * 7919 + name.charCodeAt(0));
      const pick = () => oddValues[Math.floor(random() * oddValues.length)];
      for (const key of keys) for (const value of oddValues) payloads.push({ [key]: value });
      for (let i = 0; i < 40 && keys.length; i++) payloads.push(Object.fromEntries(keys.map((k) => [k, pick()])));
      for (const payload of payloads) {
        if (def?.request.safeParse(payload ?? {}).success) continue;
        counts.sent += 1;
        const reply = await dispatch(handlers, name, payload, trusted);
        expect({ name, payload: describePayload(payload), reply }).toMatchObject({
          reply: { ok: false, error: { code: 'invalid-input' } },
        });
        counts.invalidInput += 1;
      }
      expect(ran).toEqual([]);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  }

  it('channel names that are not channels, including Object.prototype members, are invalid-input', async () => {
    for (const channel of [
      'constructor.name',
      '__proto__.toString',
      'app.constructor',
      'app.__proto__',
      'app.hasOwnProperty',
      'toString.call',
      'valueOf.',
      '.',
      '',
      'app',
      'app.settings.x',
      'APP.settings',
    ]) {
      counts.sent += 1;
      expect({ channel, reply: await dispatch(handlers, channel, {}, trusted) }).toMatchObject({
        reply: { ok: false, error: { code: 'invalid-input' } },
      });
      counts.invalidInput += 1;
    }
    for (const channel of [42, null, undefined, {}, ['app', 'settings']]) {
      counts.sent += 1;
      expect(await dispatch(handlers, channel, {}, trusted)).toMatchObject({
        ok: false,
        error: { code: 'invalid-input' },
      });
      counts.invalidInput += 1;
    }
    expect(ran).toEqual([]);
  });
});
