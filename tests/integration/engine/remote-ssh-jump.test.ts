import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createServices, disposeServices, type Services } from '../../../src-main/ipc/services';
import { dockerodeOptions, parseEngineAddress } from '../../../src-main/core/engine/discover';
import { SshDialAgent } from '../../../src-main/core/engine/ssh-dial-agent';
import { listImages } from '../../../src-main/core/images/list-images';
import { BUSYBOX, describeWithEngine, engineHost } from '../engine-available';
import { freePort, sshHome, sshKey, startSshd, type TestSshd } from './remote-engines';

// ProxyJump: the engine's sshd is reached through jump hosts, each its own sshd on loopback with its own host key
// and user key. On loopback every sshd could be reached directly too, so each test reads the jump hosts' logs
// (LogLevel DEBUG1) to see the forward they were asked for: the hop was used, to the next hop's port.
describeWithEngine('an engine over ssh:// behind jump hosts (ProxyJump)', () => {
  let bastion: TestSshd;
  let relay: TestSshd;
  let engine: TestSshd;
  const opened: Services[] = [];

  beforeAll(async () => {
    [bastion, relay, engine] = await Promise.all([
      startSshd(engineHost!, { forwarding: true, logLevel: 'DEBUG1' }),
      startSshd(engineHost!, { forwarding: true, logLevel: 'DEBUG1' }),
      // The engine's host forwards nothing: used as a jump host, it refuses.
      startSshd(engineHost!),
    ]);
  });

  afterAll(async () => {
    for (const s of opened) disposeServices(s);
    await Promise.all([bastion?.stop(), relay?.stop(), engine?.stop()]);
  });

  const known = (sshd: TestSshd) => `[127.0.0.1]:${sshd.port} ${sshd.hostKey}\n`;
  /** A Host block for one of the sshds: its port, its own user key and known-hosts file. */
  const block = (alias: string, name: string, sshd: TestSshd, extra: string[] = []) => [
    `Host ${alias}`,
    '  HostName 127.0.0.1',
    `  Port ${sshd.port}`,
    '  User root',
    `  IdentityFile ~/keys/${name}`,
    `  UserKnownHostsFile ~/.ssh/${name}_known_hosts`,
    ...extra,
  ];
  /** A home with ~/.ssh/config, every sshd's user key in ~/keys and each one's known hosts (unless replaced). */
  function homeWith(config: string[], files: Record<string, string> = {}): string {
    const home = sshHome({
      config: [...config, ''].join('\n'),
      bastion_known_hosts: known(bastion),
      relay_known_hosts: known(relay),
      engine_known_hosts: known(engine),
      ...files,
    });
    mkdirSync(join(home, 'keys'), { mode: 0o700 });
    for (const [name, sshd] of [
      ['bastion', bastion],
      ['relay', relay],
      ['engine', engine],
    ] as const)
      writeFileSync(join(home, 'keys', name), sshd.userKey, { mode: 0o600 });
    return home;
  }
  const forwardTo = (sshd: TestSshd) => `target 127.0.0.1 port ${sshd.port}`;
  const forwardsIn = (log: string, to: TestSshd) => log.split(forwardTo(to)).length - 1;

  function servicesFor(home: string, address: string): Services {
    const services = createServices({
      dataDir: mkdtempSync(join(tmpdir(), 'strata-ssh-data-')),
      env: { DOCKER_HOST: address, USER: 'nobody-here', PATH: process.env.PATH },
      homeDir: home,
    });
    opened.push(services);
    return services;
  }
  const refusal = (home: string, address = 'ssh://engine-box') =>
    servicesFor(home, address).engine.switchTo(address, async () => undefined);

  it('lists images through a jump host, each hop with its own key and known hosts', async () => {
    const home = homeWith([
      ...block('engine-box', 'engine', engine, ['  ProxyJump bastion']),
      ...block('bastion', 'bastion', bastion),
    ]);
    const before = forwardsIn(bastion.log(), engine);
    const services = servicesFor(home, 'ssh://engine-box');
    expect(await services.engine.connect()).toMatchObject({
      state: 'connected',
      engine: { address: 'ssh://engine-box' },
    });
    const listed = await listImages(services.engine.docker());
    expect(listed.rows.map((r) => `${r.repository}:${r.tag}`)).toContain(BUSYBOX);
    // The bastion was asked to forward to the engine's sshd: the route went through it.
    expect(forwardsIn(bastion.log(), engine)).toBeGreaterThan(before);
  });

  it('goes through a chain of two jump hosts in order (the second written as an ssh:// URI)', async () => {
    const home = homeWith([
      ...block('engine-box', 'engine', engine, [`  ProxyJump bastion,ssh://root@127.0.0.1:${relay.port}`]),
      ...block('bastion', 'bastion', bastion),
      // The URI's host is looked up in the config as any jump host is: its key and known hosts come from here.
      'Host 127.0.0.1',
      '  IdentityFile ~/keys/relay',
      '  UserKnownHostsFile ~/.ssh/relay_known_hosts',
    ]);
    const [toRelay, toEngine] = [forwardsIn(bastion.log(), relay), forwardsIn(relay.log(), engine)];
    const services = servicesFor(home, 'ssh://engine-box');
    expect(await services.engine.connect()).toMatchObject({ state: 'connected' });
    const listed = await listImages(services.engine.docker());
    expect(listed.rows.map((r) => `${r.repository}:${r.tag}`)).toContain(BUSYBOX);
    // The bastion forwarded to the relay, and the relay to the engine's sshd.
    expect(forwardsIn(bastion.log(), relay)).toBeGreaterThan(toRelay);
    expect(forwardsIn(relay.log(), engine)).toBeGreaterThan(toEngine);
  });

  it('a changed host key on the jump host is refused, naming the jump host and its known-hosts file', async () => {
    const other = sshKey(join(mkdtempSync(join(tmpdir(), 'strata-ssh-key-')), 'host'));
    const stale = `[127.0.0.1]:${bastion.port} ${other.publicLine.split(' ').slice(0, 2).join(' ')}\n`;
    const home = homeWith(
      [...block('engine-box', 'engine', engine, ['  ProxyJump bastion']), ...block('bastion', 'bastion', bastion)],
      { bastion_known_hosts: stale },
    );
    const before = forwardsIn(bastion.log(), engine);
    await expect(refusal(home)).rejects.toMatchObject({
      code: 'engine-unreachable',
      message: expect.stringContaining(
        `No engine answered at ssh://engine-box: jump host bastion (hop 1 of 2, root@127.0.0.1:${bastion.port}): ` +
          `refused: the SSH host key of [127.0.0.1]:${bastion.port} has changed: its ssh-ed25519 host key does not ` +
          `match the one in ${join(home, '.ssh', 'bastion_known_hosts')}`,
      ),
    });
    // Nothing went past the bastion whose key did not match.
    expect(forwardsIn(bastion.log(), engine)).toBe(before);
  });

  it('unknown host keys: at a jump host, and at the engine behind it (no ssh-keyscan, which would go direct)', async () => {
    const config = [
      ...block('engine-box', 'engine', engine, ['  ProxyJump bastion']),
      ...block('bastion', 'bastion', bastion),
    ];
    await expect(refusal(homeWith(config, { bastion_known_hosts: '' }))).rejects.toMatchObject({
      message: expect.stringMatching(
        new RegExp(
          `jump host bastion \\(hop 1 of 2, root@127\\.0\\.0\\.1:${bastion.port}\\): refused: the SSH host ` +
            `\\[127\\.0\\.0\\.1\\]:${bastion.port} is not in .*bastion_known_hosts.*Connect once with \`ssh bastion\``,
        ),
      ),
    });
    const home = homeWith(config, { engine_known_hosts: '' });
    const failure = refusal(home);
    await expect(failure).rejects.toMatchObject({
      message: expect.stringContaining(
        `engine-box (hop 2 of 2, root@127.0.0.1:${engine.port}, through bastion): refused: the SSH host ` +
          `[127.0.0.1]:${engine.port} is not in ${join(home, '.ssh', 'engine_known_hosts')}, so its identity cannot ` +
          'be checked. Connect once with `ssh -J bastion engine-box` and accept the key if its fingerprint is right.',
      ),
    });
  });

  it('a key the jump host refuses is named with the jump host', async () => {
    const stranger = sshKey(join(mkdtempSync(join(tmpdir(), 'strata-ssh-key-')), 'id'));
    const home = homeWith([
      ...block('engine-box', 'engine', engine, ['  ProxyJump bastion']),
      ...block('bastion', 'bastion', bastion).map((l) => l.replace('~/keys/bastion', stranger.path)),
    ]);
    await expect(refusal(home)).rejects.toMatchObject({
      message: expect.stringContaining(
        `jump host bastion (hop 1 of 2, root@127.0.0.1:${bastion.port}): the SSH server refused the keys offered ` +
          `for root@127.0.0.1 (offered: ${stranger.path})`,
      ),
    });
  });

  it('a jump host that does not answer, one that forwards nothing, and a next hop that does not answer', async () => {
    const nobody = await freePort();
    const gone = homeWith([
      ...block('engine-box', 'engine', engine, ['  ProxyJump gone']),
      'Host gone',
      '  HostName 127.0.0.1',
      `  Port ${nobody}`,
    ]);
    await expect(refusal(gone)).rejects.toMatchObject({
      message: expect.stringContaining(
        `jump host gone (hop 1 of 2, nobody-here@127.0.0.1:${nobody}): connection refused (no SSH server listens at 127.0.0.1:${nobody})`,
      ),
    });

    // The engine's own sshd has AllowTcpForwarding no: as a jump host it refuses to forward.
    const closed = homeWith([
      ...block('behind', 'relay', relay, ['  ProxyJump closed-gw']),
      ...block('closed-gw', 'engine', engine),
    ]);
    await expect(refusal(closed, 'ssh://behind')).rejects.toMatchObject({
      message: expect.stringMatching(
        new RegExp(
          `jump host closed-gw \\(hop 1 of 2, root@127\\.0\\.0\\.1:${engine.port}\\) would not forward a connection to ` +
            `127\\.0\\.0\\.1:${relay.port} \\(behind, the engine's host\\): .*AllowTcpForwarding yes`,
        ),
      ),
    });

    const dead = homeWith([
      ...block('engine-box', 'engine', engine, ['  ProxyJump bastion']).map((l) =>
        l.replace(`Port ${engine.port}`, `Port ${nobody}`),
      ),
      ...block('bastion', 'bastion', bastion),
    ]);
    await expect(refusal(dead)).rejects.toMatchObject({
      message: expect.stringContaining(
        `jump host bastion (hop 1 of 2, root@127.0.0.1:${bastion.port}) could not connect to 127.0.0.1:${nobody} ` +
          `(engine-box, the engine's host): Connection refused; check the HostName and Port of engine-box as bastion sees them`,
      ),
    });
  });

  it('requests share one route; closing the engine connection closes the jump host connections too', async () => {
    const home = homeWith([
      ...block('engine-box', 'engine', engine, ['  ProxyJump bastion']),
      ...block('bastion', 'bastion', bastion),
    ]);
    const env = { USER: 'nobody-here' };
    const options = await dockerodeOptions(parseEngineAddress('ssh://engine-box', { env, homeDir: home }), {
      env,
      homeDir: home,
    });
    const agent = options.agent as SshDialAgent;
    const docker = new Docker(options);
    const mark = bastion.log().length;
    for (let i = 0; i < 3; i++) expect((await docker.ping()).toString()).toBe('OK');
    await docker.listImages();
    const log = bastion.log().slice(mark);
    // One forward through the bastion for all four requests: one route, its channel kept between requests.
    expect(forwardsIn(log, engine)).toBe(1);
    const logins = [...log.matchAll(/Accepted publickey for root from 127\.0\.0\.1 port (\d+)/g)].map((m) => m[1]);
    expect(logins).toHaveLength(1);
    agent.destroy();
    // The bastion sees that very connection end: closing the engine's connection closed the hop under it.
    const ended = new RegExp(`Disconnected from user root 127\\.0\\.0\\.1 port ${logins[0]}(?!\\d)`);
    await until(() => ended.test(bastion.log()));
  });

  it('a one-shot command through a jump host ends by itself once its request is done', async () => {
    const home = homeWith([
      ...block('engine-box', 'engine', engine, ['  ProxyJump bastion']),
      ...block('bastion', 'bastion', bastion),
    ]);
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', resolve('tests/fixtures/engine/list-over-ssh.ts'), 'ssh://engine-box', home],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    try {
      await until(() => /listed \d+/.test(output) || child.exitCode !== null, 60_000);
      expect(output).toMatch(/listed [1-9]\d*/);
      // A connection held open would keep it alive until the idle close (10 s for the channel, then 30 s).
      const ended = await Promise.race([exited, new Promise<'alive'>((r) => setTimeout(() => r('alive'), 8_000))]);
      expect(ended, `the process did not end by itself after listing:\n${output}`).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGTERM');
    }
  });
});

/** Wait until the condition holds, checking every 100 ms; fail with what was waited for after `timeoutMs`. */
async function until(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  for (let waited = 0; !condition(); waited += 100) {
    if (waited >= timeoutMs) throw new Error(`still waiting after ${timeoutMs} ms for: ${condition.toString()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
