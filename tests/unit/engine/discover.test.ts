import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { discoverEngines } from '../../../src-main/core/engine/discover';
import type { EngineCandidate } from '../../../src-main/core/engine/endpoint-types';
import { tempMachine, type TempMachine } from './temp-machine';

let m: TempMachine;
beforeEach(async () => {
  m = await tempMachine();
});
afterEach(async () => {
  await m.cleanup();
});

function discover(env: Record<string, string | undefined> = {}, platform: NodeJS.Platform = 'linux') {
  return discoverEngines({
    env: { XDG_RUNTIME_DIR: m.runtimeDir, ...env },
    homeDir: m.home,
    platform,
    exists: m.exists,
  });
}

const byId = (list: EngineCandidate[], id: string) => list.find((c) => c.id === id);

describe('well-known sockets', () => {
  it('lists every place looked at, in order, absent when nothing is there', async () => {
    const found = await discover();
    expect(found.map((c) => [c.address, c.source])).toEqual([
      ['unix:///var/run/docker.sock', 'default Docker socket'],
      [`unix://${m.runtimeDir}/docker.sock`, 'rootless Docker socket'],
      [`unix://${m.home}/.docker/run/docker.sock`, 'Docker Desktop socket'],
      [`unix://${m.home}/.docker/desktop/docker.sock`, 'Docker Desktop socket'],
      [`unix://${m.home}/.colima/default/docker.sock`, 'Colima socket'],
      [`unix://${m.home}/.rd/docker.sock`, 'Rancher Desktop socket'],
      [`unix://${m.home}/.orbstack/run/docker.sock`, 'OrbStack socket'],
      [`unix://${m.runtimeDir}/podman/podman.sock`, 'Podman socket'],
      ['unix:///run/podman/podman.sock', 'rootful Podman socket'],
    ]);
    for (const c of found) {
      expect(c).toMatchObject({ kind: 'well-known', transport: 'unix', present: false, id: c.address });
      expect(c.error).toBeUndefined();
    }
  });

  it('marks present the sockets that exist, real sockets and plain files alike', async () => {
    await m.listen(join(m.home, '.docker/run/docker.sock'));
    await m.place(join(m.home, '.colima/default/docker.sock'));
    await m.place('/run/podman/podman.sock');
    await m.listen(join(m.runtimeDir, 'docker.sock'));
    const present = (await discover()).filter((c) => c.present).map((c) => c.source);
    expect(present).toEqual([
      'rootless Docker socket',
      'Docker Desktop socket',
      'Colima socket',
      'rootful Podman socket',
    ]);
  });

  it('skips the runtime-dir sockets when XDG_RUNTIME_DIR is not set', async () => {
    const found = await discover({ XDG_RUNTIME_DIR: undefined });
    expect(found.map((c) => c.source)).not.toContain('rootless Docker socket');
    expect(found.map((c) => c.source)).not.toContain('Podman socket');
    expect(found.map((c) => c.source)).toContain('rootful Podman socket');
  });

  it('uses a real stat() when no probe is given', async () => {
    await m.listen(join(m.home, '.orbstack/run/docker.sock'));
    const found = await discoverEngines({ env: {}, homeDir: m.home, platform: 'darwin' });
    expect(found.find((c) => c.source === 'OrbStack socket')?.present).toBe(true);
    expect(found.find((c) => c.source === 'Colima socket')?.present).toBe(false);
  });

  it('on Windows looks only at the named pipes', async () => {
    await m.place('\\\\.\\pipe\\docker_engine');
    const found = await discover({}, 'win32');
    expect(found).toEqual([
      {
        id: 'npipe:////./pipe/docker_engine',
        address: 'npipe:////./pipe/docker_engine',
        transport: 'npipe',
        source: 'Docker Engine pipe',
        kind: 'well-known',
        present: true,
      },
      {
        id: 'npipe:////./pipe/podman-machine-default',
        address: 'npipe:////./pipe/podman-machine-default',
        transport: 'npipe',
        source: 'Podman machine pipe',
        kind: 'well-known',
        present: false,
      },
    ]);
  });

  it('does not list Windows pipes elsewhere', async () => {
    for (const platform of ['linux', 'darwin'] as const) {
      expect((await discover({}, platform)).some((c) => c.transport === 'npipe')).toBe(false);
    }
  });
});

