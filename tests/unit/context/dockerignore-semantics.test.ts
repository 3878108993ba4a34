import { describe, expect, it } from 'vitest';
import { compileDockerignore, readDockerignoreLines } from '../../../src-main/core/context/dockerignore-file';
import { DockerignoreError, PatternMatcher } from '../../../src-main/core/context/dockerignore-matcher';
import { compileGoRegexp, GoRegexpError } from '$shared/go/regexp';
import { compareGoStrings } from '$shared/go/string-order';
import { goCleanPath, goDir, trimGoSpace } from '$shared/go/text';

const excluded = (patterns: string[], file: string): boolean =>
  PatternMatcher.create(patterns).matchesOrParentMatches(file);

describe('regexp specials in names (patternmatcher v0.6.1 escapes . + ( ) $ but, by a bitmap bug, not | { })', () => {
  it.each([
    ['*(b)c', 'a(b)c', true],
    ['*(b)c', 'abc', false],
    ['a+*', 'a+b', true],
    ['a+*', 'aab', false],
    // `{2}` reaches Go's regexp as a repeat count, `|` as an alternation.
    ['x{2}*', 'x{2}.txt', false],
    ['x{2}*', 'xx.txt', true],
    ['a|b*', 'a|b', true],
    ['a|b*', 'b', true],
    ['a|b*', 'c', false],
    ['x{01}*', 'x{01}', true],
    ['v$*', 'v$1', true],
    ['*.tar.gz', 'x.tar.gz', true],
    ['*.tar.gz', 'xAtarBgz', false],
  ])('%s vs %s → %s', (pattern, file, want) => {
    expect(excluded([pattern], file)).toBe(want);
  });
});

describe('Go regexp quirks Docker inherits from copying [ ] ^ \\ into its regexp', () => {
  it.each([
    // `[*]` becomes ^[[^/]*]$: a class of "[", "^", "/" repeated, then a literal "]".
    ['[*]', ']', true],
    ['[*]', '[^]', true],
    ['[*]', '*', false],
    // `\d` is an escape Go's regexp reads as a digit class.
    ['\\d', '7', true],
    ['\\d', 'd', false],
    // POSIX classes work inside brackets.
    ['[[:digit:]]x', '1x', true],
    ['[[:digit:]]x', 'ax', false],
    // `\Q` quotes the rest, the closing `$` included, so nothing anchors the end.
    ['\\Qa*', 'a[^/]*$', true],
    ['\\Qa*', 'a[^/]*$tail', true],
    ['\\Qa*', 'abc', false],
    // An escaped dot is a dot.
    ['a\\.b*', 'a.b', true],
    ['a\\.b*', 'axb', false],
    // `?` is one code point, astral ones included.
    ['a?b', 'a😀b', true],
    // Case-sensitive.
    ['*.MD', 'README.md', false],
  ])('%s vs %j → %s', (pattern, file, want) => {
    expect(excluded([pattern], file)).toBe(want);
  });

  it('accepts at creation, but fails at match time, a pattern whose regexp Go cannot compile', () => {
    const pm = PatternMatcher.create(['x\\e*']);
    expect(() => pm.matchesOrParentMatches('xe')).toThrow('syntax error in pattern');
    // A second match reports the same error rather than a stale result.
    expect(() => pm.matchesOrParentMatches('xe')).toThrow('syntax error in pattern');
  });

  it('never evaluates a bad exception pattern that cannot change the result', () => {
    // The exception is only tried for paths the first pattern excluded.
    const pm = PatternMatcher.create(['*.go', '![Local-Only]']);
    expect(pm.matchesOrParentMatches('README.md')).toBe(false);
    expect(() => pm.matchesOrParentMatches('main.go')).toThrow('syntax error in pattern');
  });
});

describe('compileGoRegexp', () => {
  it.each([
    ['^[]a]$', ']', true],
    ['^[^/]$', '\n', true],
    ['^.$', '\n', false],
    ['^.$', '\r', true],
    ['^\\s$', '\u00a0', false],
    ['^\\s$', '\t', true],
    ['^\\w+$', 'é', false],
    ['^[a-]$', '-', true],
    ['^\\x41\\x{263a}$', 'A☺', true],
    ['^\\101$', 'A', true],
    ['^*a$', 'a', true],
    ['^\\pL$', 'ζ', true],
    ['^\\p{Greek}$', 'ζ', true],
    ['^\\p{Greek}$', 'z', false],
    ['^[[:^alpha:]]$', '1', true],
  ])('%s matches %j: %s', (src, s, want) => {
    expect(compileGoRegexp(src).test(s)).toBe(want);
  });

  it.each([
    '^[l-O]$',
    '^\\1$',
    '^\\e$',
    '^a**$',
    '^*$'.replace('^', '('),
    '^[[:foo:]]$',
    '^\\p{Nope}$',
    '^[a$',
    '^\\C$',
    '^a{2,1}$',
  ])('rejects %s as Go does', (src) => {
    expect(() => compileGoRegexp(src)).toThrow(GoRegexpError);
  });
});

