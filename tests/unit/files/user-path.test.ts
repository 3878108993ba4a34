import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StrataError } from '$shared/engine/errors';
import { openRegularFile, saveTarget, userPath } from '../../../src-main/core/files/user-path';

const dir = mkdtempSync(join(tmpdir(), 'strata-user-path-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function refusal(run: () => unknown): StrataError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(StrataError);
    return err as StrataError;
  }
  throw new Error('expected a refusal');
}

async function asyncRefusal(promise: Promise<unknown>): Promise<StrataError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(StrataError);
  return err as StrataError;
}

describe('userPath', () => {
  const home = '/home/ada';
  it('expands ~ and ~/ to the home folder given, and nothing else', () => {
    expect(userPath('~', { kind: 'folder', homeDir: home })).toBe(home);
    expect(userPath('~/', { kind: 'any', homeDir: home })).toBe(home);
    expect(userPath('~/ctx/Dockerfile', { kind: 'file', homeDir: home })).toBe('/home/ada/ctx/Dockerfile');
    expect(refusal(() => userPath('~bob/x', { kind: 'file', homeDir: home })).code).toBe('invalid-input');
  });

  it('refuses relative paths, whatever the kind', () => {
    for (const kind of ['file', 'folder', 'any'] as const) {
      for (const typed of ['out.tar', './out.tar', '../x', 'ctx/', '.']) {
        const err = refusal(() => userPath(typed, { kind, homeDir: home }));
        expect(err.code).toBe('invalid-input');
        expect(err.message).toContain('relative');
      }
    }
  });

  it('takes a trailing separator to mean a folder: refused for a file, dropped for a folder', () => {
    expect(refusal(() => userPath('/tmp/out/', { kind: 'file' })).message).toContain('names a folder');
    expect(refusal(() => userPath('~', { kind: 'file', homeDir: home })).code).toBe('invalid-input');
    expect(refusal(() => userPath('/', { kind: 'file' })).code).toBe('invalid-input');
    expect(userPath('/tmp/ctx/', { kind: 'folder' })).toBe('/tmp/ctx');
    expect(userPath('/tmp/ctx//', { kind: 'any' })).toBe('/tmp/ctx');
    expect(userPath('/', { kind: 'folder' })).toBe('/');
  });

  it('normalizes, drops surrounding spaces, and refuses empty paths and NUL', () => {
    expect(userPath('  /tmp/a/../b/./Dockerfile\n', { kind: 'file' })).toBe('/tmp/b/Dockerfile');
    expect(refusal(() => userPath('   ', { kind: 'file' })).code).toBe('invalid-input');
    expect(refusal(() => userPath('/tmp/a\0b', { kind: 'file' })).message).toContain('NUL');
  });
});

describe('saveTarget and openRegularFile', () => {
  it('follows a link to its target, and refuses a broken link, saying where it points', async () => {
    writeFileSync(join(dir, 'real'), 'x');
    symlinkSync(join(dir, 'real'), join(dir, 'good-link'));
    symlinkSync(join(dir, 'gone'), join(dir, 'broken-link'));
    expect(await saveTarget(join(dir, 'good-link'))).toBe(join(dir, 'real'));
    expect(await saveTarget(join(dir, 'new-file'))).toBe(join(dir, 'new-file'));
    const err = await asyncRefusal(saveTarget(join(dir, 'broken-link')));
    expect(err.code).toBe('invalid-input');
    expect(err.message).toContain('broken link');
    expect(err.details).toMatchObject({ linkTarget: join(dir, 'gone') });
  });

  it.runIf(process.platform !== 'win32')('refuses a FIFO or a folder without waiting on it', async () => {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    mkdirSync(join(dir, 'folder'));
    expect((await asyncRefusal(saveTarget(fifo))).message).toContain('not a regular file');
    expect((await asyncRefusal(saveTarget(join(dir, 'folder')))).message).toContain('folder');
    // More opens than Node has file-system threads: a blocking open would never return.
    const refusals = await Promise.all(Array.from({ length: 8 }, () => asyncRefusal(openRegularFile(fifo))));
    expect(refusals.map((e) => e.code)).toEqual(Array(8).fill('invalid-input'));
    const handle = await openRegularFile(join(dir, 'real'));
    expect(String(await handle.readFile())).toBe('x');
    await handle.close();
  });
});
