import { chmod, link, lstat, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followPaths } from '../../../../src-main/core/build/session/follow-paths';
import { canRequestData, GoMode, goFileMode, syncWalk } from '../../../../src-main/core/build/session/sync-walk';
import { PatternMatcher } from '../../../../src-main/core/context/dockerignore-matcher';

let root: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'strata-sync-walk-'));
  for (const f of ['a.txt', 'a/b.txt', 'a-b/c.txt', 'a.d/x', 'logs/a.log', 'logs/keep.log', 'z/deep/f']) {
    await mkdir(path.join(root, path.dirname(f)), { recursive: true });
    await writeFile(path.join(root, f), f);
  }
  await mkdir(path.join(root, 'empty'));
  await symlink('a.txt', path.join(root, 'link'));
  await link(path.join(root, 'a.txt'), path.join(root, 'hard'));
  await chmod(path.join(root, 'a/b.txt'), 0o4755);
});
afterAll(() => rm(root, { recursive: true, force: true }));

const paths = async (opts: Parameters<typeof syncWalk>[0]) => (await syncWalk(opts)).map((e) => e.stat.path.toString());

describe('syncWalk, as fsutil walks and filters', () => {
  it('walks in filepath.WalkDir order: names as bytes, a folder followed by its children', async () => {
    expect(await paths({ root })).toEqual([
      'a',
      'a/b.txt',
      'a-b',
      'a-b/c.txt',
      'a.d',
      'a.d/x',
      'a.txt',
      'empty',
      'hard',
      'link',
      'logs',
      'logs/a.log',
      'logs/keep.log',
      'z',
      'z/deep',
      'z/deep/f',
    ]);
  });

  it('describes each path with Go file modes, ns times, link targets and hard links', async () => {
    const byPath = new Map((await syncWalk({ root, resetOwner: true })).map((e) => [e.stat.path.toString(), e]));
    expect(byPath.get('a')?.stat.mode).toBe(GoMode.dir + ((await lstat(path.join(root, 'a'))).mode & 0o777));
    expect(byPath.get('a/b.txt')?.stat.mode).toBe(GoMode.setuid + 0o755);
    expect(byPath.get('link')?.stat.mode).toBe(GoMode.symlink + 0o777);
    expect(byPath.get('link')?.stat.linkname.toString()).toBe('a.txt');
    expect(byPath.get('link')?.stat.size).toBe(5);
    // The second name of an inode is a hard link to the first, with no content of its own.
    expect(byPath.get('hard')?.stat).toMatchObject({ size: 0, uid: 0, gid: 0 });
    expect(byPath.get('hard')?.stat.linkname.toString()).toBe('a.txt');
    expect(byPath.get('a.txt')?.stat.size).toBe(5);
    expect(byPath.get('a.txt')?.stat.modTime).toBeGreaterThan(1_600_000_000n * 1_000_000_000n);
    expect(canRequestData(byPath.get('a.txt')?.stat.mode ?? 0)).toBe(true);
    expect(canRequestData(byPath.get('link')?.stat.mode ?? 0)).toBe(false);
    expect(canRequestData(byPath.get('a')?.stat.mode ?? 0)).toBe(false);
  });

  it('sends an excluded folder before a path an exception keeps, and skips folders nothing can bring back', async () => {
    const exclude = PatternMatcher.create(['logs', '!logs/keep.log', 'z', 'a*']);
    expect(await paths({ root, exclude })).toEqual(['empty', 'hard', 'link', 'logs', 'logs/keep.log']);
  });

  it('keeps only what include patterns name, with the folders on the way', async () => {
    const include = PatternMatcher.create(['z/deep/f', 'a.txt']);
    expect(await paths({ root, include })).toEqual(['a.txt', 'z', 'z/deep', 'z/deep/f']);
  });

  it('follows a symlinked path to its target, as followpaths asks', () => {
    expect(followPaths(root, ['link', 'missing'])).toEqual(['a.txt', 'link', 'missing']);
  });

  it('maps Unix modes to Go modes', () => {
    expect(goFileMode(0o100644)).toBe(0o644);
    expect(goFileMode(0o041777)).toBe(GoMode.dir + GoMode.sticky + 0o777);
    expect(goFileMode(0o020666)).toBe(GoMode.device + GoMode.charDevice + 0o666);
    expect(goFileMode(0o010600)).toBe(GoMode.namedPipe + 0o600);
  });
});
