import { describe, expect, it } from 'vitest';
import {
  contextTransferFor,
  SessionRefusals,
  sessionExpected,
} from '../../../../src-main/core/build/session/session-support';

const docker = { product: 'Docker Engine', apiVersion: '1.41', address: 'unix:///run/a.sock' };

describe('how a BuildKit build gets its context', () => {
  it('expects a session from Docker Engine API 1.39 on, none from Podman or older engines', () => {
    expect(sessionExpected(docker)).toBe(true);
    expect(sessionExpected({ product: 'Docker Engine', apiVersion: '1.39' })).toBe(true);
    expect(sessionExpected({ product: 'Docker Engine', apiVersion: '2.0' })).toBe(true);
    expect(sessionExpected({ product: 'Docker Engine', apiVersion: '1.38' })).toBe(false);
    expect(sessionExpected({ product: 'Podman', apiVersion: '1.41' })).toBe(false);
    expect(sessionExpected(undefined)).toBe(true);
  });

  it('plans a tar, with the engine answer, for an engine once it refused a session; other engines keep theirs', () => {
    const refusals = new SessionRefusals();
    expect(contextTransferFor(docker, refusals)).toEqual({ transfer: 'session' });
    refusals.remember(docker, 'page not found');
    expect(contextTransferFor(docker, refusals)).toEqual({ transfer: 'tar', refusal: 'page not found' });
    expect(contextTransferFor({ ...docker, address: 'tcp://127.0.0.1:2375' }, refusals)).toEqual({
      transfer: 'session',
    });
    expect(contextTransferFor({ ...docker, apiVersion: '1.43' }, refusals).transfer).toBe('session');
    expect(contextTransferFor(undefined, refusals)).toEqual({ transfer: 'session' });
  });
});
