import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { discoverEngines } from '../../../src-main/core/engine/discover';
import { contextDirName } from '../../../src-main/core/engine/discover-context';
import { tempMachine, type TempMachine } from './temp-machine';

let m: TempMachine;
beforeEach(async () => {
  m = await tempMachine();
});
afterEach(async () => {
  await m.cleanup();
});

function discover(env: Record<string, string | undefined> = {}) {
  return discoverEngines({ env, homeDir: m.home, platform: 'linux', exists: m.exists });
}

/** Write a context the way `docker context create` lays it out. */
async function createContext(options: {
  configDir?: string;
  name: string;
  host?: string;
  skipTlsVerify?: boolean;
  tlsFiles?: string[];
}): Promise<string> {
  const configDir = options.configDir ?? join(m.home, '.docker');
  const hash = contextDirName(options.name);
  const docker =
    options.host === undefined ? {} : { Host: options.host, SkipTLSVerify: options.skipTlsVerify ?? false };
  await m.writeJson(join(configDir, 'contexts', 'meta', hash, 'meta.json'), {
    Name: options.name,
    Metadata: { Description: `${options.name} context` },
    Endpoints: { docker },
  });
  for (const file of options.tlsFiles ?? []) {
    await m.place(join(configDir, 'contexts', 'tls', hash, 'docker', file), `-- ${file} --`);
  }
  return join(configDir, 'contexts', 'tls', hash, 'docker');
}

const colimaSocket = () => join(m.home, '.colima', 'default', 'docker.sock');

