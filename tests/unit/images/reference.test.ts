import { describe, expect, it } from 'vitest';
import {
  dialectForApiVersion,
  familiarName,
  parseReference,
  validateTag,
  validateTagTarget,
} from '$shared/images/reference';

const ffff = 'f'.repeat(64);

// distribution/reference normalize_test.go TestValidateReferenceName and TestValidateRemoteName.
const validNames = [
  'docker/docker',
  'library/debian',
  'debian',
  'docker.io/docker/docker',
  'docker.io/library/debian',
  'docker.io/debian',
  'index.docker.io/docker/docker',
  'index.docker.io/library/debian',
  'index.docker.io/debian',
  '127.0.0.1:5000/docker/docker',
  '127.0.0.1:5000/library/debian',
  '127.0.0.1:5000/debian',
  '192.168.0.1',
  '192.168.0.1:80',
  '192.168.0.1:8/debian',
  '192.168.0.2:25000/debian',
  'thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev',
  'docker.io/1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a',
  'docker-rules/docker',
  'docker---rules/docker',
  'doc/docker',
  'd/docker',
  'jess/t',
  'dock__er/docker',
];
const currentOnlyValid = [
  '[fc00::1]:5000/docker',
  '[fc00::1]:5000/docker/docker',
  '[fc00:1:2:3:4:5:6:7]:5000/library/debian',
  'Docker/docker',
  'DOCKER/docker',
];
const invalidNames = [
  'https://github.com/docker/docker',
  'docker/Docker',
  '-docker',
  '-docker/docker',
  '-docker.io/docker/docker',
  'docker///docker',
  'docker.io/docker/Docker',
  'docker.io/docker///docker',
  '[fc00::1]',
  '[fc00::1]:5000',
  'fc00::1:5000/debian',
  '[fe80::1%eth0]:5000/debian',
  '[2001:db8:3:4::192.0.2.33]:5000/debian',
  '1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a',
  'docker-/docker',
  '-docker-/docker',
  '____/____',
  '_docker/_docker',
  'dock..er/docker',
  'dock_.er/docker',
  'dock-.er/docker',
  'docker/',
  'this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255_this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255_this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255_this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255/docker',
];

describe('parseReference: distribution/reference examples', () => {
  it.each(validNames)('accepts %s in both dialects', (name) => {
    expect(parseReference(name, { dialect: 'current' }).ok).toBe(true);
    expect(parseReference(name, { dialect: 'legacy' }).ok).toBe(true);
  });
  it.each(currentOnlyValid)('accepts %s with current engines only', (name) => {
    expect(parseReference(name, { dialect: 'current' }).ok).toBe(true);
    expect(parseReference(name, { dialect: 'legacy' }).ok).toBe(false);
  });
  it.each(invalidNames)('rejects %s with a reason', (name) => {
    for (const dialect of ['current', 'legacy'] as const) {
      const check = parseReference(name, { dialect });
      expect(check.ok).toBe(false);
      if (!check.ok) expect(check.reason.length).toBeGreaterThan(10);
    }
  });
});

