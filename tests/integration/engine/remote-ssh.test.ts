import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { Duplex } from 'node:stream';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createServices, disposeServices, type Services } from '../../../src-main/ipc/services';
import { discoverEngines } from '../../../src-main/core/engine/discover';
import { BUSYBOX, describeWithEngine, engineHost, onPodman } from '../engine-available';
import { listBuildSave } from './remote-flow';
import { sshHome, sshKey, startSshAgent, startSshd, type TestSshd } from './remote-engines';

// ssh://: dockerode (docker-modem over ssh2) runs `docker system dial-stdio` on the remote, here a local sshd of
// the test's own whose sessions reach the test engine.
describeWithEngine('an engine over ssh://', () => {
  let sshd: TestSshd;
  let address: string;
  const opened: Services[] = [];
  const tag = `strata-it-remote/ssh:${Date.now().toString(36)}`;

  /** The app's services as a person with this home folder (their ~/.ssh) and DOCKER_HOST would have them. */
  function servicesFor(home: string, env: NodeJS.ProcessEnv = {}): Services {
    const services = createServices({
      dataDir: mkdtempSync(join(tmpdir(), 'strata-ssh-data-')),
      env: { DOCKER_HOST: address, USER: 'root', PATH: process.env.PATH, ...env },
      homeDir: home,
    });
    opened.push(services);
    return services;
  }

  beforeAll(async () => {
    sshd = await startSshd(engineHost!);
    address = `ssh://root@127.0.0.1:${sshd.port}`;
  });

  afterAll(async () => {
    for (const s of opened) disposeServices(s);
    await sshd?.stop();
    try {
      execFileSync('docker', ['rmi', tag, `${tag}-buildkit`], { stdio: 'ignore' });
    } catch {
      // Not built (an earlier failure): nothing to remove.
    }
  });

  const knownHosts = () => `[127.0.0.1]:${sshd.port} ${sshd.hostKey}\n`;

  it('is found from DOCKER_HOST, connects, lists, builds (uploading the context over ssh) and saves', async () => {
    const home = sshHome({ id_ed25519: sshd.userKey, known_hosts: knownHosts() });
    const [candidate] = await discoverEngines({ env: { DOCKER_HOST: address }, homeDir: home, platform: 'linux' });
    expect(candidate).toMatchObject({ address, transport: 'ssh', source: 'DOCKER_HOST', present: true });

    const services = servicesFor(home);
    const status = await services.engine.connect();
    // The ssh server forwards to the test engine, whichever it is.
    expect(status).toMatchObject({
      state: 'connected',
      engine: { product: onPodman ? 'Podman' : 'Docker Engine', address },
    });
    const imageId = await listBuildSave(services.engine.docker(), tag);
    // BuildKit too: its context goes over the same transport (Podman has no BuildKit: classic only there).
    if (!onPodman) await listBuildSave(services.engine.docker(), `${tag}-buildkit`, 'buildkit');
    // The image is in the test engine behind the ssh server.
    expect(execFileSync('docker', ['image', 'inspect', '--format', '{{.Id}}', tag], { encoding: 'utf8' }).trim()).toBe(
      imageId,
    );
  });

  it('carries a hijacked exec (as the terminal uses) over ssh, and plain requests after it', async () => {
    const home = sshHome({ id_ed25519: sshd.userKey, known_hosts: knownHosts() });
    const services = servicesFor(home);
    await services.engine.connect();
    const docker = services.engine.docker();
    const container = await docker.createContainer({
      Image: BUSYBOX,
      Cmd: ['sleep', '60'],
      HostConfig: { NetworkMode: 'none' },
    });
    try {
      await container.start();
      const exec = await container.exec({
        Cmd: ['sh', '-c', 'read line; echo "got $line"'],
        AttachStdin: true,
        AttachStdout: true,
        Tty: true,
      });
      const stream = (await exec.start({ hijack: true, stdin: true, Tty: true })) as Duplex;
      const output: Buffer[] = [];
      stream.on('data', (d: Buffer) => output.push(d));
      const ended = new Promise((r) => stream.once('end', r));
      stream.write('over-ssh\n');
      await ended;
      expect(Buffer.concat(output).toString()).toContain('got over-ssh');
      expect((await docker.ping()).toString()).toBe('OK');
    } finally {
      await container.remove({ force: true });
    }
  });

  it('a key the server does not accept is refused with a message naming the key offered', async () => {
    const stranger = sshKey(join(mkdtempSync(join(tmpdir(), 'strata-ssh-key-')), 'id'));
    const home = sshHome({
      id_ed25519: execFileSync('cat', [stranger.path], { encoding: 'utf8' }),
      known_hosts: knownHosts(),
    });
    const services = servicesFor(home);
    await expect(services.engine.switchTo(address, async () => undefined)).rejects.toMatchObject({
      code: 'engine-unreachable',
      message: expect.stringContaining(
        `the SSH server refused the keys offered for root@127.0.0.1 (offered: ${join(home, '.ssh', 'id_ed25519')})`,
      ),
    });
  });

  it('an unknown host is refused, saying how to check and add its key', async () => {
    const home = sshHome({ id_ed25519: sshd.userKey });
    const services = servicesFor(home);
    await expect(services.engine.switchTo(address, async () => undefined)).rejects.toMatchObject({
      message: expect.stringContaining(
        `the SSH host [127.0.0.1]:${sshd.port} is not in ${join(home, '.ssh', 'known_hosts')}`,
      ),
    });
  });

  it('a changed host key is refused as a possible interception', async () => {
    const other = sshKey(join(mkdtempSync(join(tmpdir(), 'strata-ssh-key-')), 'host'));
    const stale = `[127.0.0.1]:${sshd.port} ${other.publicLine.split(' ').slice(0, 2).join(' ')}\n`;
    const home = sshHome({ id_ed25519: sshd.userKey, known_hosts: stale });
    const services = servicesFor(home);
    await expect(services.engine.switchTo(address, async () => undefined)).rejects.toMatchObject({
      message: expect.stringMatching(
        /the SSH host key of \[127\.0\.0\.1\]:\d+ has changed: .*ssh-ed25519.*intercepting/,
      ),
    });
  });

  it('a hashed known_hosts entry (ssh-keygen -H) is recognised', async () => {
    const home = sshHome({ id_ed25519: sshd.userKey, known_hosts: knownHosts() });
    execFileSync('ssh-keygen', ['-H', '-f', join(home, '.ssh', 'known_hosts')], { stdio: 'ignore' });
    expect(execFileSync('cat', [join(home, '.ssh', 'known_hosts')], { encoding: 'utf8' })).toMatch(/^\|1\|/);
    const services = servicesFor(home);
    const status = await services.engine.switchTo(address, async () => undefined);
    expect(status).toMatchObject({ state: 'connected', engine: { address } });
  });

  it('uses the key held by ssh-agent (SSH_AUTH_SOCK) when no key file is there', async () => {
    const keyFile = join(mkdtempSync(join(tmpdir(), 'strata-ssh-key-')), 'id');
    writeFileSync(keyFile, sshd.userKey, { mode: 0o600 });
    const agent = await startSshAgent(keyFile);
    try {
      const services = servicesFor(sshHome({ known_hosts: knownHosts() }), { SSH_AUTH_SOCK: agent.socket });
      const status = await services.engine.switchTo(address, async () => undefined);
      expect(status).toMatchObject({ state: 'connected', engine: { address } });
      expect((await services.engine.docker().ping()).toString()).toBe('OK');
    } finally {
      disposeServices(opened.pop()!);
      await agent.stop();
    }
  });
});
