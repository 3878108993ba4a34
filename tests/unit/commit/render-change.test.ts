import { describe, expect, it } from 'vitest';
import { parseCommandInput, formatCommandInput, type ConfigChange } from '$shared/commit/config-change';
import { renderChange, renderChanges, dockerfileWord, doubleQuoted } from '$shared/commit/render-change';
import { StrataError } from '$shared/engine/errors';

describe('renderChange', () => {
  it('renders CMD and ENTRYPOINT in exec form as JSON arrays', () => {
    expect(renderChange({ instruction: 'CMD', command: { form: 'exec', args: ['cat', '/my file', 'say "hi"'] } })).toBe(
      'CMD ["cat","/my file","say \\"hi\\""]',
    );
    expect(renderChange({ instruction: 'ENTRYPOINT', command: { form: 'exec', args: [] } })).toBe('ENTRYPOINT []');
  });

  it('renders the shell form as typed, trimmed', () => {
    expect(renderChange({ instruction: 'CMD', command: { form: 'shell', command: '  echo $HOME && ls  ' } })).toBe(
      'CMD echo $HOME && ls',
    );
  });

  it('quotes ENV and LABEL values so the engine takes them verbatim', () => {
    expect(renderChange({ instruction: 'ENV', key: 'GREETING', value: 'hello world' })).toBe(
      'ENV GREETING="hello world"',
    );
    expect(renderChange({ instruction: 'ENV', key: 'A', value: 'x "q" \\ $HOME' })).toBe(
      'ENV A="x \\"q\\" \\\\ \\$HOME"',
    );
    expect(renderChange({ instruction: 'ENV', key: 'EMPTY', value: '' })).toBe('ENV EMPTY=""');
    expect(renderChange({ instruction: 'LABEL', key: 'org.example.team', value: 'core $x' })).toBe(
      'LABEL "org.example.team"="core \\$x"',
    );
  });

  it('renders EXPOSE, USER, WORKDIR, VOLUME and ONBUILD', () => {
    expect(renderChange({ instruction: 'EXPOSE', port: '8080', protocol: 'tcp' })).toBe('EXPOSE 8080/tcp');
    expect(renderChange({ instruction: 'EXPOSE', port: '8000-8010', protocol: 'udp' })).toBe('EXPOSE 8000-8010/udp');
    expect(renderChange({ instruction: 'USER', user: 'nobody:nogroup' })).toBe('USER nobody:nogroup');
    expect(renderChange({ instruction: 'USER', user: '1000$x' })).toBe('USER "1000\\$x"');
    expect(renderChange({ instruction: 'WORKDIR', path: '/srv/app' })).toBe('WORKDIR /srv/app');
    expect(renderChange({ instruction: 'WORKDIR', path: '/srv/my app' })).toBe('WORKDIR "/srv/my app"');
    expect(renderChange({ instruction: 'VOLUME', paths: ['/data', '/my logs', '/a$b'] })).toBe(
      'VOLUME ["/data","/my\\\\ logs","/a\\\\$b"]',
    );
    expect(renderChange({ instruction: 'ONBUILD', trigger: ' RUN make ' })).toBe('ONBUILD RUN make');
  });

  it('throws invalid-input with the issues when the change is not valid', () => {
    let thrown: unknown;
    try {
      renderChange({ instruction: 'EXPOSE', port: '70000', protocol: 'tcp' });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(StrataError);
    expect((thrown as StrataError).code).toBe('invalid-input');
    expect((thrown as StrataError).message).toMatch(/EXPOSE: Ports are between 1 and 65535/);
    expect((thrown as StrataError).details?.issues).toEqual([
      { index: 0, field: 'port', message: 'Ports are between 1 and 65535.' },
    ]);
  });

  it('renders a list in order', () => {
    const changes: ConfigChange[] = [
      { instruction: 'CMD', command: { form: 'exec', args: ['cat', '/my-file'] } },
      { instruction: 'ENV', key: 'MODE', value: 'committed' },
      { instruction: 'LABEL', key: 'made-by', value: 'strata' },
    ];
    expect(renderChanges(changes)).toEqual([
      'CMD ["cat","/my-file"]',
      'ENV MODE="committed"',
      'LABEL "made-by"="strata"',
    ]);
  });
});

describe('Dockerfile words', () => {
  it('leaves safe words bare and double-quotes the rest', () => {
    expect(dockerfileWord('/usr/local/bin')).toBe('/usr/local/bin');
    expect(dockerfileWord('a b')).toBe('"a b"');
    expect(doubleQuoted('a"b\\c$d')).toBe('"a\\"b\\\\c\\$d"');
  });
});

describe('parseCommandInput', () => {
  it('reads a JSON array as the exec form', () => {
    expect(parseCommandInput(' ["sh", "-c", "echo hi"] ')).toEqual({
      command: { form: 'exec', args: ['sh', '-c', 'echo hi'] },
    });
    expect(parseCommandInput('[]')).toEqual({ command: { form: 'exec', args: [] } });
  });

  it('reads anything else as the shell form', () => {
    expect(parseCommandInput('echo hi > /tmp/x')).toEqual({ command: { form: 'shell', command: 'echo hi > /tmp/x' } });
  });

  it('explains a bracketed input that is not a JSON array of strings', () => {
    const single = parseCommandInput("['sh']");
    expect('error' in single && single.error).toMatch(/not a JSON array/);
    const numbers = parseCommandInput('[1, 2]');
    expect('error' in numbers && numbers.error).toMatch(/array of strings/);
  });

  it('formats back to what the person would type', () => {
    expect(formatCommandInput({ form: 'exec', args: ['cat', '/my-file'] })).toBe('["cat","/my-file"]');
    expect(formatCommandInput({ form: 'shell', command: 'echo hi' })).toBe('echo hi');
  });
});

describe('changes for Podman, whose parser takes values literally and strips one pair of quotes', () => {
  it('wraps ENV and LABEL values in one pair of quotes, with nothing escaped', () => {
    expect(renderChange({ instruction: 'ENV', key: 'Q', value: `it's "$HOME" \\ here` }, 'podman')).toBe(
      `ENV Q="it's "$HOME" \\ here"`,
    );
    expect(renderChange({ instruction: 'LABEL', key: 'org.note', value: 'a $b c' }, 'podman')).toBe(
      'LABEL "org.note"="a $b c"',
    );
  });

  it('gives WORKDIR and USER literally and VOLUME as a plain JSON array', () => {
    expect(renderChange({ instruction: 'WORKDIR', path: '/srv/my app' }, 'podman')).toBe('WORKDIR /srv/my app');
    expect(renderChange({ instruction: 'USER', user: 'nobody' }, 'podman')).toBe('USER nobody');
    expect(renderChange({ instruction: 'VOLUME', paths: ['/data', '/my logs'] }, 'podman')).toBe(
      'VOLUME ["/data","/my logs"]',
    );
  });

  it('refuses ONBUILD, which Podman leaves out of a commit', () => {
    expect(() => renderChange({ instruction: 'ONBUILD', trigger: 'RUN true' }, 'podman')).toThrow(
      /Podman leaves ONBUILD/,
    );
  });
});
