import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  checkHostKey,
  knownHostsLine,
  knownHostsName,
  knownKeyTypes,
  parseKnownHosts,
  patternsMatch,
} from '../../../src-main/core/engine/ssh-known-hosts';

const keyA = randomBytes(51);
const keyB = randomBytes(51);
const b64 = (b: Buffer) => b.toString('base64');

function hashed(name: string): string {
  const salt = randomBytes(20);
  return `|1|${b64(salt)}|${createHmac('sha1', salt).update(name).digest('base64')}`;
}

describe('known_hosts', () => {
  it('names a host as ssh does: bare on port 22, [host]:port otherwise', () => {
    expect(knownHostsName('build-box', 22)).toBe('build-box');
    expect(knownHostsName('10.0.0.5', 2222)).toBe('[10.0.0.5]:2222');
  });

  it('matches comma lists, wildcards and negations case-insensitively', () => {
    expect(patternsMatch('alpha,Build-Box', 'build-box')).toBe(true);
    expect(patternsMatch('*.example.com', 'ci.example.com')).toBe(true);
    expect(patternsMatch('*.example.com', 'example.com')).toBe(false);
    expect(patternsMatch('ci?.example.com', 'ci1.example.com')).toBe(true);
    expect(patternsMatch('*.example.com,!secret.example.com', 'secret.example.com')).toBe(false);
    // A dot in a pattern is a dot, not any character.
    expect(patternsMatch('10.0.0.5', '10x0x0x5')).toBe(false);
    expect(patternsMatch('[10.0.0.5]:2222', '[10.0.0.5]:2222')).toBe(true);
    expect(patternsMatch('[10.0.0.5]:2222', '10.0.0.5')).toBe(false);
  });

  it('matches hashed names (HashKnownHosts) only for the name hashed', () => {
    const field = hashed('[127.0.0.1]:2200');
    expect(patternsMatch(field, '[127.0.0.1]:2200')).toBe(true);
    expect(patternsMatch(field, '127.0.0.1')).toBe(false);
  });

  it('accepts a listed key, calls a different key for a listed host changed, and an unlisted host unknown', () => {
    const entries = parseKnownHosts(
      [
        '# comment',
        '',
        `build-box ssh-ed25519 ${b64(keyA)} ci@somewhere`,
        'garbage line',
        `other ssh-rsa ${b64(keyB)}`,
      ].join('\n'),
    );
    expect(entries).toHaveLength(2);
    expect(checkHostKey(entries, 'build-box', keyA)).toEqual({ result: 'known' });
    expect(checkHostKey(entries, 'build-box', keyB)).toEqual({ result: 'changed', knownTypes: ['ssh-ed25519'] });
    expect(checkHostKey(entries, 'stranger', keyA)).toEqual({ result: 'unknown' });
    expect(knownKeyTypes(entries, 'other')).toEqual(['ssh-rsa']);
  });

  it('refuses a revoked key even when it is also listed, and ignores cert-authority lines for plain keys', () => {
    const entries = parseKnownHosts(
      [
        `@revoked * ssh-ed25519 ${b64(keyA)}`,
        `build-box ssh-ed25519 ${b64(keyA)}`,
        `@cert-authority *.example.com ssh-ed25519 ${b64(keyB)}`,
      ].join('\n'),
    );
    expect(checkHostKey(entries, 'build-box', keyA)).toEqual({ result: 'revoked' });
    expect(checkHostKey(entries, 'ci.example.com', keyB)).toEqual({ result: 'unknown' });
  });
});

describe('knownHostsLine (what accept-new writes)', () => {
  const key = randomBytes(51);
  it('names the host as ssh does, or hashes it under a fresh salt with HashKnownHosts', () => {
    expect(knownHostsLine('[10.0.0.5]:2222', 'ssh-ed25519', key, false)).toBe(
      `[10.0.0.5]:2222 ssh-ed25519 ${key.toString('base64')}\n`,
    );
    const hashed = knownHostsLine('[10.0.0.5]:2222', 'ssh-ed25519', key, true);
    const [patterns, type, written] = hashed.trimEnd().split(' ');
    expect(patterns).toMatch(/^\|1\|[A-Za-z0-9+/]{27}=\|[A-Za-z0-9+/]{27}=$/);
    expect([type, written]).toEqual(['ssh-ed25519', key.toString('base64')]);
    // Read back, it names that host and no other; two writes never share a salt.
    expect(patternsMatch(patterns as string, '[10.0.0.5]:2222')).toBe(true);
    expect(patternsMatch(patterns as string, '10.0.0.5')).toBe(false);
    expect(checkHostKey(parseKnownHosts(hashed), '[10.0.0.5]:2222', key)).toEqual({ result: 'known' });
    expect(knownHostsLine('[10.0.0.5]:2222', 'ssh-ed25519', key, true)).not.toBe(hashed);
  });
});
