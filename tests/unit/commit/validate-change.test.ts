import { describe, expect, it } from 'vitest';
import type { ConfigChange } from '$shared/commit/config-change';
import { validateChange, validateChanges } from '$shared/commit/validate-change';

const fields = (change: ConfigChange): string[] => validateChange(change).map((i) => i.field);

describe('validateChange', () => {
  it('accepts well-formed changes of every instruction', () => {
    const valid: ConfigChange[] = [
      { instruction: 'CMD', command: { form: 'exec', args: ['sh'] } },
      { instruction: 'CMD', command: { form: 'shell', command: 'echo hi' } },
      { instruction: 'ENTRYPOINT', command: { form: 'exec', args: [] } },
      { instruction: 'ENV', key: 'PATH', value: '/bin:/usr/bin' },
      { instruction: 'ENV', key: 'my.var', value: '' },
      { instruction: 'EXPOSE', port: '80', protocol: 'tcp' },
      { instruction: 'EXPOSE', port: '1-65535', protocol: 'sctp' },
      { instruction: 'LABEL', key: 'org.opencontainers.image.title', value: 'My image' },
      { instruction: 'USER', user: '1000:1000' },
      { instruction: 'WORKDIR', path: 'relative/dir' },
      { instruction: 'VOLUME', paths: ['/data', '/var/log'] },
      { instruction: 'ONBUILD', trigger: 'RUN make install' },
      { instruction: 'ONBUILD', trigger: 'copy . /src' },
    ];
    for (const change of valid) expect(validateChange(change), JSON.stringify(change)).toEqual([]);
  });

  it('rejects empty or multi-line commands and a trailing backslash', () => {
    expect(fields({ instruction: 'CMD', command: { form: 'shell', command: '  ' } })).toEqual(['command']);
    expect(fields({ instruction: 'CMD', command: { form: 'shell', command: 'echo a\necho b' } })).toEqual(['command']);
    expect(
      validateChange({ instruction: 'ENTRYPOINT', command: { form: 'shell', command: 'run \\' } })[0]?.message,
    ).toMatch(/backslash/);
  });

  it('rejects bad ENV names and multi-line values', () => {
    expect(fields({ instruction: 'ENV', key: '', value: 'x' })).toEqual(['key']);
    expect(fields({ instruction: 'ENV', key: 'A B', value: 'x' })).toEqual(['key']);
    expect(fields({ instruction: 'ENV', key: 'A=B', value: 'x' })).toEqual(['key']);
    expect(fields({ instruction: 'ENV', key: '$A', value: 'x' })).toEqual(['key']);
    expect(fields({ instruction: 'ENV', key: 'A', value: 'one\ntwo' })).toEqual(['value']);
  });

  it('rejects LABEL keys that are empty or hold "="', () => {
    expect(fields({ instruction: 'LABEL', key: ' ', value: 'x' })).toEqual(['key']);
    expect(fields({ instruction: 'LABEL', key: 'a=b', value: 'x' })).toEqual(['key']);
    expect(fields({ instruction: 'LABEL', key: 'a', value: 'x\r\ny' })).toEqual(['value']);
  });

  it('checks EXPOSE ports, ranges and protocols', () => {
    expect(fields({ instruction: 'EXPOSE', port: '0', protocol: 'tcp' })).toEqual(['port']);
    expect(fields({ instruction: 'EXPOSE', port: '65536', protocol: 'tcp' })).toEqual(['port']);
    expect(fields({ instruction: 'EXPOSE', port: 'http', protocol: 'tcp' })).toEqual(['port']);
    expect(fields({ instruction: 'EXPOSE', port: '90-80', protocol: 'tcp' })).toEqual(['port']);
    expect(fields({ instruction: 'EXPOSE', port: '80', protocol: 'icmp' as 'tcp' })).toEqual(['protocol']);
  });

  it('checks USER, WORKDIR and VOLUME', () => {
    expect(fields({ instruction: 'USER', user: '' })).toEqual(['user']);
    expect(fields({ instruction: 'USER', user: 'a b' })).toEqual(['user']);
    expect(fields({ instruction: 'USER', user: 'a:b:c' })).toEqual(['user']);
    expect(fields({ instruction: 'WORKDIR', path: '' })).toEqual(['path']);
    expect(fields({ instruction: 'VOLUME', paths: [] })).toEqual(['paths']);
    expect(validateChange({ instruction: 'VOLUME', paths: ['/ok', 'data'] })).toEqual([
      { index: 0, field: 'paths', message: 'Volume path "data" must be absolute (start with /).' },
    ]);
  });

  it('checks ONBUILD triggers as Docker does', () => {
    expect(validateChange({ instruction: 'ONBUILD', trigger: 'FROM busybox' })[0]?.message).toMatch(/not allowed/);
    expect(validateChange({ instruction: 'ONBUILD', trigger: 'ONBUILD RUN x' })[0]?.message).toMatch(/not allowed/);
    expect(validateChange({ instruction: 'ONBUILD', trigger: 'MAINTAINER me' })[0]?.message).toMatch(/not allowed/);
    expect(validateChange({ instruction: 'ONBUILD', trigger: 'MAKE it' })[0]?.message).toMatch(/not a Dockerfile/);
    expect(validateChange({ instruction: 'ONBUILD', trigger: 'RUN' })[0]?.message).toMatch(/needs arguments/);
    expect(fields({ instruction: 'ONBUILD', trigger: '' })).toEqual(['trigger']);
  });
});

describe('validateChanges', () => {
  it('tags each issue with the index of its change', () => {
    const issues = validateChanges([
      { instruction: 'ENV', key: 'OK', value: '1' },
      { instruction: 'EXPOSE', port: 'x', protocol: 'tcp' },
      { instruction: 'USER', user: '' },
    ]);
    expect(issues.map((i) => [i.index, i.field])).toEqual([
      [1, 'port'],
      [2, 'user'],
    ]);
  });
});
