import { truncate } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { scanContext, type ContextScan } from '../../../src-main/core/context/context-scan';
import { removeTrees, tempTree } from './temp-tree';

afterEach(removeTrees);

const paths = (scan: ContextScan): string[] => scan.entries.map((e) => e.path);

describe('walk order and exclusions (go-archive TarWithOptions)', () => {
  it('walks in filepath.WalkDir order: a directory, its content, then its later siblings', async () => {
    const dir = await tempTree({ Dockerfile: 'FROM scratch\n', 'a/z': 'z', 'a-b': '1', 'a.txt': '2', B: '3', é: '4' });
    const scan = await scanContext({ contextDir: dir });
    expect(paths(scan)).toEqual(['B', 'Dockerfile', 'a', 'a/z', 'a-b', 'a.txt', 'é']);
    expect(scan.entries.find((e) => e.path === 'a')).toMatchObject({ type: 'dir', size: 0 });
  });

  it('descends an excluded directory an exception starts with, without sending its header', async () => {
    const dir = await tempTree({
      Dockerfile: 'FROM scratch\n',
      '.dockerignore': 'dir\n!dir/sub/keep.txt\n',
      'dir/top.txt': 't',
      'dir/sub/keep.txt': 'k',
      'dir/sub/other.txt': 'o',
    });
    const scan = await scanContext({ contextDir: dir });
    expect(paths(scan)).toEqual(['.dockerignore', 'Dockerfile', 'dir/sub/keep.txt']);
    // dir, dir/sub, dir/sub/other.txt, dir/top.txt
    expect(scan.excluded).toBe(4);
    expect(scan.excludedBy).toEqual([{ pattern: 'dir', line: 1, count: 4 }]);
  });

  it('does not descend for `!**/keep`: the exception text does not start with the directory', async () => {
    const dir = await tempTree({
      Dockerfile: 'FROM scratch\n',
      '.dockerignore': 'other\n!**/keep\n',
      'other/keep': 'k',
      keep: 'top',
    });
    const scan = await scanContext({ contextDir: dir });
    expect(paths(scan)).toEqual(['.dockerignore', 'Dockerfile', 'keep']);
    expect(scan.excluded).toBe(1);
  });

  it('keeps only src for `**` + `!src`, directory header included', async () => {
    const dir = await tempTree({
      Dockerfile: 'FROM scratch\n',
      '.dockerignore': '**\n!src\n',
      'src/main.ts': 'm',
      'src/deep/x.ts': 'x',
      'pkg.json': '{}',
    });
    const scan = await scanContext({ contextDir: dir });
    expect(paths(scan)).toEqual(['src', 'src/deep', 'src/deep/x.ts', 'src/main.ts']);
    expect(scan.excludedBy).toEqual([{ pattern: '**', line: 1, count: 3 }]);
  });

  it('counts an excluded directory it does not descend once', async () => {
    const dir = await tempTree({
      Dockerfile: 'FROM scratch\n',
      '.dockerignore': 'node_modules\n',
      'node_modules/a/b.js': '1',
      'node_modules/c.js': '2',
    });
    const scan = await scanContext({ contextDir: dir });
    expect(scan.excluded).toBe(1);
    expect(paths(scan)).not.toContain('node_modules');
  });
});

describe('links', () => {
  it('sends symlinks as links and never follows them', async () => {
    const dir = await tempTree({
      Dockerfile: 'FROM scratch\n',
      'real/file': 'data',
      'to-dir': { symlink: 'real' },
      dangling: { symlink: 'nowhere' },
      outside: { symlink: '/etc/passwd' },
    });
    const scan = await scanContext({ contextDir: dir });
    expect(scan.entries.filter((e) => e.type === 'symlink').map((e) => [e.path, e.linkname, e.size])).toEqual([
      ['dangling', 'nowhere', 0],
      ['outside', '/etc/passwd', 0],
      ['to-dir', 'real', 0],
    ]);
    expect(paths(scan)).not.toContain('to-dir/file');
  });

  it('sends a second path to the same inode as a hard link to the first one sent', async () => {
    const dir = await tempTree({
      Dockerfile: 'FROM scratch\n',
      'a/one': 'same content',
      'b/two': { hardlink: 'a/one' },
      'c/three': { hardlink: 'a/one' },
    });
    const scan = await scanContext({ contextDir: dir });
    const byPath = Object.fromEntries(scan.entries.map((e) => [e.path, e]));
    expect(byPath['a/one']).toMatchObject({ type: 'file', size: 12 });
    expect(byPath['b/two']).toMatchObject({ type: 'hardlink', size: 0, linkname: 'a/one' });
    expect(byPath['c/three']).toMatchObject({ type: 'hardlink', size: 0, linkname: 'a/one' });
  });

  it('makes the first sent path the file when the first link is excluded', async () => {
    const dir = await tempTree({
      Dockerfile: 'FROM scratch\n',
      '.dockerignore': 'a\n',
      'a/one': 'x',
      'b/two': { hardlink: 'a/one' },
    });
    const scan = await scanContext({ contextDir: dir });
    expect(scan.entries.find((e) => e.path === 'b/two')).toMatchObject({ type: 'file', size: 1 });
  });
});

