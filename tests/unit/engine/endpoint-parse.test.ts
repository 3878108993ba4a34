import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEngineAddress } from '../../../src-main/core/engine/discover';

const linux = { platform: 'linux' as const, env: {}, homeDir: '/home/ada' };

describe('parseEngineAddress (add an engine by address)', () => {
  it.each([
    ['/var/run/docker.sock', 'unix:///var/run/docker.sock', 'unix'],
    ['  /home/ada/.colima/default/docker.sock ', 'unix:///home/ada/.colima/default/docker.sock', 'unix'],
    ['unix:///run/user/1000/docker.sock', 'unix:///run/user/1000/docker.sock', 'unix'],
    ['unix://', 'unix:///var/run/docker.sock', 'unix'],
    ['tcp://192.168.1.20:2375', 'tcp://192.168.1.20:2375', 'tcp'],
    ['192.168.1.20:2375', 'tcp://192.168.1.20:2375', 'tcp'],
    ['build-box', 'tcp://build-box:2375', 'tcp'],
    ['ssh://deploy@build-box', 'ssh://deploy@build-box', 'ssh'],
    ['ssh://deploy@build-box:2222', 'ssh://deploy@build-box:2222', 'ssh'],
  ])('%j becomes %s', (typed, address, transport) => {
    expect(parseEngineAddress(typed, linux)).toEqual({
      id: address,
      address,
      transport,
      source: 'added by address',
      kind: 'user',
      present: true,
    });
  });

  it.each([
    ['//./pipe/docker_engine', 'npipe:////./pipe/docker_engine'],
    ['\\\\.\\pipe\\docker_engine', 'npipe:////./pipe/docker_engine'],
    ['npipe:////./pipe/podman-machine-default', 'npipe:////./pipe/podman-machine-default'],
    ['npipe://\\\\.\\pipe\\docker_engine', 'npipe:////./pipe/docker_engine'],
  ])('on Windows the pipe %j becomes %s', (typed, address) => {
    expect(parseEngineAddress(typed, { ...linux, platform: 'win32' })).toMatchObject({
      address,
      transport: 'npipe',
      present: true,
    });
  });

  it('a pipe typed on Linux is an error', () => {
    expect(parseEngineAddress('//./pipe/docker_engine', linux).error).toBe(
      'Named pipes (npipe://) exist only on Windows.',
    );
  });

  it('tcp:// takes TLS from the environment, as `docker -H` does', () => {
    const env = { DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs' };
    expect(parseEngineAddress('tcp://secure', { ...linux, env })).toMatchObject({
      address: 'tcp://secure:2376',
      tls: { verify: true, caFile: join('/certs', 'ca.pem'), certFile: join('/certs', 'cert.pem') },
    });
    expect(parseEngineAddress('tcp://secure', linux)).toMatchObject({ address: 'tcp://secure:2375' });
    expect(parseEngineAddress('tcp://secure', linux).tls).toBeUndefined();
  });

  it.each([
    ['', /empty/],
    ['   ', /empty/],
    ['docker.sock', /looks like a socket path; write it in full, starting with "\/"/],
    ['./docker.sock', /starting with "\/"/],
    ['~/.docker/run/docker.sock', /starting with "\/"/],
    ['https://build-box:2376', /not a Docker host address/],
    ['tcp://build box:2375', /"build box" is not a host name/],
    ['tcp://[::1', /no closing "\]"/],
    ['ssh://user:pw@host', /plain-text password/],
    ['ftp://x', /unsupported scheme/],
  ])('%j is refused with a clear message', (typed, message) => {
    const candidate = parseEngineAddress(typed, linux);
    expect(candidate).toMatchObject({
      id: `address:${typed.trim()}`,
      address: typed.trim(),
      kind: 'user',
      present: false,
    });
    expect(candidate.error).toMatch(message);
    expect(candidate.transport).toBeUndefined();
  });

  it('needs no options', () => {
    expect(parseEngineAddress('tcp://127.0.0.1:2375').address).toBe('tcp://127.0.0.1:2375');
  });
});
