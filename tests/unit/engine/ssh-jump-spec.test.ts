import { describe, expect, it } from 'vitest';
import { jumpSpecText, parseProxyJump } from '../../../src-main/core/engine/ssh-jump-spec';

describe('parseProxyJump (OpenSSH ProxyJump syntax)', () => {
  it('none, one host, a chain in visiting order, users and ports', () => {
    expect(parseProxyJump('none')).toEqual([]);
    expect(parseProxyJump('NONE')).toEqual([]);
    expect(parseProxyJump('bastion')).toEqual([{ host: 'bastion', text: 'bastion' }]);
    expect(parseProxyJump('ops@gw:2022,relay,root@10.0.0.9')).toEqual([
      { user: 'ops', host: 'gw', port: 2022, text: 'ops@gw:2022' },
      { host: 'relay', text: 'relay' },
      { user: 'root', host: '10.0.0.9', text: 'root@10.0.0.9' },
    ]);
  });

  it('the last @ ends the user name; IPv6 in brackets; a # starts a comment', () => {
    expect(parseProxyJump('a@b@gw')).toEqual([{ user: 'a@b', host: 'gw', text: 'a@b@gw' }]);
    expect(parseProxyJump('[fd00::1]:2200')).toEqual([{ host: 'fd00::1', port: 2200, text: '[fd00::1]:2200' }]);
    expect(parseProxyJump('[fd00::1]')).toEqual([{ host: 'fd00::1', text: '[fd00::1]' }]);
    expect(parseProxyJump('gw # the way in')).toEqual([{ host: 'gw', text: 'gw' }]);
  });

  it('ssh:// URIs: user (%-decoded, ;parameters dropped), port, a trailing / but no path', () => {
    expect(parseProxyJump('ssh://ops@gw:2022,ssh://gw2/')).toEqual([
      { user: 'ops', host: 'gw', port: 2022, text: 'ssh://ops@gw:2022' },
      { host: 'gw2', text: 'ssh://gw2/' },
    ]);
    expect(parseProxyJump('ssh://%41da;fingerprint=x@gw:22/')).toEqual([
      { user: 'Ada', host: 'gw', port: 22, text: 'ssh://%41da;fingerprint=x@gw:22/' },
    ]);
    expect(parseProxyJump('ssh://gw/path')).toEqual({
      error: '"ssh://gw/path" has a path, which a jump host cannot have',
    });
    expect(parseProxyJump('ssh://gw:22/path')).toMatchObject({ error: expect.stringContaining('has a path') });
    expect(parseProxyJump('ssh://@gw')).toMatchObject({ error: expect.stringContaining('empty user name') });
    expect(parseProxyJump('ssh://%zz@gw')).toMatchObject({ error: expect.stringContaining('%-encoded') });
  });

  // Each of these is refused by OpenSSH 9.2's `ssh -G` too ("Invalid ProxyJump").
  it.each([
    ['a, b', '" b" is not a valid host name'],
    ['a,,b', '"" names no host'],
    [',a', '"" names no host'],
    ['@a', '"@a" has an empty user name before @'],
    ['a:0', `"a:0" has "0" where a port number belongs`],
    ['a:65536', `"a:65536" has "65536" where a port number belongs`],
    ['a:x', `"a:x" has "x" where a port number belongs`],
    ['a:22:3', `"a:22:3" has "22:3" where a port number belongs`],
    ['a/22', '"a/22" is not a valid host name'],
    ['[::1', '"[::1" has a [ without its ]'],
  ])('refuses %j', (value, error) => {
    expect(parseProxyJump(value)).toEqual({ error });
  });

  it('refuses host and user names a shell or ssh would take for something else', () => {
    expect(parseProxyJump('-oProxyCommand=x')).toMatchObject({
      error: expect.stringContaining('not a valid host name'),
    });
    expect(parseProxyJump('gw;reboot')).toMatchObject({ error: expect.stringContaining('not a valid host name') });
    expect(parseProxyJump('$(id)@gw')).toMatchObject({ error: expect.stringContaining('user name that is not valid') });
  });

  it('jumpSpecText writes the form ssh -J takes', () => {
    expect(jumpSpecText({ host: 'gw' })).toBe('gw');
    expect(jumpSpecText({ host: 'gw', user: 'ops', port: 2022 })).toBe('ops@gw:2022');
    expect(jumpSpecText({ host: 'fd00::1', port: 22 })).toBe('[fd00::1]:22');
  });
});
