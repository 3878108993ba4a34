import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const repoRoot = join(import.meta.dirname, '..', '..', '..');

/** A port free on loopback right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

async function waitForPort(port: number, child: ChildProcess, log: () => string): Promise<void> {
  for (let i = 0; i < 150; i++) {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}:\n${log()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing listened on 127.0.0.1:${port}:\n${log()}`);
}

/** An ssh key pair made with ssh-keygen: the private key file and the public key line. */
export function sshKey(path: string): { path: string; publicLine: string } {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'strata-test', '-f', path]);
  return { path, publicLine: readFileSync(`${path}.pub`, 'utf8').trim() };
}

/** A home folder whose ~/.ssh holds these files (mode 700/600 as ssh wants). */
export function sshHome(files: Record<string, string>): string {
  const home = mkdtempSync(join(tmpdir(), 'strata-ssh-home-'));
  mkdirSync(join(home, '.ssh'), { mode: 0o700 });
  for (const [name, content] of Object.entries(files))
    writeFileSync(join(home, '.ssh', name), content, { mode: 0o600 });
  return home;
}

export interface TestSshd {
  port: number;
  /** The host's public key line (`ssh-ed25519 AAAA…`), for known_hosts. */
  hostKey: string;
  /** The user key it accepts for root. */
  userKey: string;
  /** What sshd has logged so far. */
  log(): string;
  stop(): Promise<void>;
}

export interface TestSshdOptions {
  /** Allow forwarding connections onward (a jump host); off otherwise, as a plain engine host needs none. */
  forwarding?: boolean;
  /** sshd's LogLevel; DEBUG1 shows each forward asked for (`server_request_direct_tcpip: … target <host> port <n>`). */
  logLevel?: string;
}

/**
 * Debian's sshd with a configuration of its own, on loopback only: its own host key, root by key only, and
 * `docker` sessions that talk to the given engine (DOCKER_HOST from authorized_keys), never another. As a jump
 * host (`forwarding`) it forwards connections onward, which the tests point only at their own sshds on loopback.
 */
export async function startSshd(dockerHost: string, options: TestSshdOptions = {}): Promise<TestSshd> {
  const dir = mkdtempSync(join(tmpdir(), 'strata-sshd-'));
  const hostKey = sshKey(join(dir, 'host_key'));
  const userKey = sshKey(join(dir, 'user_key'));
  writeFileSync(join(dir, 'authorized_keys'), `environment="DOCKER_HOST=${dockerHost}" ${userKey.publicLine}\n`, {
    mode: 0o600,
  });
  const port = await freePort();
  writeFileSync(
    join(dir, 'sshd_config'),
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKey.path}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      'PermitRootLogin prohibit-password',
      'PubkeyAuthentication yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PermitUserEnvironment yes',
      'StrictModes no',
      'UsePAM no',
      `AllowTcpForwarding ${options.forwarding ? 'yes' : 'no'}`,
      `LogLevel ${options.logLevel ?? 'INFO'}`,
      'X11Forwarding no',
      // Fewer sessions per connection than OpenSSH's default 10, so the client's use of a second connection
      // when a server refuses another channel is exercised by every test.
      'MaxSessions 2',
      '',
    ].join('\n'),
  );
  // sshd refuses to start without its privilege separation folder (created by the service on a normal system).
  mkdirSync('/run/sshd', { recursive: true });
  chmodSync('/run/sshd', 0o755);
  const child = spawn('/usr/sbin/sshd', ['-f', join(dir, 'sshd_config'), '-D', '-e'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const output: string[] = [];
  child.stderr!.on('data', (d: Buffer) => output.push(d.toString()));
  await waitForPort(port, child, () => output.join(''));
  return {
    port,
    hostKey: hostKey.publicLine.split(' ').slice(0, 2).join(' '),
    userKey: readFileSync(userKey.path, 'utf8'),
    log: () => output.join(''),
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      // A session still open has inherited sshd's stderr; let go of it so this process is not held open.
      child.stderr?.destroy();
    },
  };
}