describe('docker contexts', () => {
  it('names the meta folder by the SHA-256 of the context name, as the docker CLI does', () => {
    expect(contextDirName('colima')).toBe('f24fd3749c1368328e2b149bec149cb6795619f244c5b584e844961215dadd16');
  });

  it('DOCKER_CONTEXT picks a context; its endpoint is deduplicated with the well-known socket', async () => {
    await createContext({ name: 'colima', host: `unix://${colimaSocket()}` });
    await m.listen(colimaSocket());
    const found = await discover({ DOCKER_CONTEXT: 'colima' });
    expect(found[0]).toEqual({
      id: `unix://${colimaSocket()}`,
      address: `unix://${colimaSocket()}`,
      transport: 'unix',
      source: 'context "colima"',
      kind: 'context',
      present: true,
      contextName: 'colima',
      alsoFoundAs: ['Colima socket'],
    });
    expect(found.filter((c) => c.source === 'Colima socket')).toEqual([]);
  });

  it('config.json currentContext picks a context when DOCKER_CONTEXT is unset', async () => {
    await createContext({ name: 'remote-box', host: 'ssh://deploy@remote-box' });
    await m.writeJson(join(m.home, '.docker', 'config.json'), { auths: {}, currentContext: 'remote-box' });
    const found = await discover();
    expect(found[0]).toMatchObject({
      address: 'ssh://deploy@remote-box',
      transport: 'ssh',
      source: 'context "remote-box"',
      present: true,
    });
  });

  it('DOCKER_CONTEXT wins over currentContext', async () => {
    await createContext({ name: 'a', host: 'tcp://a-host:2375' });
    await createContext({ name: 'b', host: 'tcp://b-host:2375' });
    await m.writeJson(join(m.home, '.docker', 'config.json'), { currentContext: 'a' });
    const found = await discover({ DOCKER_CONTEXT: 'b' });
    expect(found.filter((c) => c.kind === 'context').map((c) => c.address)).toEqual(['tcp://b-host:2375']);
  });

  it('DOCKER_CONFIG moves both config.json and the context store', async () => {
    const configDir = join(m.base, 'elsewhere');
    await createContext({ configDir, name: 'moved', host: 'tcp://moved:2375' });
    await m.writeJson(join(configDir, 'config.json'), { currentContext: 'moved' });
    // A context in ~/.docker must be ignored now.
    await createContext({ name: 'home', host: 'tcp://home:2375' });
    await m.writeJson(join(m.home, '.docker', 'config.json'), { currentContext: 'home' });
    const found = await discover({ DOCKER_CONFIG: configDir });
    expect(found[0]).toMatchObject({ address: 'tcp://moved:2375', source: 'context "moved"' });
    expect(found.some((c) => c.address === 'tcp://home:2375')).toBe(false);
  });

  it('the default context means no context', async () => {
    await m.writeJson(join(m.home, '.docker', 'config.json'), { currentContext: 'default' });
    expect((await discover()).some((c) => c.kind === 'context')).toBe(false);
    expect((await discover({ DOCKER_CONTEXT: 'default' })).some((c) => c.kind === 'context')).toBe(false);
  });

  it('no config.json, or one without currentContext, means no context', async () => {
    expect((await discover()).some((c) => c.kind === 'context')).toBe(false);
    await m.writeJson(join(m.home, '.docker', 'config.json'), { auths: {} });
    expect((await discover()).some((c) => c.kind === 'context')).toBe(false);
  });

  it('a missing context named in config.json is a clear error candidate', async () => {
    const configFile = join(m.home, '.docker', 'config.json');
    await m.writeJson(configFile, { currentContext: 'gone' });
    const found = await discover();
    expect(found[0]).toMatchObject({
      id: 'context:gone',
      address: '',
      source: 'context "gone"',
      kind: 'context',
      present: false,
      contextName: 'gone',
    });
    expect(found[0]?.error).toContain('Current context "gone" is not found on the file system');
    expect(found[0]?.error).toContain(configFile);
    expect(found[0]?.error).toContain(join('contexts', 'meta', contextDirName('gone'), 'meta.json'));
    expect(found[1]?.source).toBe('default Docker socket');
  });

  it('a missing context named by DOCKER_CONTEXT says so', async () => {
    const found = await discover({ DOCKER_CONTEXT: 'typo' });
    expect(found[0]?.error).toMatch(/^Context "typo" named by DOCKER_CONTEXT does not exist/);
  });

  it('an unreadable config.json is an error candidate, and the search goes on', async () => {
    await m.place(join(m.home, '.docker', 'config.json'), '{ "currentContext": ');
    const found = await discover();
    expect(found[0]).toMatchObject({ id: 'context:config', source: 'docker config file', present: false });
    expect(found[0]?.error).toMatch(/Cannot read the current context from .*config\.json: not valid JSON/);
    expect(found).toHaveLength(8);
  });

  it('a context without a Docker endpoint, or with broken meta.json, is an error candidate', async () => {
    await createContext({ name: 'k8s-only' });
    expect((await discover({ DOCKER_CONTEXT: 'k8s-only' }))[0]?.error).toMatch(/has no Docker endpoint/);
    await m.place(join(m.home, '.docker', 'contexts', 'meta', contextDirName('broken'), 'meta.json'), 'nope');
    expect((await discover({ DOCKER_CONTEXT: 'broken' }))[0]?.error).toMatch(/Context "broken" cannot be read: .*JSON/);
  });

  it('a context with a bad Host says which context', async () => {
    await createContext({ name: 'bad', host: 'http://bad:2375' });
    const found = await discover({ DOCKER_CONTEXT: 'bad' });
    expect(found[0]).toMatchObject({ id: 'context:bad', address: 'http://bad:2375', present: false });
    expect(found[0]?.error).toMatch(/^Context "bad": "http:\/\/bad:2375" is not a Docker host address/);
  });

  it('TLS material in contexts/tls/<sha256>/docker turns TLS on and is verified', async () => {
    const tlsDir = await createContext({
      name: 'secure',
      host: 'tcp://secure',
      tlsFiles: ['ca.pem', 'cert.pem', 'key.pem'],
    });
    const found = await discover({ DOCKER_CONTEXT: 'secure' });
    expect(found[0]).toMatchObject({
      address: 'tcp://secure:2376',
      tls: {
        verify: true,
        caFile: join(tlsDir, 'ca.pem'),
        certFile: join(tlsDir, 'cert.pem'),
        keyFile: join(tlsDir, 'key.pem'),
      },
    });
  });

  it('SkipTLSVerify speaks TLS without verifying, even with no TLS files', async () => {
    await createContext({ name: 'lax', host: 'tcp://lax:2376', skipTlsVerify: true });
    expect((await discover({ DOCKER_CONTEXT: 'lax' }))[0]?.tls).toEqual({ verify: false });
  });

  it('only the TLS files that exist are named', async () => {
    const tlsDir = await createContext({ name: 'ca-only', host: 'tcp://h:2376', tlsFiles: ['ca.pem'] });
    expect((await discover({ DOCKER_CONTEXT: 'ca-only' }))[0]?.tls).toEqual({
      verify: true,
      caFile: join(tlsDir, 'ca.pem'),
    });
  });

  it('a tcp context without TLS files is plain TCP, and DOCKER_TLS_VERIFY does not change it', async () => {
    await createContext({ name: 'plain', host: 'tcp://plain:2375' });
    const found = await discover({ DOCKER_CONTEXT: 'plain', DOCKER_TLS_VERIFY: '1' });
    expect(found[0]).toMatchObject({ address: 'tcp://plain:2375' });
    expect(found[0]?.tls).toBeUndefined();
    // A context is in effect, so the CLI's TLS default address does not apply.
    expect(found.some((c) => c.address === 'tcp://localhost:2376')).toBe(false);
  });
});

describe('order', () => {
  it('DOCKER_HOST, then the context, then well-known sockets; duplicates keep the first', async () => {
    await createContext({ name: 'desktop', host: `unix://${join(m.home, '.docker', 'run', 'docker.sock')}` });
    await m.writeJson(join(m.home, '.docker', 'config.json'), { currentContext: 'desktop' });
    const found = await discoverEngines({
      env: { DOCKER_HOST: 'tcp://127.0.0.1:2375', XDG_RUNTIME_DIR: m.runtimeDir },
      homeDir: m.home,
      platform: 'darwin',
      exists: m.exists,
    });
    expect(found.slice(0, 5).map((c) => c.source)).toEqual([
      'DOCKER_HOST',
      'context "desktop"',
      'default Docker socket',
      'rootless Docker socket',
      'Docker Desktop socket',
    ]);
    expect(found[1]?.alsoFoundAs).toEqual(['Docker Desktop socket']);
    expect(found[4]?.address).toBe(`unix://${join(m.home, '.docker', 'desktop', 'docker.sock')}`);
    expect(new Set(found.map((c) => c.address)).size).toBe(found.length);
  });
});
