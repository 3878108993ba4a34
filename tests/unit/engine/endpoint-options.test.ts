import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer as createHttpServer, type RequestListener, type Server } from 'node:http';
import { Agent as HttpsAgent, createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dockerodeOptions, parseEngineAddress } from '../../../src-main/core/engine/discover';
import type { StrataDockerOptions } from '../../../src-main/core/engine/endpoint-options';
import type { EngineCandidate } from '../../../src-main/core/engine/endpoint-types';
import { SshDialAgent } from '../../../src-main/core/engine/ssh-dial-agent';
import { tempMachine, type TempMachine } from './temp-machine';

const fixtures = join(import.meta.dirname, 'fixtures', 'tls');
const fixture = (name: string) => readFileSync(join(fixtures, name));

let m: TempMachine;
const servers: Server[] = [];
const savedEnv = { ...process.env };
beforeEach(async () => {
  m = await tempMachine();
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
  await m.cleanup();
  for (const key of ['DOCKER_HOST', 'DOCKER_TLS_VERIFY', 'DOCKER_CERT_PATH']) {
    if (savedEnv[key] === undefined) delete process.env[key];
    else process.env[key] = savedEnv[key];
  }
});

/** A stand-in engine that answers /_ping the way dockerd does; enough to prove the options reach it. */
const pingHandler: RequestListener = (req, res) => {
  res.writeHead(req.url?.endsWith('/_ping') ? 200 : 404, { 'content-type': 'text/plain' });
  res.end(req.url?.endsWith('/_ping') ? 'OK' : 'not found');
};

async function listen(server: Server, at: string | number): Promise<void> {
  servers.push(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    if (typeof at === 'string') server.listen(at, resolve);
    else server.listen(at, '127.0.0.1', resolve);
  });
}

const portOf = (server: Server) => (server.address() as AddressInfo).port;

async function ping(options: Docker.DockerOptions): Promise<string> {
  return String(await new Docker(options).ping());
}

function tcpCandidate(port: number, tls?: EngineCandidate['tls']): EngineCandidate {
  const address = `tcp://127.0.0.1:${port}`;
  return {
    id: address,
    address,
    transport: 'tcp',
    source: 'test',
    kind: 'user',
    present: true,
    ...(tls ? { tls } : {}),
  };
}