describe('DOCKER_HOST', () => {
  it('unix:// comes first and is present when the socket exists', async () => {
    const sock = join(m.base, 'custom.sock');
    await m.listen(sock);
    const found = await discover({ DOCKER_HOST: `unix://${sock}` });
    expect(found[0]).toEqual({
      id: `unix://${sock}`,
      address: `unix://${sock}`,
      transport: 'unix',
      source: 'DOCKER_HOST',
      kind: 'env',
      present: true,
    });
    expect(found).toHaveLength(10);
  });

  it('unix:// naming a missing socket is listed but not present', async () => {
    const found = await discover({ DOCKER_HOST: 'unix:///nowhere/docker.sock' });
    expect(found[0]).toMatchObject({ address: 'unix:///nowhere/docker.sock', present: false });
    expect(found[0]?.error).toBeUndefined();
  });

  it('bare unix:// means the default socket, deduplicated with the well-known one', async () => {
    await m.place('/var/run/docker.sock');
    const found = await discover({ DOCKER_HOST: 'unix://' });
    expect(found.filter((c) => c.address === 'unix:///var/run/docker.sock')).toEqual([
      {
        id: 'unix:///var/run/docker.sock',
        address: 'unix:///var/run/docker.sock',
        transport: 'unix',
        source: 'DOCKER_HOST',
        kind: 'env',
        present: true,
        alsoFoundAs: ['default Docker socket'],
      },
    ]);
    expect(found).toHaveLength(9);
  });

  it('tcp:// without TLS keeps the port and needs no file', async () => {
    const found = await discover({ DOCKER_HOST: 'tcp://build-box.lan:2375' });
    expect(found[0]).toEqual({
      id: 'tcp://build-box.lan:2375',
      address: 'tcp://build-box.lan:2375',
      transport: 'tcp',
      source: 'DOCKER_HOST',
      kind: 'env',
      present: true,
    });
  });

  it.each([
    ['tcp://10.0.0.5', 'tcp://10.0.0.5:2375'],
    ['10.0.0.5:2380', 'tcp://10.0.0.5:2380'],
    ['tcp://:2375', 'tcp://localhost:2375'],
    ['tcp://', 'tcp://localhost:2375'],
    ['tcp://[::1]:2375', 'tcp://[::1]:2375'],
    ['tcp://[fe80::1]', 'tcp://[fe80::1]:2375'],
    ['  tcp://host:2375/  ', 'tcp://host:2375'],
    ['TCP://Host:2375', 'tcp://Host:2375'],
  ])('tcp form %j is read as %s', async (dockerHost, address) => {
    expect((await discover({ DOCKER_HOST: dockerHost }))[0]).toMatchObject({
      address,
      transport: 'tcp',
      present: true,
    });
  });

  it('DOCKER_TLS_VERIFY turns on TLS with files from ~/.docker and defaults the port to 2376', async () => {
    const found = await discover({ DOCKER_HOST: 'tcp://remote', DOCKER_TLS_VERIFY: '1' });
    const certDir = join(m.home, '.docker');
    expect(found[0]).toMatchObject({
      address: 'tcp://remote:2376',
      tls: {
        verify: true,
        caFile: join(certDir, 'ca.pem'),
        certFile: join(certDir, 'cert.pem'),
        keyFile: join(certDir, 'key.pem'),
      },
    });
  });

  it('DOCKER_CERT_PATH names the TLS folder; an explicit port stays', async () => {
    const certs = join(m.base, 'certs');
    const found = await discover({ DOCKER_HOST: 'tcp://remote:2375', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certs });
    expect(found[0]).toMatchObject({
      address: 'tcp://remote:2375',
      tls: { verify: true, caFile: join(certs, 'ca.pem') },
    });
  });

  it('without DOCKER_CERT_PATH the TLS folder follows DOCKER_CONFIG', async () => {
    const config = join(m.base, 'docker-config');
    const found = await discover({ DOCKER_HOST: 'tcp://remote', DOCKER_TLS_VERIFY: '1', DOCKER_CONFIG: config });
    expect(found[0]?.tls?.keyFile).toBe(join(config, 'key.pem'));
  });

  it('any non-empty DOCKER_TLS_VERIFY verifies, as the docker CLI does (even "0")', async () => {
    const found = await discover({ DOCKER_HOST: 'tcp://remote', DOCKER_TLS_VERIFY: '0' });
    expect(found[0]?.tls?.verify).toBe(true);
  });

  it('DOCKER_TLS alone speaks TLS without verifying; an empty DOCKER_TLS_VERIFY is unset', async () => {
    const found = await discover({ DOCKER_HOST: 'tcp://remote', DOCKER_TLS: '1', DOCKER_TLS_VERIFY: '' });
    expect(found[0]).toMatchObject({ address: 'tcp://remote:2376', tls: { verify: false } });
    const plain = await discover({ DOCKER_HOST: 'tcp://remote', DOCKER_TLS_VERIFY: '' });
    expect(plain[0]?.tls).toBeUndefined();
  });

  it('TLS settings do not apply to sockets or ssh', async () => {
    const found = await discover({ DOCKER_HOST: 'unix:///x.sock', DOCKER_TLS_VERIFY: '1' });
    expect(found[0]?.tls).toBeUndefined();
  });

  it.each([
    ['ssh://deploy@build-box:2222', 'ssh://deploy@build-box:2222'],
    ['ssh://build-box', 'ssh://build-box'],
    ['ssh://deploy@build-box/', 'ssh://deploy@build-box'],
    ['ssh://me@[2001:db8::7]:22', 'ssh://me@[2001:db8::7]:22'],
  ])('ssh form %j is read as %s', async (dockerHost, address) => {
    expect((await discover({ DOCKER_HOST: dockerHost }))[0]).toMatchObject({
      id: address,
      address,
      transport: 'ssh',
      source: 'DOCKER_HOST',
      present: true,
    });
  });

  it('npipe:// works on Windows, and the probe gets the backslash name', async () => {
    const asked: string[] = [];
    const found = await discoverEngines({
      env: { DOCKER_HOST: 'npipe:////./pipe/dockerDesktopLinuxEngine' },
      homeDir: m.home,
      platform: 'win32',
      exists: async (p) => (asked.push(p), m.exists(p)),
    });
    expect(found[0]).toMatchObject({ address: 'npipe:////./pipe/dockerDesktopLinuxEngine', present: false });
    expect(asked[0]).toBe('\\\\.\\pipe\\dockerDesktopLinuxEngine');
    const bare = await discover({ DOCKER_HOST: 'npipe://' }, 'win32');
    expect(bare.map((c) => c.address)).toEqual([
      'npipe:////./pipe/docker_engine',
      'npipe:////./pipe/podman-machine-default',
    ]);
    expect(bare[0]).toMatchObject({ source: 'DOCKER_HOST', alsoFoundAs: ['Docker Engine pipe'] });
  });

  it('npipe:// on Linux is an error candidate, not a throw', async () => {
    const found = await discover({ DOCKER_HOST: 'npipe:////./pipe/docker_engine' });
    expect(found[0]).toMatchObject({
      source: 'DOCKER_HOST',
      present: false,
      error: expect.stringMatching(/only on Windows/),
    });
  });

  it.each([
    ['http://remote:2375', /write tcp:\/\/host:port instead/],
    ['tcp://remote:http', /"http" is not a port number/],
    ['tcp://remote:70000', /not a port number/],
    ['tcp://remote:2375/v1.41', /path after the host/],
    ['tcp://user@remote', /user names/],
    ['foo://bar', /unsupported scheme "foo:\/\/"/],
    ['fd://', /not an address a client can connect to/],
    ['unix://tcp://x', /not a valid unix:\/\/ address/],
    ['ssh://me:secret@remote', /plain-text password/],
    ['ssh://', /host name is empty/],
    ['ssh://remote/var/run/docker.sock', /socket path after the host/],
    ['ssh://remote?x=1', /query parameters/],
    ['npipe://docker_engine', /named pipes look like/],
  ])('invalid DOCKER_HOST %j gives a clear error candidate', async (dockerHost, message) => {
    const found = await discover({ DOCKER_HOST: dockerHost }, dockerHost.startsWith('npipe') ? 'win32' : 'linux');
    expect(found[0]).toMatchObject({
      id: 'env:DOCKER_HOST',
      address: dockerHost,
      source: 'DOCKER_HOST',
      kind: 'env',
      present: false,
    });
    expect(found[0]?.error).toMatch(/^DOCKER_HOST: /);
    expect(found[0]?.error).toMatch(message);
    // The rest of the search goes on.
    expect(found.length).toBeGreaterThan(1);
  });

  it('an empty or blank DOCKER_HOST counts as unset', async () => {
    for (const value of ['', '   ']) {
      expect((await discover({ DOCKER_HOST: value }))[0]?.source).toBe('default Docker socket');
    }
  });
});

describe('TLS without DOCKER_HOST', () => {
  it('points at the CLI default tcp://localhost:2376 before the well-known sockets', async () => {
    const found = await discover({ DOCKER_TLS_VERIFY: '1' });
    expect(found[0]).toMatchObject({
      address: 'tcp://localhost:2376',
      source: 'DOCKER_TLS_VERIFY (default TLS address)',
      kind: 'env',
      tls: { verify: true, caFile: join(m.home, '.docker', 'ca.pem') },
    });
    expect(found[1]?.source).toBe('default Docker socket');
  });
});

describe('identity', () => {
  it('ids are unique across a full listing', async () => {
    const found = await discover({ DOCKER_HOST: 'tcp://a:1', DOCKER_CONTEXT: 'nope' });
    expect(new Set(found.map((c) => c.id)).size).toBe(found.length);
    expect(byId(found, 'context:nope')?.error).toMatch(/DOCKER_CONTEXT/);
  });
});