describe('Dockerfile and ignore file per builder (context-rules.md §2)', () => {
  const buildkitTest = {
    Dockerfile: 'FROM scratch\nCOPY . .\n',
    '.dockerignore': 'ba*\nDockerfile\n!bay\n.dockerignore\n',
    foo: 'foo',
    bar: 'bar',
    baz: 'baz',
    bay: 'bay',
  };

  it('BuildKit sends neither the excluded Dockerfile nor .dockerignore (buildkit testDockerignore)', async () => {
    const scan = await scanContext({ contextDir: await tempTree(buildkitTest), builder: 'buildkit' });
    expect(paths(scan)).toEqual(['bay', 'foo']);
    expect(scan.dockerfile).toMatchObject({ relPath: 'Dockerfile', inContext: true, sent: false });
    expect(scan.warnings).toEqual([]);
  });

  it('the classic builder always sends the Dockerfile and .dockerignore', async () => {
    const scan = await scanContext({ contextDir: await tempTree(buildkitTest), builder: 'classic' });
    expect(paths(scan)).toEqual(['.dockerignore', 'Dockerfile', 'bay', 'foo']);
    expect(scan.forcedPatterns).toEqual(['!.dockerignore', '!Dockerfile']);
  });

  it('BuildKit with forceBuildFiles keeps both, for an upload through the build API', async () => {
    const scan = await scanContext({
      contextDir: await tempTree(buildkitTest),
      builder: 'buildkit',
      forceBuildFiles: true,
    });
    expect(paths(scan)).toEqual(['.dockerignore', 'Dockerfile', 'bay', 'foo']);
  });

  it('BuildKit prefers <Dockerfile>.dockerignore; the classic builder ignores it (testDockerignoreOverride)', async () => {
    const dir = await tempTree({
      Dockerfile: 'FROM scratch\n',
      Dockerfile2: 'FROM scratch\n',
      'Dockerfile.dockerignore': 'bar\n',
      'Dockerfile2.dockerignore': 'foo\n',
      '.dockerignore': 'Dockerfile*\n',
      foo: 'foo',
      bar: 'bar',
    });
    const one = await scanContext({ contextDir: dir, builder: 'buildkit' });
    expect(one.ignoreFile).toEqual({ path: path.join(dir, 'Dockerfile.dockerignore'), kind: 'dockerfile-specific' });
    expect(paths(one)).not.toContain('bar');
    expect(paths(one)).toContain('foo');
    const two = await scanContext({ contextDir: dir, builder: 'buildkit', dockerfile: 'Dockerfile2' });
    expect(paths(two)).toContain('bar');
    expect(paths(two)).not.toContain('foo');
    const classic = await scanContext({ contextDir: dir, builder: 'classic', dockerfile: 'Dockerfile2' });
    expect(classic.ignoreFile?.kind).toBe('context');
    expect(paths(classic)).toEqual(['.dockerignore', 'Dockerfile2', 'bar', 'foo']);
  });

  it('forces an excluded Dockerfile in a subfolder with `!sub/Dockerfile`, without the folder header', async () => {
    const dir = await tempTree({
      '.dockerignore': 'build\n',
      'build/Dockerfile': 'FROM scratch\n',
      'build/other': 'x',
      src: 's',
    });
    const scan = await scanContext({ contextDir: dir, builder: 'classic', dockerfile: 'build/Dockerfile' });
    expect(paths(scan)).toEqual(['.dockerignore', 'build/Dockerfile', 'src']);
  });

  it('warns when docker/cli would miss an excluded Dockerfile (`**/build`, deprecated Matches)', async () => {
    const dir = await tempTree({ '.dockerignore': '**/build\n', 'build/Dockerfile': 'FROM scratch\n', src: 's' });
    const scan = await scanContext({ contextDir: dir, builder: 'classic', dockerfile: 'build/Dockerfile' });
    expect(paths(scan)).toEqual(['.dockerignore', 'src']);
    expect(scan.dockerfile.sent).toBe(false);
    expect(scan.warnings.map((w) => w.code)).toEqual(['dockerfile-not-sent']);
  });

  it('adds a Dockerfile from outside the context as .dockerfile.<id> and names it in .dockerignore (classic)', async () => {
    const outside = await tempTree({ 'Dockerfile.outside': 'FROM scratch\n' });
    const dir = await tempTree({ '.dockerignore': 'tmp\n', app: 'a' });
    const scan = await scanContext({
      contextDir: dir,
      builder: 'classic',
      dockerfile: path.join(outside, 'Dockerfile.outside'),
    });
    expect(scan.dockerfile.inContext).toBe(false);
    const names = paths(scan);
    expect(names.slice(0, 2)).toEqual(['.dockerignore', 'app']);
    expect(names[2]).toMatch(/^\.dockerfile\.[0-9a-f]{20}$/);
    const ignore = scan.entries[0];
    expect(ignore?.content?.toString()).toBe(`tmp\n\n${names[2]}\n`);
    expect(scan.entries[2]).toMatchObject({ mode: 0o600, size: 13 });
    const bk = await scanContext({
      contextDir: dir,
      builder: 'buildkit',
      dockerfile: path.join(outside, 'Dockerfile.outside'),
    });
    expect(paths(bk)).toEqual(['.dockerignore', 'app']);
  });

  it('creates .dockerignore for an outside Dockerfile when the context has none', async () => {
    const outside = await tempTree({ Dockerfile: 'FROM scratch\n' });
    const dir = await tempTree({ app: 'a' });
    const scan = await scanContext({
      contextDir: dir,
      builder: 'classic',
      dockerfile: path.join(outside, 'Dockerfile'),
    });
    const last = scan.entries[scan.entries.length - 1];
    expect(last?.path).toBe('.dockerignore');
    expect(last?.content?.toString()).toMatch(/^\.dockerignore\n\.dockerfile\.[0-9a-f]{20}\n$/);
  });

  it('falls back to a lowercase dockerfile only when Dockerfile is absent', async () => {
    const dir = await tempTree({ dockerfile: 'FROM scratch\n' });
    const scan = await scanContext({ contextDir: dir });
    expect(scan.dockerfile.relPath).toBe('dockerfile');
  });
});