describe('parseReference: reference_test.go TestReferenceParse', () => {
  const ok: Array<[string, { repository: string; tag?: string; digest?: string; domain?: string }]> = [
    ['test_com', { repository: 'test_com' }],
    ['test.com:tag', { repository: 'test.com', tag: 'tag' }],
    ['test.com:5000', { repository: 'test.com', tag: '5000' }],
    ['test.com/repo:tag', { repository: 'test.com/repo', tag: 'tag', domain: 'test.com' }],
    ['test:5000/repo', { repository: 'test:5000/repo', domain: 'test:5000' }],
    ['test:5000/repo:tag', { repository: 'test:5000/repo', tag: 'tag' }],
    [`test:5000/repo@sha256:${ffff}`, { repository: 'test:5000/repo', digest: `sha256:${ffff}` }],
    [`test:5000/repo:tag@sha256:${ffff}`, { repository: 'test:5000/repo', tag: 'tag', digest: `sha256:${ffff}` }],
    ['lowercase:Uppercase', { repository: 'lowercase', tag: 'Uppercase' }],
    [
      `${'a/'.repeat(127)}a:tag-puts-this-over-max`,
      { repository: `${'a/'.repeat(127)}a`, tag: 'tag-puts-this-over-max' },
    ],
    [
      'sub-dom1.foo.com/bar/baz/quux:some-long-tag',
      { repository: 'sub-dom1.foo.com/bar/baz/quux', tag: 'some-long-tag' },
    ],
    [
      'b.gcr.io/test.example.com/my-app:test.example.com',
      { repository: 'b.gcr.io/test.example.com/my-app', tag: 'test.example.com' },
    ],
    ['xn--n3h.com/myimage:xn--n3h.com', { repository: 'xn--n3h.com/myimage', tag: 'xn--n3h.com' }],
    [
      `xn--7o8h.com/myimage:xn--7o8h.com@sha512:${'f'.repeat(128)}`,
      { repository: 'xn--7o8h.com/myimage', tag: 'xn--7o8h.com', digest: `sha512:${'f'.repeat(128)}` },
    ],
    ['foo_bar.com:8080', { repository: 'foo_bar.com', tag: '8080' }],
    ['foo/foo_bar.com:8080', { repository: 'foo/foo_bar.com', tag: '8080' }],
    ['192.168.1.1', { repository: '192.168.1.1' }],
    ['192.168.1.1:tag', { repository: '192.168.1.1', tag: 'tag' }],
    ['192.168.1.1:5000', { repository: '192.168.1.1', tag: '5000' }],
    ['192.168.1.1/repo', { repository: '192.168.1.1/repo' }],
    ['192.168.1.1:5000/repo:5050', { repository: '192.168.1.1:5000/repo', tag: '5050' }],
    ['[2001:db8::1]:5000/repo:tag', { repository: '[2001:db8::1]:5000/repo', tag: 'tag' }],
    ['[::1]:5000/repo', { repository: '[::1]:5000/repo' }],
    [
      'registry.io/foo/project--id.module--name.ver---sion--name',
      { repository: 'registry.io/foo/project--id.module--name.ver---sion--name' },
    ],
    [
      'example.com/some_separator__underscore/myimage',
      { repository: 'example.com/some_separator__underscore/myimage' },
    ],
    ['busybox', { repository: 'busybox', domain: 'docker.io' }],
    ['docker.io/library/busybox:latest', { repository: 'busybox', tag: 'latest' }],
  ];
  it.each(ok)('parses %s', (input, expected) => {
    const check = parseReference(input);
    expect(check.ok, check.ok ? '' : check.reason).toBe(true);
    if (!check.ok) return;
    expect(check.reference.repository).toBe(expected.repository);
    expect(check.reference.tag).toBe(expected.tag);
    expect(check.reference.digest).toBe(expected.digest);
    if (expected.domain) expect(check.reference.domain).toBe(expected.domain);
  });

  const bad: Array<[string, string]> = [
    ['', 'empty'],
    [':justtag', 'invalid-format'],
    [`@sha256:${ffff}`, 'invalid-format'],
    [`repo@sha256:${'f'.repeat(34)}`, 'invalid-digest'],
    [`validname@invaliddigest:${ffff}`, 'invalid-digest'],
    ['Uppercase:tag', 'uppercase'],
    ['test:5000/Uppercase/lowercase:tag', 'uppercase'],
    [`${'a/'.repeat(128)}a:tag`, 'name-too-long'],
    ['aa/asdf$$^/aa', 'invalid-format'],
    ['[2001:db8::1]', 'invalid-format'],
    ['[2001:db8::1]:5000', 'invalid-format'],
    ['[fe80::1%eth0]:5000/repo', 'invalid-format'],
    ['foo_bar.com:8080/app', 'invalid-format'],
    ['registry.com:8080/myapp:invalid~tag', 'invalid-tag'],
    ['bad_hostname.com:8080/myapp:tag', 'invalid-format'],
    ['localhost:http/name', 'invalid-format'],
    ['example.com/__underscore/myimage', 'invalid-format'],
    ['example.com/.dots/myimage', 'invalid-format'],
    ['do__cker:8080/docker', 'invalid-format'],
    ['my app', 'invalid-format'],
  ];
  it.each(bad)('rejects %s (%s)', (input, problem) => {
    const check = parseReference(input);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.problem).toBe(problem);
  });

  it('explains upper case with the lower-case name to use', () => {
    const check = parseReference('MyApp:1.0');
    expect(check).toMatchObject({ ok: false, problem: 'uppercase' });
    if (!check.ok) expect(check.reason).toContain('"library/myapp"');
  });
});

