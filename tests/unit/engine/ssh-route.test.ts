import { describe, expect, it } from 'vitest';
import type { ResolveSshHostOptions } from '../../../src-main/core/engine/ssh-config';
import { MAX_JUMPS, resolveSshRoute } from '../../../src-main/core/engine/ssh-route';

const HOME = '/home/ann';
const CONFIG = `${HOME}/.ssh/config`;

/** Resolve a route on a machine whose only file is this ~/.ssh/config. */
function routeFor(config: string[], host: string, address: Partial<ResolveSshHostOptions> = {}) {
  return resolveSshRoute({
    host,
    ...address,
    env: { USER: 'ann' },
    homeDir: HOME,
    platform: 'linux',
    localHostName: 'desk.example.test',
    readFile: async (path) => {
      if (path === CONFIG) return [...config, ''].join('\n');
      throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
    },
    readDir: async () => [],
  });
}

/** The route as `user@host:port` of each hop, jump hosts first. */
async function hops(config: string[], host: string, address: Partial<ResolveSshHostOptions> = {}) {
  const route = await routeFor(config, host, address);
  return [...route.jumps, route.target].map((h) => `${h.alias}=${h.username}@${h.hostName}:${h.port}`);
}

describe('resolveSshRoute (ProxyJump, as OpenSSH follows it)', () => {
  it('no ProxyJump: the target alone', async () => {
    const route = await routeFor(['Host box', '  HostName 10.0.0.5'], 'box');
    expect(route.jumps).toEqual([]);
    expect(route.target).toMatchObject({ hostName: '10.0.0.5' });
  });

  it('a jump host is resolved through the config on its own: its HostName, Port, User, keys and known hosts', async () => {
    const route = await routeFor(
      [
        'Host box',
        '  HostName 10.0.0.5',
        '  User deploy',
        '  IdentityFile ~/.ssh/box_key',
        '  ProxyJump bastion',
        'Host bastion',
        '  HostName gw.example.test',
        '  Port 2201',
        '  User jumper',
        '  IdentityFile ~/.ssh/bastion_key',
        '  UserKnownHostsFile ~/.ssh/bastion_hosts',
        '  StrictHostKeyChecking accept-new',
      ],
      'box',
      // The address's own user and port are the target's, not the jump host's.
      { username: 'root', port: 2222 },
    );
    expect(route.jumps).toEqual([
      expect.objectContaining({
        alias: 'bastion',
        spec: 'bastion',
        hostName: 'gw.example.test',
        port: 2201,
        username: 'jumper',
        identityFiles: [`${HOME}/.ssh/bastion_key`],
        knownHostsFiles: [`${HOME}/.ssh/bastion_hosts`],
        strictHostKeyChecking: 'accept-new',
      }),
    ]);
    expect(route.target).toMatchObject({ hostName: '10.0.0.5', port: 2222, username: 'root' });
  });

  it("the user and port written in ProxyJump win over the jump host's config; an unknown host stays as written", async () => {
    expect(
      await hops(
        [
          'Host box',
          '  ProxyJump ops@bastion:2022,ssh://relay.example.test',
          'Host bastion',
          '  User jumper',
          '  Port 2201',
        ],
        'box',
      ),
    ).toEqual(['bastion=ops@bastion:2022', 'relay.example.test=ann@relay.example.test:22', 'box=ann@box:22']);
  });

  it('in a chain, the jump hosts after the first ignore their own ProxyJump; the first follows its own', async () => {
    const config = [
      'Host box',
      '  ProxyJump first,second',
      'Host first',
      '  ProxyJump outer',
      'Host second',
      '  ProxyJump elsewhere',
      '  ProxyCommand nc %h %p',
    ];
    // OpenSSH runs `ssh -J first second -W box:22`, then `ssh first -W second:22`: `first` alone is connected
    // as from the command line, so its ProxyJump applies; `second`'s ProxyJump and ProxyCommand do not.
    expect(await hops(config, 'box')).toEqual([
      'outer=ann@outer:22',
      'first=ann@first:22',
      'second=ann@second:22',
      'box=ann@box:22',
    ]);
  });

  it("a single jump host's own ProxyJump is followed (a bastion behind a bastion)", async () => {
    const config = ['Host box', '  ProxyJump inner', 'Host inner', '  ProxyJump outer:2200'];
    expect(await hops(config, 'box')).toEqual(['outer=ann@outer:2200', 'inner=ann@inner:22', 'box=ann@box:22']);
  });

  it('the first jump host is connected directly: its own ProxyCommand is refused as for any host', async () => {
    await expect(
      routeFor(['Host box', '  ProxyJump gw', 'Host gw', '  ProxyCommand nc %h %p'], 'box'),
    ).rejects.toMatchObject({ message: expect.stringContaining('sets ProxyCommand nc %h %p for gw') });
  });

  it('`Host *` with ProxyJump: the jump host needs its own `ProxyJump none`, else it is a loop (as ssh says)', async () => {
    const everywhere = ['Host *', '  ProxyJump bastion'];
    await expect(routeFor(everywhere, 'box')).rejects.toMatchObject({
      code: 'invalid-input',
      message: expect.stringContaining(
        'ProxyJump makes a loop: the way to box would go through ann@bastion:22 (bastion) twice (bastion → bastion → box)',
      ),
    });
    expect(await hops(['Host bastion', '  ProxyJump none', ...everywhere], 'box')).toEqual([
      'bastion=ann@bastion:22',
      'box=ann@box:22',
    ]);
  });

  it('a host that jumps through itself, or two hosts that jump through each other, are loops', async () => {
    await expect(routeFor(['Host box', '  ProxyJump box'], 'box')).rejects.toMatchObject({
      message: expect.stringContaining('ProxyJump makes a loop'),
    });
    // The same server and account under another name is the same hop.
    await expect(
      routeFor(['Host box', '  HostName 10.0.0.5', '  ProxyJump alias', 'Host alias', '  HostName 10.0.0.5'], 'box'),
    ).rejects.toMatchObject({ message: expect.stringContaining('through ann@10.0.0.5:22 (box) twice') });
    await expect(
      routeFor(['Host box', '  ProxyJump a', 'Host a', '  ProxyJump b', 'Host b', '  ProxyJump a'], 'box'),
    ).rejects.toMatchObject({ message: expect.stringContaining('(a → b → a → box)') });
    // Another account or port on the same server is another hop.
    expect(await hops(['Host box', '  HostName 10.0.0.5', '  ProxyJump root@10.0.0.5:2200'], 'box')).toEqual([
      '10.0.0.5=root@10.0.0.5:2200',
      'box=ann@10.0.0.5:22',
    ]);
  });

  it(`more than ${MAX_JUMPS} jump hosts is refused`, async () => {
    const names = Array.from({ length: MAX_JUMPS + 1 }, (_, i) => `hop${i}`);
    await expect(routeFor(['Host box', `  ProxyJump ${names.join(',')}`], 'box')).rejects.toMatchObject({
      message: expect.stringContaining(`ProxyJump for box goes through more than ${MAX_JUMPS} jump hosts`),
    });
    const chained = names.flatMap((n, i) => (i === 0 ? [] : [`Host ${n}`, `  ProxyJump ${names[i - 1]}`]));
    await expect(routeFor(['Host box', `  ProxyJump ${names.at(-1)}`, ...chained], 'box')).rejects.toMatchObject({
      message: expect.stringContaining(`more than ${MAX_JUMPS} jump hosts`),
    });
    expect(await hops(['Host box', `  ProxyJump ${names.slice(1).join(',')}`], 'box')).toHaveLength(MAX_JUMPS + 1);
  });
});
