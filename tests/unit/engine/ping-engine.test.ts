import { describe, expect, it } from 'vitest';
import { engineInfoFromPing, productFromPing } from '../../../src-main/core/engine/ping-engine';

// Headers as dockerd 20.10 and Podman 4.3 send them on `GET /_ping` (captured from the test engines).
const dockerd = { server: 'Docker/20.10.24+dfsg1 (linux)', apiVersion: '1.41', osType: 'linux' };
const podman = { server: 'Libpod/4.3.1 (linux)', apiVersion: '1.41', libpodApiVersion: '4.3.1' };

describe('the engine named by its ping headers', () => {
  it('is Podman when it sends Libpod headers, Docker Engine for Server: Docker/…', () => {
    expect(productFromPing(podman)).toBe('Podman');
    expect(productFromPing({ server: 'Libpod/5.0.0 (linux)' })).toBe('Podman');
    expect(productFromPing({ libpodApiVersion: '4.9.3' })).toBe('Podman');
    expect(productFromPing(dockerd)).toBe('Docker Engine');
  });

  it('is unknown when the headers name nothing (a proxy that strips them)', () => {
    expect(productFromPing({})).toBe('Unknown engine');
    expect(productFromPing({ server: 'nginx/1.25' })).toBe('Unknown engine');
  });

  it('gives the version and OS the Server header carries', () => {
    expect(engineInfoFromPing(podman)).toEqual({
      product: 'Podman',
      version: '4.3.1',
      apiVersion: '1.41',
      os: 'linux',
      arch: '',
    });
    expect(engineInfoFromPing(dockerd)).toMatchObject({
      product: 'Docker Engine',
      version: '20.10.24+dfsg1',
      os: 'linux',
    });
    expect(engineInfoFromPing({})).toMatchObject({ product: 'Unknown engine', version: 'unknown' });
  });
});