describe('name length', () => {
  it('current engines count the repository path only', () => {
    // "busybox" is stored as library/busybox: the path gets 8 more characters.
    expect(parseReference('a'.repeat(247), { dialect: 'current' }).ok).toBe(true);
    expect(parseReference('a'.repeat(248), { dialect: 'current' }).ok).toBe(false);
    expect(parseReference(`x.io/${'a'.repeat(255)}`, { dialect: 'current' }).ok).toBe(true);
    expect(parseReference(`x.io/${'a'.repeat(256)}`, { dialect: 'current' }).ok).toBe(false);
  });
  it('legacy engines count the whole normalized name, docker.io/library/ included', () => {
    expect(parseReference('a'.repeat(237), { dialect: 'legacy' }).ok).toBe(true);
    const check = parseReference('a'.repeat(238), { dialect: 'legacy' });
    expect(check).toMatchObject({ ok: false, problem: 'name-too-long' });
    expect(parseReference(`x.io/${'a'.repeat(250)}`, { dialect: 'legacy' }).ok).toBe(true);
    expect(parseReference(`x.io/${'a'.repeat(251)}`, { dialect: 'legacy' }).ok).toBe(false);
  });
});

describe('validateTag', () => {
  it.each(['latest', 'v1.0', '_x', 'A', 'a'.repeat(128), '1.0-rc.1', 'Uppercase'])('accepts %s', (tag) => {
    expect(validateTag(tag).ok).toBe(true);
  });
  it.each(['', '-x', '.x', 'a'.repeat(129), 'a:b', 'a/b', 'a~b', 'a b'])('rejects %s', (tag) => {
    const check = validateTag(tag);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.reason).toMatch(/tag/);
  });
});

describe('validateTagTarget (what docker tag would create)', () => {
  it('accepts a repository and tag, defaulting the tag to latest', () => {
    const check = validateTagTarget({ repository: 'team/app' });
    expect(check).toMatchObject({ ok: true, reference: { repository: 'team/app', tag: 'latest' } });
  });
  it('refuses a tag inside the repository field, a digest, an image ID, and "sha256"', () => {
    expect(validateTagTarget({ repository: 'app:1', tag: '2' })).toMatchObject({ ok: false, problem: 'not-allowed' });
    expect(validateTagTarget({ repository: `app@sha256:${ffff}` })).toMatchObject({
      ok: false,
      problem: 'not-allowed',
    });
    expect(validateTagTarget({ repository: '0123456789abcdef'.repeat(4) })).toMatchObject({
      ok: false,
      problem: 'identifier',
    });
    expect(validateTagTarget({ repository: 'sha256', tag: 'x' })).toMatchObject({ ok: false, problem: 'not-allowed' });
    expect(validateTagTarget({ repository: 'app', tag: '-x' })).toMatchObject({ ok: false, problem: 'invalid-tag' });
  });
});

describe('dialectForApiVersion', () => {
  it('treats API 1.44 and later as current', () => {
    expect(dialectForApiVersion('1.41')).toBe('legacy');
    expect(dialectForApiVersion('1.43')).toBe('legacy');
    expect(dialectForApiVersion('1.44')).toBe('current');
    expect(dialectForApiVersion('1.51')).toBe('current');
    expect(dialectForApiVersion(undefined)).toBe('current');
  });
});

describe('familiarName', () => {
  it("turns Podman's fully qualified names into Docker's", () => {
    expect(familiarName('docker.io/library/busybox:1.36')).toBe('busybox:1.36');
    expect(familiarName('docker.io/strata-test/busybox:latest')).toBe('strata-test/busybox:latest');
    expect(familiarName('docker.io/library/busybox@sha256:' + 'a'.repeat(64))).toBe('busybox@sha256:' + 'a'.repeat(64));
    expect(familiarName('docker.io/library/team/x:1')).toBe('library/team/x:1');
  });

  it('leaves other registries and familiar names alone', () => {
    expect(familiarName('localhost/app:1')).toBe('localhost/app:1');
    expect(familiarName('registry.example:5000/docker.io/x:1')).toBe('registry.example:5000/docker.io/x:1');
    expect(familiarName('team/x:1')).toBe('team/x:1');
    expect(familiarName('<none>:<none>')).toBe('<none>:<none>');
  });
});