/** An ssh-agent of the test's own holding this key, on a socket in a temporary folder. */
export async function startSshAgent(keyPath: string): Promise<{ socket: string; stop(): Promise<void> }> {
  const socket = join(mkdtempSync(join(tmpdir(), 'strata-agent-')), 'agent.sock');
  const child = spawn('ssh-agent', ['-D', '-a', socket], { stdio: ['ignore', 'ignore', 'pipe'] });
  for (let i = 0; i < 100 && !existsSync(socket); i++) {
    if (child.exitCode !== null) throw new Error(`ssh-agent exited with ${child.exitCode}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  execFileSync('ssh-add', ['-q', keyPath], { env: { ...process.env, SSH_AUTH_SOCK: socket }, stdio: 'ignore' });
  return {
    socket,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

function openssl(cwd: string, ...args: string[]): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** A CA made with openssl; it signs server and client certificates. */
function makeCa(dir: string, name: string): void {
  openssl(dir, 'genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', `${name}-key.pem`);
  openssl(
    dir,
    'req',
    '-x509',
    '-new',
    '-key',
    `${name}-key.pem`,
    '-subj',
    `/CN=${name}`,
    '-days',
    '2',
    '-out',
    `${name}.pem`,
  );
}

function signCert(dir: string, ca: string, name: string, ext: string): void {
  openssl(dir, 'genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', `${name}-key.pem`);
  openssl(dir, 'req', '-new', '-key', `${name}-key.pem`, '-subj', `/CN=${name}`, '-out', `${name}.csr`);
  writeFileSync(join(dir, `${name}.ext`), ext);
  openssl(
    dir,
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    `${ca}.pem`,
    '-CAkey',
    `${ca}-key.pem`,
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    `${name}.ext`,
    '-out',
    `${name}.pem`,
  );
}

/** DOCKER_CERT_PATH-style folders (ca.pem, cert.pem, key.pem). */
export interface TestCerts {
  dir: string;
  /** The server's files, for dockerd. */
  server: { ca: string; cert: string; key: string };
  /** The right client folder. */
  client: string;
  /** A client folder whose ca.pem is another CA (the engine's certificate is not trusted). */
  wrongCa: string;
  /** A client folder whose cert.pem is signed by another CA (the engine refuses it). */
  wrongCert: string;
}

export function makeCerts(): TestCerts {
  const dir = mkdtempSync(join(tmpdir(), 'strata-tls-'));
  makeCa(dir, 'ca');
  makeCa(dir, 'other-ca');
  signCert(dir, 'ca', 'server', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  signCert(dir, 'ca', 'client', 'extendedKeyUsage=clientAuth\n');
  signCert(dir, 'other-ca', 'stranger', 'extendedKeyUsage=clientAuth\n');
  const folder = (name: string, ca: string, cert: string) => {
    const path = join(dir, name);
    mkdirSync(path);
    writeFileSync(join(path, 'ca.pem'), readFileSync(join(dir, `${ca}.pem`)));
    writeFileSync(join(path, 'cert.pem'), readFileSync(join(dir, `${cert}.pem`)));
    writeFileSync(join(path, 'key.pem'), readFileSync(join(dir, `${cert}-key.pem`)), { mode: 0o600 });
    return path;
  };
  return {
    dir,
    server: { ca: join(dir, 'ca.pem'), cert: join(dir, 'server.pem'), key: join(dir, 'server-key.pem') },
    client: folder('client', 'ca', 'client'),
    wrongCa: folder('wrong-ca', 'other-ca', 'client'),
    wrongCert: folder('wrong-cert', 'ca', 'stranger'),
  };
}

/**
 * A second engine of the project's own (scripts/test-engine.sh in a folder of its own), that also listens on
 * loopback TCP with TLS, verifying clients. Stopped by the script, which stops only the pids it recorded.
 */
export function startTlsEngine(certs: TestCerts, port: number): { stop(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'se-tls-'));
  const env = {
    ...process.env,
    STRATA_ENGINE_DIR: dir,
    STRATA_ENGINE_DOCKERD_ARGS: [
      '--tlsverify',
      `--tlscacert=${certs.server.ca}`,
      `--tlscert=${certs.server.cert}`,
      `--tlskey=${certs.server.key}`,
      `--host=tcp://127.0.0.1:${port}`,
    ].join(' '),
  };
  const script = join(repoRoot, 'scripts', 'test-engine.sh');
  const run = (command: 'start' | 'stop') =>
    execFileSync('bash', [script, command], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  run('start');
  return {
    stop() {
      run('stop');
      // Its images and containers go with it; a mount left busy is left to the system's tmp cleaning.
      try {
        rmSync(dir, { recursive: true, force: true });
      } catch {
        // Not fatal: the engine is stopped.
      }
    },
  };
}