describe('dockerodeOptions', () => {
  it('unix socket: socketPath, and it reaches the socket even when this process has another DOCKER_HOST', async () => {
    const sock = join(m.base, 'engine.sock');
    await listen(createHttpServer(pingHandler), sock);
    const options = await dockerodeOptions(parseEngineAddress(sock));
    expect(options).toMatchObject({ socketPath: sock, protocol: 'http' });
    expect(options.host).toBeUndefined();
    // docker-modem fills gaps from process.env; a stale tcp DOCKER_HOST must not win over our socket.
    process.env.DOCKER_HOST = 'tcp://127.0.0.1:9';
    expect(await ping(options)).toBe('OK');
  });

  it('named pipe: socketPath in the form docker-modem uses', async () => {
    const candidate = parseEngineAddress('npipe:////./pipe/docker_engine', { platform: 'win32' });
    expect(await dockerodeOptions(candidate)).toMatchObject({ socketPath: '//./pipe/docker_engine', protocol: 'http' });
  });

  it('plain tcp: host, port and http, and it answers', async () => {
    const server = createHttpServer(pingHandler);
    await listen(server, 0);
    const options = await dockerodeOptions(tcpCandidate(portOf(server)));
    expect(options).toMatchObject({ host: '127.0.0.1', port: portOf(server), protocol: 'http' });
    expect(options.socketPath).toBeUndefined();
    expect(await ping(options)).toBe('OK');
  });

  it('tcp with verified TLS: reads ca/cert/key and passes a server that demands a client certificate', async () => {
    const server = createHttpsServer(
      { key: fixture('server-key.pem'), cert: fixture('server-cert.pem'), ca: fixture('ca.pem'), requestCert: true },
      (req, res) => {
        // Only a client presenting a certificate from our CA gets an answer.
        if (!(req.socket as import('node:tls').TLSSocket).authorized)
          return void res.writeHead(401).end('no client cert');
        pingHandler(req, res);
      },
    );
    await listen(server, 0);
    const candidate = parseEngineAddress(`tcp://127.0.0.1:${portOf(server)}`, {
      env: { DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: fixtures },
    });
    const options = await dockerodeOptions(candidate);
    expect(options).toMatchObject({ protocol: 'https', host: '127.0.0.1', port: portOf(server) });
    expect(options.ca).toEqual(fixture('ca.pem'));
    expect(options.cert).toEqual(fixture('cert.pem'));
    expect(options.key).toEqual(fixture('key.pem'));
    expect(options.agent).toBeUndefined();
    expect(await ping(options)).toBe('OK');
  });

  it('verified TLS refuses a server our CA did not sign', async () => {
    const server = createHttpsServer({ key: fixture('server-key.pem'), cert: fixture('server-cert.pem') }, pingHandler);
    await listen(server, 0);
    // The client cert stands in for "some other CA": it is not a CA, so the server's chain cannot be built.
    await m.place(join(m.base, 'other', 'ca.pem'), fixture('cert.pem').toString());
    const options = await dockerodeOptions(
      tcpCandidate(portOf(server), { verify: true, caFile: join(m.base, 'other', 'ca.pem') }),
    );
    await expect(ping(options)).rejects.toThrow(/certificate|issuer/i);
  });

  it('TLS without verification connects to a server it cannot verify', async () => {
    const server = createHttpsServer({ key: fixture('server-key.pem'), cert: fixture('server-cert.pem') }, pingHandler);
    await listen(server, 0);
    const options = await dockerodeOptions(tcpCandidate(portOf(server), { verify: false }));
    expect(options.protocol).toBe('https');
    expect((options.agent as HttpsAgent | undefined)?.options.rejectUnauthorized).toBe(false);
    expect(await ping(options)).toBe('OK');
  });

  it('cert and key are used only as a pair, as the docker CLI does', async () => {
    const options = await dockerodeOptions(
      tcpCandidate(2376, {
        verify: true,
        caFile: join(fixtures, 'ca.pem'),
        certFile: join(fixtures, 'cert.pem'),
        keyFile: join(m.base, 'missing-key.pem'),
      }),
    );
    expect(options.ca).toEqual(fixture('ca.pem'));
    expect(options.cert).toBeUndefined();
    expect(options.key).toBeUndefined();
  });

  it('a missing CA with verification on is a clear error naming the file', async () => {
    const caFile = join(m.base, 'nope', 'ca.pem');
    await expect(dockerodeOptions(tcpCandidate(2376, { verify: true, caFile }))).rejects.toThrow(
      new RegExp(`Cannot read the TLS CA certificate ${caFile}.*DOCKER_CERT_PATH`),
    );
    // Without verification the CA is not needed.
    await expect(dockerodeOptions(tcpCandidate(2376, { verify: false, caFile }))).resolves.toMatchObject({
      protocol: 'https',
    });
  });

  it('uses the injected readFile', async () => {
    const read: string[] = [];
    const options = await dockerodeOptions(tcpCandidate(2376, { verify: true, caFile: '/virtual/ca.pem' }), {
      readFile: async (path) => (read.push(path), 'PEM'),
    });
    expect(read).toEqual(['/virtual/ca.pem']);
    expect(options.ca).toEqual(Buffer.from('PEM'));
  });

  /** The ssh2 settings an ssh:// engine's connections are opened with. */
  function sshConfig(options: StrataDockerOptions) {
    expect(options.agent).toBeInstanceOf(SshDialAgent);
    return (options.agent as SshDialAgent).config;
  }

  it('ssh: host, port, user and the agent from SSH_AUTH_SOCK, over an agent that dials the remote docker', async () => {
    const env = { SSH_AUTH_SOCK: '/tmp/agent.sock', USER: 'ada' };
    const options = await dockerodeOptions(parseEngineAddress('ssh://deploy@build-box:2222'), { env });
    expect(options).toMatchObject({ protocol: 'http', host: 'build-box', port: 2222 });
    expect(sshConfig(options)).toMatchObject({
      host: 'build-box',
      port: 2222,
      username: 'deploy',
      authHandler: [{ type: 'agent', username: 'deploy', agent: '/tmp/agent.sock' }],
    });
    const defaults = await dockerodeOptions(parseEngineAddress('ssh://build-box'), { env, platform: 'linux' });
    expect(sshConfig(defaults)).toMatchObject({ host: 'build-box', port: 22, username: 'ada' });
    expect(defaults.socketPath).toBeUndefined();
  });

  it('ssh on Windows falls back to the OpenSSH agent pipe; elsewhere without an agent, none', async () => {
    const win = await dockerodeOptions(parseEngineAddress('ssh://h'), { env: { USERNAME: 'ada' }, platform: 'win32' });
    expect(sshConfig(win)).toMatchObject({
      username: 'ada',
      authHandler: [{ type: 'agent', username: 'ada', agent: '\\\\.\\pipe\\openssh-ssh-agent' }],
    });
    const bare = await dockerodeOptions(parseEngineAddress('ssh://h'), {
      env: {},
      platform: 'linux',
      homeDir: mkdtempSync(join(tmpdir(), 'strata-no-ssh-')),
    });
    // No agent and no key files: nothing to offer, but the host key is still checked.
    expect(Object.keys(sshConfig(bare)).sort()).toEqual(['authHandler', 'host', 'hostVerifier', 'port', 'username']);
    expect(sshConfig(bare).authHandler).toEqual([]);
  });

  it('ssh behind ProxyJump: one ssh2 config per jump host, each with its own user, keys and host key check', async () => {
    const home = mkdtempSync(join(tmpdir(), 'strata-jump-'));
    const files: Record<string, string> = {
      [join(home, '.ssh', 'config')]: [
        'Host box',
        '  HostName 10.0.0.5',
        '  User deploy',
        '  ProxyJump ops@gw:2022,relay',
        'Host gw',
        '  HostName gw.example.test',
        '  User ignored-for-ops',
        'Host relay',
        '  Port 2200',
        '',
      ].join('\n'),
    };
    const options = await dockerodeOptions(parseEngineAddress('ssh://box'), {
      env: { SSH_AUTH_SOCK: '/tmp/agent.sock', USER: 'ada' },
      platform: 'linux',
      homeDir: home,
      readFile: async (path) => {
        const text = files[path];
        if (text === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
        return text;
      },
    });
    expect(sshConfig(options)).toMatchObject({ host: '10.0.0.5', port: 22, username: 'deploy' });
    const agent = options.agent as SshDialAgent;
    expect(agent.jumps).toEqual([
      expect.objectContaining({
        host: 'gw.example.test',
        port: 2022,
        username: 'ops',
        authHandler: [{ type: 'agent', username: 'ops', agent: '/tmp/agent.sock' }],
        hostVerifier: expect.any(Function),
      }),
      expect.objectContaining({ host: 'relay', port: 2200, username: 'ada', hostVerifier: expect.any(Function) }),
    ]);
    // Each hop checks its host key on its own, and a failure is explained with that hop's name.
    expect(agent.jumps[0]!.hostVerifier).not.toBe(agent.jumps[1]!.hostVerifier);
    expect(options.remote?.route).toEqual({
      target: expect.objectContaining({ alias: 'box', host: '10.0.0.5', port: 22, username: 'deploy' }),
      jumps: [
        expect.objectContaining({ alias: 'gw', host: 'gw.example.test', port: 2022, username: 'ops' }),
        expect.objectContaining({ alias: 'relay', host: 'relay', port: 2200, username: 'ada' }),
      ],
    });
    agent.destroy();
  });

  it('a candidate in error is refused with its own message', async () => {
    await expect(dockerodeOptions(parseEngineAddress('ftp://x'))).rejects.toMatchObject({
      code: 'invalid-input',
      message: expect.stringMatching(/unsupported scheme/),
    });
  });
});
