import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createServices, disposeServices } from '../../../src-main/ipc/services';
import { StrataError, toStrataError } from '$shared/engine/errors';
import { channelDef, channelNames } from '../../../src-main/ipc/contract';
import { dispatch } from '../../../src-main/ipc/dispatch';
import { createHandlers } from '../../../src-main/ipc/handlers';

// Real services with no engine to find: DOCKER_HOST points at a socket that does not exist, home is empty.
const home = mkdtempSync(join(tmpdir(), 'strata-dispatch-home-'));
const services = createServices({
  dataDir: mkdtempSync(join(tmpdir(), 'strata-dispatch-data-')),
  env: { DOCKER_HOST: `unix://${home}/missing.sock` },
  homeDir: home,
});
const handlers = createHandlers(services);
const trusted = { trusted: true, description: 'test' };
afterAll(() => disposeServices(services));

describe('dispatch', () => {
  it('names every channel once, as <domain>.<method>', () => {
    expect(new Set(channelNames).size).toBe(channelNames.length);
    for (const name of channelNames) {
      expect(name).toMatch(/^[a-z]+\.[a-zA-Z]+$/);
      expect(channelDef(name)).toBeDefined();
    }
    expect(channelNames).toContain('engine.status');
  });

  it('rejects an unknown channel before doing anything', async () => {
    const reply = await dispatch(handlers, 'images.dropTables', {}, trusted);
    expect(reply).toEqual({
      ok: false,
      error: { code: 'invalid-input', message: 'Request refused: there is no channel named "images.dropTables".' },
    });
    const proto = await dispatch(handlers, 'engine.constructor', {}, trusted);
    expect(proto.ok).toBe(false);
    const notString = await dispatch(handlers, 42, {}, trusted);
    expect(notString.ok).toBe(false);
  });

  it('rejects a payload that does not match the schema with invalid-input and the failing field', async () => {
    const reply = await dispatch(handlers, 'engine.choose', { address: 42 }, trusted);
    expect(reply.ok).toBe(false);
    if (reply.ok) return;
    expect(reply.error.code).toBe('invalid-input');
    expect(reply.error.message).toContain('address');
    expect(reply.error.details?.issues).toBeInstanceOf(Array);

    const extra = await dispatch(handlers, 'engine.status', { sneaky: true }, trusted);
    expect(extra.ok).toBe(false);
    if (!extra.ok) expect(extra.error.code).toBe('invalid-input');
  });

  it('refuses a request from a sender that is not our window', async () => {
    const reply = await dispatch(
      handlers,
      'engine.status',
      {},
      { trusted: false, description: 'https://evil.example/' },
    );
    expect(reply.ok).toBe(false);
    if (!reply.ok) {
      expect(reply.error.code).toBe('forbidden');
      expect(reply.error.message).toContain('https://evil.example/');
    }
  });

  it('answers a valid request', async () => {
    const reply = await dispatch(handlers, 'engine.status', {}, trusted);
    expect(reply.ok).toBe(true);
  });

  it('turns a handler failure into the one error shape', async () => {
    const reply = await dispatch(handlers, 'jobs.cancel', { jobId: 'no-such-job' }, trusted);
    expect(reply).toEqual({
      ok: false,
      error: { code: 'not-found', message: 'No job no-such-job: it finished long ago or never started.' },
    });
  });
});

describe('toStrataError', () => {
  it('keeps a StrataError as it is', () => {
    const e = new StrataError('conflict', 'x', { status: 409 });
    expect(toStrataError(e)).toBe(e);
  });
  it('maps an abort to cancelled', () => {
    expect(toStrataError(new DOMException('aborted', 'AbortError')).code).toBe('cancelled');
  });
  it('maps a refused socket to engine-unreachable', () => {
    const err = Object.assign(new Error('connect ECONNREFUSED /var/run/docker.sock'), {
      code: 'ECONNREFUSED',
      syscall: 'connect',
    });
    expect(toStrataError(err).code).toBe('engine-unreachable');
  });
});

describe('toStrataError with engine answers', () => {
  it('reads the engine message from json, or from the message where docker-modem leaves json empty', () => {
    const fromJson = toStrataError(
      Object.assign(new Error('x'), { statusCode: 404, json: { message: 'No such image: a:b' } }),
    );
    expect(fromJson.toJSON()).toEqual({
      code: 'not-found',
      message: 'No such image: a:b',
      details: { status: 404, engineMessage: 'No such image: a:b' },
    });
    const fromText = toStrataError(
      Object.assign(
        new Error('(HTTP code 400) unexpected - dockerfile parse error line 2: unknown instruction: FORM'),
        { statusCode: 400, json: null },
      ),
    );
    expect(fromText.code).toBe('invalid-input');
    expect(fromText.details).toEqual({
      status: 400,
      engineMessage: 'dockerfile parse error line 2: unknown instruction: FORM',
    });
  });
});