describe('permissions', () => {
  it('keeps Unix permission bits, setuid included', async () => {
    const dir = await tempTree({ Dockerfile: 'FROM scratch\n', run: { content: '#!/bin/sh', mode: 0o4750 } });
    const scan = await scanContext({ contextDir: dir, windowsPermissions: false });
    expect(scan.entries.find((e) => e.path === 'run')?.mode).toBe(0o4750);
  });

  it('normalises permissions as a Windows client does', async () => {
    const dir = await tempTree({
      Dockerfile: { content: 'FROM scratch\n', mode: 0o644 },
      ro: { content: 'r', mode: 0o444 },
      none: { content: 'n', mode: 0o000 },
      all: { content: 'a', mode: 0o777 },
      d: { dir: true, mode: 0o700 },
    });
    const scan = await scanContext({ contextDir: dir, windowsPermissions: true });
    const modes = Object.fromEntries(scan.entries.map((e) => [e.path, e.mode]));
    // (0o700 & 0o755) | 0o111; Go on Windows reports directories as 0o777, which becomes 0o755.
    expect(modes).toEqual({ Dockerfile: 0o755, all: 0o755, d: 0o711, none: 0o111, ro: 0o555 });
  });
});

describe('summary', () => {
  it('reports the largest files and folders, the excluding rules and the warnings', async () => {
    const dir = await tempTree({
      Dockerfile: 'FROM scratch\n',
      '.dockerignore': '*.log\n# comment\ntmp\n',
      'a.log': 'x',
      'b.log': 'y',
      tmp: 'z',
      'src/big.bin': Buffer.alloc(5000),
      'src/lib/small.txt': 'hello',
      'src/node_modules/dep/index.js': 'js',
      '.git/HEAD': 'ref',
    });
    await truncate(path.join(dir, 'src/big.bin'), 101_000_000); // sparse: nothing is written
    const scan = await scanContext({ contextDir: dir, top: 2 });
    expect(scan.excludedBy).toEqual([
      { pattern: '*.log', line: 1, count: 2 },
      { pattern: 'tmp', line: 3, count: 1 },
    ]);
    expect(scan.largestFiles).toEqual([
      { path: 'src/big.bin', size: 101_000_000 },
      { path: '.dockerignore', size: 20 },
    ]);
    expect(scan.largestDirs).toEqual([
      { path: 'src', size: 101_000_007, files: 3 },
      { path: 'src/lib', size: 5, files: 1 },
    ]);
    expect(scan.warnings.map((w) => [w.code, w.suggestedRule])).toEqual([
      ['context-large', undefined],
      ['git-included', '.git'],
      ['node-modules-included', '**/node_modules'],
    ]);
    expect(scan.fileCount).toBe(6);
    expect(scan.contentBytes).toBe(101_000_000 + 5 + 2 + 3 + 20 + 13);
  });
});
