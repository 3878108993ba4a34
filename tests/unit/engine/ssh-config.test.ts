import { describe, expect, it } from 'vitest';
import { resolveSshHost, type ResolveSshHostOptions } from '../../../src-main/core/engine/ssh-config';

const HOME = '/home/ann';

/** A machine whose files are these texts (anything else is missing), as resolveSshHost reads them. */
function machine(files: Record<string, string>, extra: Partial<ResolveSshHostOptions> = {}) {
  return (host: string, address: { port?: number; username?: string } = {}) =>
    resolveSshHost({
      host,
      ...address,
      env: { USER: 'ann', WORK: '/srv/work' },
      homeDir: HOME,
      platform: 'linux',
      localHostName: 'desk.example.test',
      readFile: async (path) => {
        const text = files[path];
        if (text === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
        return text;
      },
      readDir: async (dir) =>
        Object.keys(files)
          .filter((p) => p.startsWith(`${dir}/`) && !p.slice(dir.length + 1).includes('/'))
          .map((p) => p.slice(dir.length + 1)),
      ...extra,
    });
}

const CONFIG = `${HOME}/.ssh/config`;

describe('resolveSshHost (~/.ssh/config, as ssh reads it)', () => {
  it('without a config: the address as given, the local user, port 22, the default known_hosts files', async () => {
    const host = await machine({})('build.example.test');
    expect(host).toEqual({
      alias: 'build.example.test',
      hostName: 'build.example.test',
      port: 22,
      username: 'ann',
      identityFiles: [],
      identitiesOnly: false,
      knownHostsFiles: [`${HOME}/.ssh/known_hosts`, `${HOME}/.ssh/known_hosts2`],
      globalKnownHostsFiles: ['/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2'],
      strictHostKeyChecking: 'yes',
      hashKnownHosts: false,
      configFiles: [],
    });
  });

  it('an alias: HostName, Port, User, IdentityFile (~ and tokens), IdentitiesOnly, known hosts, strictness', async () => {
    const host = await machine({
      [CONFIG]: [
        'Host builder',
        '  HostName 10.1.2.3',
        '  Port 2222',
        '  User deploy',
        '  IdentityFile ~/.ssh/builder_%r@%h-%p',
        '  IdentityFile %d/keys/%u/%n',
        '  IdentitiesOnly yes',
        '  UserKnownHostsFile ~/.ssh/known_builders "${WORK}/known hosts"',
        '  StrictHostKeyChecking accept-new',
        '  HashKnownHosts yes',
        '',
      ].join('\n'),
    })('builder');
    expect(host).toMatchObject({
      alias: 'builder',
      hostName: '10.1.2.3',
      port: 2222,
      username: 'deploy',
      identityFiles: [`${HOME}/.ssh/builder_deploy@10.1.2.3-2222`, `${HOME}/keys/ann/builder`],
      identitiesOnly: true,
      knownHostsFiles: [`${HOME}/.ssh/known_builders`, '/srv/work/known hosts'],
      strictHostKeyChecking: 'accept-new',
      hashKnownHosts: true,
      configFiles: [CONFIG],
    });
  });

  it("the address's own user and port win over the config, as on ssh's command line", async () => {
    const files = { [CONFIG]: 'Host builder\n  HostName 10.1.2.3\n  Port 2222\n  User deploy\n' };
    const host = await machine(files)('builder', { port: 22022, username: 'root' });
    expect(host).toMatchObject({ hostName: '10.1.2.3', port: 22022, username: 'root' });
  });

  it('the first value obtained wins: a specific Host before Host *, the user file before the system file', async () => {
    const host = await machine({
      [CONFIG]: 'Port 2000\nHost b*\n  User first\nHost *\n  User later\n  StrictHostKeyChecking no\n',
      '/etc/ssh/ssh_config':
        'Host *\n  Port 3000\n  User system\n  StrictHostKeyChecking yes\n  IdentityFile ~/.ssh/sys\n',
    })('builder');
    expect(host).toMatchObject({
      port: 2000,
      username: 'first',
      strictHostKeyChecking: 'no',
      identityFiles: [`${HOME}/.ssh/sys`],
      configFiles: [CONFIG, '/etc/ssh/ssh_config'],
    });
  });

  it('a host the config does not name keeps its own name; negated patterns and %h in HostName', async () => {
    const resolve = machine({
      [CONFIG]: 'Host *.lab !old.lab\n  HostName %h.example.test\n  User labber\n',
    });
    expect(await resolve('other')).toMatchObject({ hostName: 'other', username: 'ann' });
    expect(await resolve('new.lab')).toMatchObject({ hostName: 'new.lab.example.test', username: 'labber' });
    expect(await resolve('old.lab')).toMatchObject({ hostName: 'old.lab', username: 'ann' });
  });

  it('Match host looks at the HostName, Match user at the user', async () => {
    const resolve = machine({
      [CONFIG]: 'Host b\n  HostName 10.9.9.9\nMatch host 10.9.* user root\n  Port 2200\n',
    });
    expect(await resolve('b', { username: 'root' })).toMatchObject({ port: 2200 });
    expect(await resolve('b', { username: 'ann' })).toMatchObject({ port: 22 });
  });

  it('Include: relative to ~/.ssh, with a glob, and an Include inside a Host block stays in it', async () => {
    const host = await machine({
      [CONFIG]: 'Include conf.d/*.conf\nHost builder\n  Include builder-extra\n  User deploy\n',
      [`${HOME}/.ssh/conf.d/10-a.conf`]: 'Host builder\n  HostName 10.0.0.10\n',
      [`${HOME}/.ssh/conf.d/20-b.conf`]: 'Host other\n  Port 9\n',
      [`${HOME}/.ssh/builder-extra`]: 'Port 2022\n',
    })('builder');
    expect(host).toMatchObject({ hostName: '10.0.0.10', port: 2022, username: 'deploy' });
    expect(host.configFiles).toEqual([
      CONFIG,
      `${HOME}/.ssh/conf.d/10-a.conf`,
      `${HOME}/.ssh/conf.d/20-b.conf`,
      `${HOME}/.ssh/builder-extra`,
    ]);
  });

  it('StrictHostKeyChecking: ask (no prompt here) and an unset one check strictly; off is no', async () => {
    const strictness = async (value: string) =>
      (await machine({ [CONFIG]: `Host h\n  StrictHostKeyChecking ${value}\n` })('h')).strictHostKeyChecking;
    expect(await strictness('ask')).toBe('yes');
    expect(await strictness('off')).toBe('no');
    expect(await strictness('accept-new')).toBe('accept-new');
  });

  it('UserKnownHostsFile none and HostKeyAlias', async () => {
    const host = await machine({ [CONFIG]: 'Host h\n  UserKnownHostsFile none\n  HostKeyAlias engine-box\n' })('h');
    expect(host).toMatchObject({ knownHostsFiles: [], hostKeyAlias: 'engine-box' });
  });

  it('ProxyJump is read into its jump hosts, in order, with %h %n %p %r expanded; `none` means none', async () => {
    const resolve = machine({
      [CONFIG]: [
        'Host jumped',
        '  HostName 10.0.0.5',
        '  Port 2200',
        '  User deploy',
        '  ProxyJump gw, ignored',
        'Host chained',
        '  ProxyJump ssh://ops@gw1:2022,%r@gw2-for-%n,[fd00::1]:22',
        'Host plain',
        '  ProxyJump none',
        'Host *',
        '  ProxyJump fallback',
        '',
      ].join('\n'),
    });
    // The first value wins, as in ssh: `gw, ignored` is refused whole (a space is no host name).
    await expect(resolve('jumped')).rejects.toMatchObject({
      code: 'invalid-input',
      message: expect.stringContaining('sets ProxyJump gw, ignored for jumped: " ignored" is not a valid host name'),
    });
    expect((await resolve('chained', { username: 'root' })).proxyJump).toEqual([
      { user: 'ops', host: 'gw1', port: 2022, text: 'ssh://ops@gw1:2022' },
      { user: 'root', host: 'gw2-for-chained', text: '%r@gw2-for-%n' },
      { host: 'fd00::1', port: 22, text: '[fd00::1]:22' },
    ]);
    // `ProxyJump none` before `Host *`'s ProxyJump: the first value wins, and it is none.
    expect(await resolve('plain')).not.toHaveProperty('proxyJump');
    expect((await resolve('other')).proxyJump).toEqual([{ host: 'fallback', text: 'fallback' }]);
  });

  it('%j is the jump host connected to last, and part of %C', async () => {
    const host = await machine({ [CONFIG]: 'Host h\n  ProxyJump a,b:2200\n  IdentityFile ~/.ssh/via-%j\n' })('h');
    expect(host.identityFiles).toEqual([`${HOME}/.ssh/via-b`]);
  });

  it('ProxyCommand is refused, saying what to do instead (ProxyJump among it); `none` is fine', async () => {
    const resolve = machine({
      [CONFIG]: 'Host piped\n  ProxyCommand ssh -W %h:%p bastion\nHost plain\n  ProxyCommand none\n',
    });
    await expect(resolve('piped')).rejects.toMatchObject({
      code: 'invalid-input',
      message: expect.stringMatching(
        /sets ProxyCommand ssh -W %h:%p bastion for piped; Strata does not connect through ProxyCommand yet\. .*ssh -L .*`ProxyJump <jump host>` does the same/,
      ),
    });
    await expect(resolve('plain')).resolves.toMatchObject({ hostName: 'plain' });
  });

  it('ProxyJump and ProxyCommand compete as in ssh: the first set wins, except that `ProxyJump none` does not', async () => {
    const resolve = machine({
      [CONFIG]: [
        'Host jump-first',
        '  ProxyJump gw',
        '  ProxyCommand nc %h %p',
        'Host command-first',
        '  ProxyCommand nc %h %p',
        '  ProxyJump gw',
        'Host command-none',
        '  ProxyCommand none',
        '  ProxyJump gw',
        'Host jump-none',
        '  ProxyJump none',
        '  ProxyCommand nc %h %p',
        '',
      ].join('\n'),
    });
    expect((await resolve('jump-first')).proxyJump).toEqual([{ host: 'gw', text: 'gw' }]);
    await expect(resolve('command-first')).rejects.toMatchObject({ message: expect.stringContaining('ProxyCommand') });
    expect(await resolve('command-none')).not.toHaveProperty('proxyJump');
    await expect(resolve('jump-none')).rejects.toMatchObject({ message: expect.stringContaining('ProxyCommand') });
  });

  it('a host reached with its jumps given (as `ssh -J` does for the hops of a chain) ignores its own', async () => {
    const files = { [CONFIG]: 'Host gw\n  ProxyJump other\n  ProxyCommand nc %h %p\n  IdentityFile ~/.ssh/via-%j\n' };
    const host = await machine(files, { jumpsGiven: [{ host: 'first', text: 'first' }] })('gw');
    expect(host).not.toHaveProperty('proxyJump');
    // %j is the jump host given.
    expect(host.identityFiles).toEqual([`${HOME}/.ssh/via-first`]);
  });

  it('an unknown %-token, an unset ${VAR} or a bad Port is an error naming the option', async () => {
    await expect(machine({ [CONFIG]: 'Host h\n  IdentityFile ~/.ssh/%Z\n' })('h')).rejects.toMatchObject({
      message: expect.stringContaining('IdentityFile ~/.ssh/%Z uses %Z'),
    });
    await expect(machine({ [CONFIG]: 'Host h\n  IdentityFile ${NOPE}/k\n' })('h')).rejects.toMatchObject({
      message: expect.stringContaining('${NOPE}'),
    });
    await expect(machine({ [CONFIG]: 'Host h\n  Port twenty\n' })('h')).rejects.toMatchObject({
      message: expect.stringContaining('Port twenty'),
    });
  });

  it('Match exec is not run (its block does not apply)', async () => {
    const host = await machine({ [CONFIG]: 'Match exec "true"\n  Port 7\n' })('h');
    expect(host.port).toBe(22);
  });
});
