import { describe, expect, it } from 'vitest';
import { commitCommandArgs, commitCommandLine } from '$shared/commit/commit-command-line';
import { shellJoin, shellQuote } from '$shared/commit/shell-quote';

describe('shellQuote', () => {
  it('leaves safe words bare', () => {
    expect(shellQuote('my-app:1.0')).toBe('my-app:1.0');
    expect(shellQuote('registry.example.com:5000/team/app@sha256')).toBe('registry.example.com:5000/team/app@sha256');
  });

  it('single-quotes anything a shell would interpret', () => {
    expect(shellQuote('')).toBe("''");
    expect(shellQuote('two words')).toBe("'two words'");
    expect(shellQuote('$HOME')).toBe("'$HOME'");
    expect(shellQuote('a;b|c&d`e`')).toBe("'a;b|c&d`e`'");
    expect(shellQuote('CMD ["sh"]')).toBe(`'CMD ["sh"]'`);
    expect(shellQuote('multi\nline')).toBe("'multi\nline'");
  });

  it("writes a single quote as '\\''", () => {
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellJoin(['echo', "don't", 'x'])).toBe(`echo 'don'\\''t' x`);
  });
});

describe('commitCommandLine', () => {
  it('builds the docker commit that matches the wizard', () => {
    const line = commitCommandLine({
      container: 'my-box',
      reference: 'strata-demo/box:v1',
      author: 'Ada Lovelace <ada@example.com>',
      message: "Add /my-file, it's needed",
      changes: [
        { instruction: 'CMD', command: { form: 'exec', args: ['cat', '/my-file'] } },
        { instruction: 'ENV', key: 'MODE', value: 'committed' },
        { instruction: 'LABEL', key: 'made-by', value: 'strata' },
      ],
    });
    expect(line).toBe(
      [
        'docker commit',
        `--author 'Ada Lovelace <ada@example.com>'`,
        `--message 'Add /my-file, it'\\''s needed'`,
        `--change 'CMD ["cat","/my-file"]'`,
        `--change 'ENV MODE="committed"'`,
        `--change 'LABEL "made-by"="strata"'`,
        'my-box strata-demo/box:v1',
      ].join(' '),
    );
  });

  it('adds --pause=false only when pausing is off, and omits an absent reference', () => {
    expect(commitCommandArgs({ container: 'c1', pause: true })).toEqual(['docker', 'commit', 'c1']);
    expect(commitCommandArgs({ container: 'c1', pause: false })).toEqual(['docker', 'commit', '--pause=false', 'c1']);
  });

  it('for Podman, says podman commit with the Docker format and pausing, which docker implies', () => {
    expect(commitCommandArgs({ container: 'c1', message: 'm', cli: 'podman' })).toEqual([
      'podman',
      'commit',
      '--format',
      'docker',
      '--message',
      'm',
      '--pause=true',
      'c1',
    ]);
    expect(commitCommandArgs({ container: 'c1', pause: false, cli: 'podman' })).toEqual([
      'podman',
      'commit',
      '--format',
      'docker',
      '--pause=false',
      'c1',
    ]);
  });

  it('refuses invalid changes rather than printing a command that would fail', () => {
    expect(() =>
      commitCommandLine({ container: 'c1', changes: [{ instruction: 'EXPOSE', port: 'web', protocol: 'tcp' }] }),
    ).toThrow(/EXPOSE/);
  });
});
