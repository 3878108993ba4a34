import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createServices, disposeServices, type Services } from '../../../src-main/ipc/services';
import { discoverEngines } from '../../../src-main/core/engine/discover';
import { listImages } from '../../../src-main/core/images/list-images';
import { BUSYBOX, describeWithEngine, engineHost } from '../engine-available';
import { sshHome, sshKey, startSshAgent, startSshd, type TestSshd } from './remote-engines';

// ssh://alias: the host of the address is looked up in ~/.ssh/config, as the ssh command the docker CLI runs does.
// Each test's home folder has a config whose alias maps to the test's own sshd on loopback.
describeWithEngine('an engine over ssh:// through ~/.ssh/config', () => {
  let sshd: TestSshd;
  /** The user key's public line, for IdentityFile.pub tests. */
  let userPublic: string;
  const opened: Services[] = [];

  beforeAll(async () => {
    sshd = await startSshd(engineHost!);
    const dir = mkdtempSync(join(tmpdir(), 'strata-ssh-key-'));
    writeFileSync(join(dir, 'id'), sshd.userKey, { mode: 0o600 });
    userPublic = execFileSync('ssh-keygen', ['-y', '-f', join(dir, 'id')], { encoding: 'utf8' }).trim();
  });

  afterAll(async () => {
    for (const s of opened) disposeServices(s);
    await sshd?.stop();
  });

  /** A home whose ~/.ssh/config maps `engine-box` to the test sshd; the user key is not a default key file. */
  function homeWith(config: string[], files: Record<string, string> = {}): string {
    const home = sshHome({ config: [...config, ''].join('\n'), ...files });
    mkdirSync(join(home, 'keys'), { mode: 0o700 });
    writeFileSync(join(home, 'keys', 'engine'), sshd.userKey, { mode: 0o600 });
    return home;
  }
  const alias = () => [
    'Host engine-box',
    '  HostName 127.0.0.1',
    `  Port ${sshd.port}`,
    '  User root',
    '  IdentityFile ~/keys/engine',
    '  UserKnownHostsFile ~/.ssh/engine_known_hosts',
  ];
  const knownHosts = () => `[127.0.0.1]:${sshd.port} ${sshd.hostKey}\n`;

  function servicesFor(home: string, address: string, env: NodeJS.ProcessEnv = {}): Services {
    const services = createServices({
      dataDir: mkdtempSync(join(tmpdir(), 'strata-ssh-data-')),
      env: { DOCKER_HOST: address, USER: 'nobody-here', PATH: process.env.PATH, ...env },
      homeDir: home,
    });
    opened.push(services);
    return services;
  }

  it('ssh://alias takes HostName, Port, User, IdentityFile and UserKnownHostsFile from the config', async () => {
    const home = homeWith(alias(), { engine_known_hosts: knownHosts() });
    const [candidate] = await discoverEngines({
      env: { DOCKER_HOST: 'ssh://engine-box' },
      homeDir: home,
      platform: 'linux',
    });
    expect(candidate).toMatchObject({ address: 'ssh://engine-box', transport: 'ssh', present: true });
    const services = servicesFor(home, 'ssh://engine-box');
    expect(await services.engine.connect()).toMatchObject({
      state: 'connected',
      engine: { address: 'ssh://engine-box' },
    });
    const listed = await listImages(services.engine.docker());
    expect(listed.rows.map((r) => `${r.repository}:${r.tag}`)).toContain(BUSYBOX);
  });

  it("the address's own user wins over the config's User", async () => {
    const home = homeWith(alias(), { engine_known_hosts: knownHosts() });
    const services = servicesFor(home, 'ssh://daemon@engine-box');
    await expect(services.engine.switchTo('ssh://daemon@engine-box', async () => undefined)).rejects.toMatchObject({
      code: 'engine-unreachable',
      message: expect.stringContaining(
        `refused the keys offered for daemon@127.0.0.1 (offered: ${join(home, 'keys', 'engine')})`,
      ),
    });
  });

  it('StrictHostKeyChecking accept-new: a new host is accepted and written to the UserKnownHostsFile', async () => {
    // HashKnownHosts no: the line names the host (Debian's /etc/ssh/ssh_config says yes, and the user's file wins).
    const home = homeWith([...alias(), '  StrictHostKeyChecking accept-new', '  HashKnownHosts no']);
    const services = servicesFor(home, 'ssh://engine-box');
    expect(await services.engine.connect()).toMatchObject({ state: 'connected' });
    const written = readFileSync(join(home, '.ssh', 'engine_known_hosts'), 'utf8');
    expect(written).toBe(knownHosts());
    // A changed key is still refused under accept-new.
    const other = sshKey(join(mkdtempSync(join(tmpdir(), 'strata-ssh-key-')), 'host'));
    const stale = `[127.0.0.1]:${sshd.port} ${other.publicLine.split(' ').slice(0, 2).join(' ')}\n`;
    const changed = homeWith([...alias(), '  StrictHostKeyChecking accept-new'], { engine_known_hosts: stale });
    await expect(
      servicesFor(changed, 'ssh://engine-box').engine.switchTo('ssh://engine-box', async () => undefined),
    ).rejects.toMatchObject({ message: expect.stringMatching(/has changed/) });
  });

  it('accept-new with HashKnownHosts yes: the host is written hashed, and OpenSSH finds it there', async () => {
    const home = homeWith([...alias(), '  StrictHostKeyChecking accept-new', '  HashKnownHosts yes']);
    const services = servicesFor(home, 'ssh://engine-box');
    expect(await services.engine.connect()).toMatchObject({ state: 'connected' });
    const file = join(home, '.ssh', 'engine_known_hosts');
    const written = readFileSync(file, 'utf8');
    // Hashed as ssh writes it: no host name in the file, the key as the server presented it.
    expect(written).toMatch(/^\|1\|[A-Za-z0-9+/]{27}=\|[A-Za-z0-9+/]{27}= /);
    expect(written).not.toContain('127.0.0.1');
    expect(written.split(' ').slice(1).join(' ')).toBe(`${sshd.hostKey}\n`);
    // OpenSSH's own lookup finds the host in what Strata wrote.
    const found = execFileSync('ssh-keygen', ['-F', `[127.0.0.1]:${sshd.port}`, '-f', file], { encoding: 'utf8' });
    expect(found).toContain(`Host [127.0.0.1]:${sshd.port} found: line 1`);
    // And a second connection takes the hashed line as known.
    expect(await servicesFor(home, 'ssh://engine-box').engine.connect()).toMatchObject({ state: 'connected' });
    expect(readFileSync(file, 'utf8')).toBe(written);
  });

  it('StrictHostKeyChecking yes (the default): an unknown host is refused, naming the file and the alias', async () => {
    const home = homeWith(alias());
    const services = servicesFor(home, 'ssh://engine-box');
    await expect(services.engine.switchTo('ssh://engine-box', async () => undefined)).rejects.toMatchObject({
      message: expect.stringContaining(
        `the SSH host [127.0.0.1]:${sshd.port} is not in ${join(home, '.ssh', 'engine_known_hosts')}, ` +
          'so its identity cannot be checked. Connect once with `ssh engine-box`',
      ),
    });
  });

  it('IdentitiesOnly keeps the agent to the IdentityFile keys (matched by their .pub)', async () => {
    const keyFile = join(mkdtempSync(join(tmpdir(), 'strata-ssh-key-')), 'id');
    writeFileSync(keyFile, sshd.userKey, { mode: 0o600 });
    const agent = await startSshAgent(keyFile);
    try {
      const config = (identity: string) => [
        'Host engine-box',
        '  HostName 127.0.0.1',
        `  Port ${sshd.port}`,
        '  User root',
        `  IdentityFile ${identity}`,
        '  IdentitiesOnly yes',
      ];
      const stranger = sshKey(join(mkdtempSync(join(tmpdir(), 'strata-ssh-key-')), 'id'));
      // Only the public half is there: the agent holds the private one.
      const right = homeWith(config('~/.ssh/agent_key'), { 'agent_key.pub': userPublic, known_hosts: knownHosts() });
      const env = { SSH_AUTH_SOCK: agent.socket };
      expect(
        await servicesFor(right, 'ssh://engine-box', env).engine.switchTo('ssh://engine-box', async () => undefined),
      ).toMatchObject({ state: 'connected' });
      // The agent's key is not the IdentityFile's: not offered, and the stranger's key is refused.
      const wrong = homeWith(config(stranger.path), { known_hosts: knownHosts() });
      await expect(
        servicesFor(wrong, 'ssh://engine-box', env).engine.switchTo('ssh://engine-box', async () => undefined),
      ).rejects.toMatchObject({
        message: expect.stringContaining(
          'refused the keys offered for root@127.0.0.1 (offered: the ssh agent (only the IdentityFile keys, ' +
            `as IdentitiesOnly says), ${stranger.path})`,
        ),
      });
    } finally {
      for (const s of opened.splice(0)) disposeServices(s);
      await agent.stop();
    }
  });

  it('ProxyCommand is refused before connecting, saying Strata does not run it (ProxyJump is followed)', async () => {
    const home = homeWith([...alias(), '  ProxyCommand ssh -W %h:%p bastion.example.test'], {
      engine_known_hosts: knownHosts(),
    });
    const services = servicesFor(home, 'ssh://engine-box');
    await expect(services.engine.switchTo('ssh://engine-box', async () => undefined)).rejects.toMatchObject({
      message: expect.stringContaining(
        'sets ProxyCommand ssh -W %h:%p bastion.example.test for engine-box; Strata does not connect through ' +
          'ProxyCommand yet.',
      ),
    });
  });
});
