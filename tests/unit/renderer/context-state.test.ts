import { beforeEach, describe, expect, it } from 'vitest';
import { engineError, ipc } from './ipc-double';
import {
  addIgnoreRule,
  buildContext,
  openBuildContext,
  useDockerfile,
} from '../../../src-renderer/components/context/context-state.svelte';
import { doc } from '../../../src-renderer/components/editor/dockerfile-document.svelte';

const report = (sentFiles: number) => ({ sentFiles, ignoreFile: null });
let scans = 0;

beforeEach(() => {
  ipc.reset();
  scans = 0;
  ipc.answer('context.recent', () => []);
  ipc.answer('build.lastOptions', () => null);
  ipc.answer('files.watch', () => ({}));
  ipc.answer('files.read', ({ path }: { path: string }) => ({
    path,
    text: 'FROM busybox\n',
    version: { mtimeMs: 1, size: 13 },
  }));
  ipc.answer('context.scan', () => report(++scans));
});

/** Scans run on a timer; wait until the state shows one. */
async function scanned(): Promise<void> {
  await expect.poll(() => buildContext.report).not.toBeNull();
}

describe('build context state (the opened folder, its Dockerfile, what a build sends)', () => {
  it('opens a folder with one Dockerfile: opens it in the editor and scans what a build would send', async () => {
    ipc.answer('context.open', () => ({ contextDir: '/app', candidates: ['Dockerfile'] }));
    const opened = await openBuildContext(' /app ');
    expect(opened).toEqual({ contextDir: '/app', dockerfile: 'Dockerfile' });
    expect(ipc.requests('context.open')).toEqual([{ path: '/app' }]);
    expect(buildContext).toMatchObject({ contextDir: '/app', dockerfile: 'Dockerfile', needsPick: false, error: '' });
    expect(doc.path).toBe('/app/Dockerfile');
    await scanned();
    expect(buildContext.report).toEqual(report(1));
    expect(ipc.requests('context.scan')[0]).toMatchObject({ contextDir: '/app', dockerfile: 'Dockerfile' });
  });

  it('a path typed twice at once (change, then submit) is opened once', async () => {
    ipc.answer('context.open', () => ({ contextDir: '/twice', candidates: ['Dockerfile'] }));
    const [a, b] = await Promise.all([openBuildContext('/twice'), openBuildContext('/twice')]);
    expect(a).toEqual(b);
    expect(ipc.requests('context.open')).toHaveLength(1);
  });

  it('several Dockerfiles and none remembered: asks the person to pick, scans nothing until then', async () => {
    ipc.answer('context.open', () => ({ contextDir: '/multi', candidates: ['Dockerfile', 'dev.Dockerfile'] }));
    expect(await openBuildContext('/multi')).toEqual({ contextDir: '/multi' });
    expect(buildContext.needsPick).toBe(true);
    expect(buildContext.report).toBeNull();

    expect(await useDockerfile('dev.Dockerfile')).toBe(true);
    expect(buildContext).toMatchObject({ dockerfile: 'dev.Dockerfile', needsPick: false });
    expect(doc.path).toBe('/multi/dev.Dockerfile');
    await scanned();
    expect(ipc.requests('context.scan').at(-1)).toMatchObject({ contextDir: '/multi', dockerfile: 'dev.Dockerfile' });
  });

  it('the Dockerfile last built with the folder is chosen among several', async () => {
    ipc.answer('context.open', () => ({ contextDir: '/built', candidates: ['Dockerfile', 'ci.Dockerfile'] }));
    ipc.answer('build.lastOptions', () => ({ dockerfile: 'ci.Dockerfile', options: {} }));
    expect(await openBuildContext('/built')).toEqual({ contextDir: '/built', dockerfile: 'ci.Dockerfile' });
  });

  it('a folder main cannot open says why and changes nothing', async () => {
    const before = buildContext.contextDir;
    ipc.answer('context.open', () => {
      throw engineError('not-found', '/nope does not exist');
    });
    expect(await openBuildContext('/nope')).toBeNull();
    expect(buildContext.error).toBe('/nope does not exist');
    expect(buildContext.contextDir).toBe(before);
  });

  it('a failed scan says why; adding an ignore rule says where it went and scans again', async () => {
    ipc.answer('context.open', () => ({ contextDir: '/rules', candidates: ['Dockerfile'] }));
    ipc.answer('context.scan', () => {
      throw engineError('invalid-input', 'Dockerfile is not in the context');
    });
    await openBuildContext('/rules');
    await expect.poll(() => buildContext.scanError).toBe('Dockerfile is not in the context');
    expect(buildContext.report).toBeNull();

    ipc.answer('context.scan', () => report(++scans));
    ipc.answer('context.addIgnoreRule', () => ({ added: true, path: '/rules/.dockerignore', line: 3 }));
    await addIgnoreRule('*.log');
    expect(buildContext.notice).toBe('Added "*.log" to /rules/.dockerignore (line 3).');
    expect(buildContext.noticeTone).toBe('done');
    await scanned();
    expect(buildContext.scanError).toBe('');

    ipc.answer('context.addIgnoreRule', () => ({ added: false, path: '/rules/.dockerignore', line: 3 }));
    await addIgnoreRule('*.log');
    expect(buildContext.notice).toBe('/rules/.dockerignore already has "*.log" (line 3).');
  });
});
