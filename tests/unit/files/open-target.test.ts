import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTarget, probePath } from '../../../src-main/core/files/open-target';

// Which paths given to the app open, and what a person is told about those that do not: the decision is pure
// (it takes the file system's answer), so each case is written out; probePath is checked on real files.
const problemOf = (path: string, probe: Parameters<typeof openTarget>[1]) => {
  const target = openTarget(path, probe);
  if (!('problem' in target)) throw new Error(`expected ${path} to be refused, got ${JSON.stringify(target)}`);
  return target.problem;
};

describe('what a path given to the app opens as', () => {
  it('opens a readable folder as a build context, an archive as an archive, any other file as a Dockerfile', () => {
    const folder = { found: true, type: 'folder', readable: true } as const;
    const file = { found: true, type: 'file', readable: true } as const;
    expect(openTarget('/src/app', folder)).toEqual({ command: { command: 'open-build-context', path: '/src/app' } });
    for (const name of ['a.tar', 'a.tar.gz', 'a.TGZ', 'a.tar.xz', 'a.tar.zst'])
      expect(openTarget(`/x/${name}`, file)).toEqual({
        command: { command: 'open-image-archive', path: `/x/${name}` },
      });
    for (const name of ['Dockerfile', 'web.Dockerfile', 'Containerfile', 'notes.txt', 'a.tar.bak'])
      expect(openTarget(`/x/${name}`, file)).toEqual({ command: { command: 'open-dockerfile', path: `/x/${name}` } });
  });

  it('says a missing path does not exist, names it, and says what to check', () => {
    for (const code of ['ENOENT', 'ENOTDIR']) {
      const problem = problemOf('/home/me/image.tar', { found: false, code, message: `${code}: no` });
      expect(problem).toEqual({
        path: '/home/me/image.tar',
        reason: 'missing',
        message:
          'Strata could not open /home/me/image.tar: it does not exist. Check the path (a relative one is read from the folder the command ran in), then open it again.',
      });
    }
  });

  it('says permission denied for a path it may not read, whether stat or the read check refused', () => {
    const fromStat = problemOf('/root/secret', { found: false, code: 'EACCES', message: 'EACCES: permission denied' });
    const fromAccess = problemOf('/root/secret', { found: true, type: 'folder', readable: false });
    for (const problem of [fromStat, fromAccess]) {
      expect(problem.reason).toBe('unreadable');
      expect(problem.message).toBe(
        'Strata cannot read /root/secret: permission denied. Give your user read access to it (or copy it somewhere you can read), then open it again.',
      );
    }
    expect(problemOf('/x/Dockerfile', { found: true, type: 'file', readable: false }).reason).toBe('unreadable');
  });

  it('refuses a pipe, socket or device, saying what it can open', () => {
    const problem = problemOf('/dev/null', { found: true, type: 'other', readable: true });
    expect(problem.reason).toBe('unsupported');
    expect(problem.message).toBe(
      'Strata cannot open /dev/null: it is neither a file nor a folder (a pipe, socket or device). Open a build context folder, a Dockerfile or an image archive (.tar, .tar.gz).',
    );
  });

  it("passes any other failure on in the system's words, with the path", () => {
    const problem = problemOf('/x/loop', { found: false, code: 'ELOOP', message: 'ELOOP: too many symbolic links' });
    expect(problem).toEqual({
      path: '/x/loop',
      reason: 'failed',
      message: 'Strata could not open /x/loop: ELOOP: too many symbolic links. Check the path, then open it again.',
    });
  });
});

describe('what the file system says about a path', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'strata-open-target-'));
    await mkdir(join(root, 'ctx'));
    await writeFile(join(root, 'ctx', 'Dockerfile'), 'FROM scratch\n');
    execFileSync('mkfifo', [join(root, 'pipe')]);
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('tells a folder, a file, a pipe and a missing path apart', async () => {
    expect(await probePath(join(root, 'ctx'))).toEqual({ found: true, type: 'folder', readable: true });
    expect(await probePath(join(root, 'ctx', 'Dockerfile'))).toEqual({ found: true, type: 'file', readable: true });
    expect(await probePath(join(root, 'pipe'))).toEqual({ found: true, type: 'other', readable: true });
    expect(await probePath(join(root, 'nothing'))).toMatchObject({ found: false, code: 'ENOENT' });
    expect(await probePath(join(root, 'ctx', 'Dockerfile', 'below'))).toMatchObject({ found: false, code: 'ENOTDIR' });
  });

  it('asks for read access (and entry, for a folder) as this user', async () => {
    const modes: number[] = [];
    const fs = {
      stat: (await import('node:fs/promises')).stat,
      access: async (_path: string, mode: number) => {
        modes.push(mode);
        throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
      },
    };
    expect(await probePath(join(root, 'ctx'), fs)).toEqual({ found: true, type: 'folder', readable: false });
    expect(await probePath(join(root, 'ctx', 'Dockerfile'), fs)).toEqual({
      found: true,
      type: 'file',
      readable: false,
    });
    const { constants } = await import('node:fs');
    expect(modes).toEqual([constants.R_OK | constants.X_OK, constants.R_OK]);
  });
});