describe('ignore file reading names the line of a bad pattern', () => {
  it('numbers lines as written, comments and blank lines included', () => {
    const lines = readDockerignoreLines('# comment\n\nnode_modules\r\n  !  keep.txt\n/abs/../x\n');
    expect(lines).toEqual([
      { text: 'node_modules', line: 3 },
      { text: '!keep.txt', line: 4 },
      { text: 'x', line: 5 },
    ]);
  });

  it('reports a lone ! with its line', () => {
    expect(() => compileDockerignore('a\n# c\n!\n', { file: '.dockerignore' })).toThrow(
      '.dockerignore: line 3: illegal exclusion pattern: "!"',
    );
  });

  it('reports a malformed pattern with its line', () => {
    let caught: unknown;
    try {
      compileDockerignore('ok\nbad[\n');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(DockerignoreError);
    expect((caught as DockerignoreError).message).toBe('line 2: syntax error in pattern: "bad["');
    expect((caught as DockerignoreError).line).toBe(2);
    expect((caught as DockerignoreError).code).toBe('invalid-input');
  });

  it('rejects a line over 64KiB as bufio.Scanner does', () => {
    expect(() => compileDockerignore('a\n' + 'x'.repeat(65536) + '\n')).toThrow('line 2');
    expect(compileDockerignore('x'.repeat(65535)).patterns).toHaveLength(1);
  });

  it('turns "!/" into a lone "!" and rejects it', () => {
    expect(() => compileDockerignore('!/\n')).toThrow('illegal exclusion pattern');
  });
});

describe('walk helpers', () => {
  it('skips an excluded directory only when no exception pattern starts with it (literal prefix)', () => {
    const pm = PatternMatcher.create(['dir', '!dir/sub/keep.txt', 'other', '!**/keep', 'skip*', '!skipped/x']);
    expect(pm.canSkipExcludedDir('dir')).toBe(false);
    expect(pm.canSkipExcludedDir('dir/sub')).toBe(false);
    expect(pm.canSkipExcludedDir('other')).toBe(true);
    expect(pm.canSkipExcludedDir('skipped')).toBe(false);
    expect(pm.canSkipExcludedDir('skip')).toBe(true);
    expect(PatternMatcher.create(['a']).canSkipExcludedDir('a')).toBe(true);
  });

  it('names the rule that decided an exclusion', () => {
    const pm = PatternMatcher.create(
      compileDockerignore('*.md\n!README*.md\nREADME-secret.md\n').patterns.map((p) => ({
        text: p.toString(),
        line: p.line ?? 0,
      })),
    );
    const secret = pm.matchesUsingParentResults('README-secret.md');
    expect(secret.excluded).toBe(true);
    expect(secret.rule?.toString()).toBe('README-secret.md');
    expect(secret.rule?.line).toBe(3);
    expect(pm.matchesUsingParentResults('boring.md').rule?.line).toBe(1);
    expect(pm.matchesUsingParentResults('README.md')).toMatchObject({ excluded: false });
  });

  it('carries parent results down: a child of an excluded dir is excluded by the same rule', () => {
    const pm = PatternMatcher.create(['build']);
    const dir = pm.matchesUsingParentResults('build');
    const child = pm.matchesUsingParentResults('build/out.o', dir.info);
    expect(child.excluded).toBe(true);
    expect(child.rule?.toString()).toBe('build');
  });

  it('deprecated Matches misses `**/build` for build/Dockerfile, as docker/cli does', () => {
    const pm = PatternMatcher.create(['**/build']);
    expect(pm.matches('build/Dockerfile')).toBe(false);
    expect(pm.matchesOrParentMatches('build/Dockerfile')).toBe(true);
  });
});

describe('Go text helpers', () => {
  it.each([
    ['', '.'],
    ['a//b/./c/..', 'a/b'],
    ['/../x', '/x'],
    ['../../x', '../../x'],
    ['a/../..', '..'],
    ['/', '/'],
  ])('path.Clean(%j) = %j', (p, want) => {
    expect(goCleanPath(p)).toBe(want);
  });

  it('Dir, TrimSpace', () => {
    expect(goDir('file/')).toBe('file');
    expect(goDir('a')).toBe('.');
    expect(goDir('/')).toBe('/');
    expect(trimGoSpace('\u00a0 x\u3000')).toBe('x');
    expect(trimGoSpace('\ufeffx')).toBe('\ufeffx');
  });

  it('orders names by UTF-8 bytes like os.ReadDir', () => {
    const names = ['b', 'B', '\u{1F600}', '\uFF5E', 'a', '_', 'é'];
    expect([...names].sort(compareGoStrings)).toEqual(['B', '_', 'a', 'b', 'é', '\uFF5E', '\u{1F600}']);
  });
});
