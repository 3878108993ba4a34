import { EventEmitter } from 'node:events';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { splitPath } from '$shared/commands';
import {
  classifyPath,
  OpenPaths,
  pathsFromArgv,
  type OpenCommand,
  type OpenEventSource,
  type OpenProblem,
} from '../../../src-main/electron/open-paths';

// A fake of Electron's `app` as an event source; the files are real, in a temp folder.
let root: string;
let project: string;
let dockerfile: string;
let containerfile: string;
let named: string;
let archive: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'strata-open-'));
  project = join(root, 'my project');
  await mkdir(project);
  dockerfile = join(project, 'Dockerfile');
  containerfile = join(project, 'Containerfile');
  named = join(project, 'web.Dockerfile');
  archive = join(root, 'busybox.tar.gz');
  for (const f of [dockerfile, containerfile, named, archive]) await writeFile(f, 'FROM scratch\n');
});

afterAll(() => rm(root, { recursive: true, force: true }));

function fakeApp() {
  return new EventEmitter() as EventEmitter & OpenEventSource;
}

function openFileEvent() {
  return {
    prevented: false,
    preventDefault() {
      this.prevented = true;
    },
  };
}

function setup(argv: string[] = ['/opt/Strata/strata'], defaultApp = false) {
  const sent: OpenCommand[] = [];
  const refused: OpenProblem[] = [];
  const logged: string[] = [];
  let focused = 0;
  const source = fakeApp();
  const paths = new OpenPaths({
    argv,
    cwd: root,
    defaultApp,
    send: (c) => sent.push(c),
    refuse: (p) => refused.push(p),
    focus: () => focused++,
    log: (line) => logged.push(line),
  }).attach(source);
  return { sent, refused, logged, source, paths, focused: () => focused };
}

describe('open paths', () => {
  it('takes paths from argv, skipping the executable, the app folder of `electron .` and switches', () => {
    expect(
      pathsFromArgv(['/opt/Strata/strata', 'Dockerfile', '--enable-logging', '/abs/dir'], {
        cwd: '/work',
        defaultApp: false,
      }),
    ).toEqual(['/work/Dockerfile', '/abs/dir']);
    expect(pathsFromArgv(['/usr/bin/electron', '.', 'ctx'], { cwd: '/work', defaultApp: true })).toEqual(['/work/ctx']);
    // Playwright's _electron puts its switches before the app folder.
    expect(
      pathsFromArgv(['/usr/bin/electron', '--inspect=0', '--remote-debugging-port=0', '/repo'], {
        cwd: '/w',
        defaultApp: true,
      }),
    ).toEqual([]);
    expect(pathsFromArgv(['strata', '--', '-odd-name'], { cwd: '/w', defaultApp: false })).toEqual(['/w/-odd-name']);
    expect(pathsFromArgv(['strata'], { cwd: '/w', defaultApp: false })).toEqual([]);
  });

  it('opens a folder as a build context, a Dockerfile by any name as a Dockerfile, a tar as an archive', async () => {
    expect(await classifyPath(project)).toEqual({ command: { command: 'open-build-context', path: project } });
    for (const f of [dockerfile, containerfile, named])
      expect(await classifyPath(f)).toEqual({ command: { command: 'open-dockerfile', path: f } });
    expect(await classifyPath(archive)).toEqual({ command: { command: 'open-image-archive', path: archive } });
    const missing = join(root, 'missing');
    expect(await classifyPath(missing)).toEqual({
      problem: { path: missing, reason: 'missing', message: expect.stringContaining(`${missing}: it does not exist`) },
    });
  });

  it('keeps what arrives before the page listens (macOS open-file before ready) and delivers it in order', async () => {
    const { sent, source, paths } = setup(['/opt/Strata/strata', 'my project']);
    const early = openFileEvent();
    source.emit('open-file', early, dockerfile);
    source.emit('open-file', openFileEvent(), archive);
    expect(early.prevented).toBe(true);
    await paths.open([]);
    expect(sent).toEqual([]);
    await paths.rendererReady();
    expect(sent).toEqual([
      { command: 'open-build-context', path: project },
      { command: 'open-dockerfile', path: dockerfile },
      { command: 'open-image-archive', path: archive },
    ]);
  });

  it('after the page is ready, sends at once; a dropped folder on the dock icon opens as a context', async () => {
    const { sent, source, paths } = setup();
    await paths.rendererReady();
    source.emit('open-file', openFileEvent(), project);
    await paths.open([]);
    expect(sent).toEqual([{ command: 'open-build-context', path: project }]);
  });

  it('a second launch focuses the first window and passes its path along, relative to where it was launched', async () => {
    const { sent, source, paths, focused } = setup();
    await paths.rendererReady();
    source.emit(
      'second-instance',
      {},
      ['/opt/Strata/strata', '--allow-file-access-from-files', 'Dockerfile'],
      project,
      undefined,
    );
    await paths.open([]);
    expect(focused()).toBe(1);
    expect(sent).toEqual([{ command: 'open-dockerfile', path: dockerfile }]);
  });

  it('prefers the launch data the second instance handed over (Chromium may rewrite argv) and reports what does not exist', async () => {
    const { sent, refused, logged, source, paths, focused } = setup();
    await paths.rendererReady();
    source.emit('second-instance', {}, ['/opt/Strata/strata', '--mangled'], '/', {
      argv: ['/opt/Strata/strata', 'web.Dockerfile', 'no-such-file'],
      cwd: project,
    });
    source.emit('second-instance', {}, ['/opt/Strata/strata'], '/', { argv: 'not a list' });
    await paths.open([]);
    expect(focused()).toBe(2);
    expect(sent).toEqual([{ command: 'open-dockerfile', path: named }]);
    const missing = join(project, 'no-such-file');
    expect(refused).toEqual([
      {
        path: missing,
        reason: 'missing',
        message: `Strata could not open ${missing}: it does not exist. Check the path (a relative one is read from the folder the command ran in), then open it again.`,
      },
    ]);
    expect(logged).toEqual([refused[0]!.message]);
  });

  it('keeps a refusal that arrives before the page listens, in order with the paths that open', async () => {
    const missing = join(root, 'gone.tar');
    const { sent, refused, source, paths } = setup(['/opt/Strata/strata', missing, 'my project']);
    source.emit('open-file', openFileEvent(), join(root, 'also-gone'));
    await paths.open([]);
    expect(refused).toEqual([]);
    await paths.rendererReady();
    expect(refused.map((p) => p.path)).toEqual([missing, join(root, 'also-gone')]);
    expect(sent).toEqual([{ command: 'open-build-context', path: project }]);
  });

  it('reports a path that is neither file nor folder, and one it may not read, through the same door', async () => {
    const fifo = join(root, 'a-pipe');
    const sent: OpenCommand[] = [];
    const refused: OpenProblem[] = [];
    const probed = new OpenPaths({
      argv: ['/opt/Strata/strata'],
      cwd: root,
      defaultApp: false,
      send: (c) => sent.push(c),
      refuse: (p) => refused.push(p),
      focus: () => undefined,
      log: () => undefined,
      // This suite runs as any user (root reads everything): the file system's answer is given.
      probe: async (path) =>
        path === fifo ? { found: true, type: 'other', readable: true } : { found: true, type: 'file', readable: false },
    });
    await probed.rendererReady();
    await probed.open([fifo, dockerfile]);
    expect(sent).toEqual([]);
    expect(refused.map((p) => [p.path, p.reason])).toEqual([
      [fifo, 'unsupported'],
      [dockerfile, 'unreadable'],
    ]);
  });

  it('logs a path it could not hand to the page, naming it, and goes on with the next', async () => {
    const sent: OpenCommand[] = [];
    const logged: string[] = [];
    const source = fakeApp();
    const paths = new OpenPaths({
      argv: ['/opt/Strata/strata', 'my project'],
      cwd: root,
      defaultApp: false,
      send: (c) => {
        if (c.path === project) throw new Error('the page went away');
        sent.push(c);
      },
      refuse: () => undefined,
      focus: () => undefined,
      log: (line) => logged.push(line),
    }).attach(source);
    // Waiting for the page: its failure to take them is logged, not left unhandled.
    paths.rendererLoaded();
    source.emit('open-file', openFileEvent(), dockerfile);
    await paths.open([]);
    expect(logged).toEqual([`Strata: could not hand the paths waiting to the page: the page went away`]);
    source.emit('open-file', openFileEvent(), project);
    await paths.open([]);
    expect(logged.slice(1)).toEqual([`Strata: could not open ${project}: the page went away`]);
    expect(sent).toEqual([{ command: 'open-dockerfile', path: dockerfile }]);
  });

  it('splits a Dockerfile path into its context folder and name, for both separators', () => {
    expect(splitPath('/src/app/Dockerfile')).toEqual({ dir: '/src/app', name: 'Dockerfile' });
    expect(splitPath('C:\\src\\app\\web.Dockerfile')).toEqual({ dir: 'C:\\src\\app', name: 'web.Dockerfile' });
    expect(splitPath('/Dockerfile')).toEqual({ dir: '/', name: 'Dockerfile' });
    expect(splitPath('C:\\Containerfile')).toEqual({ dir: 'C:\\', name: 'Containerfile' });
    expect(splitPath('Dockerfile')).toEqual({ dir: '', name: 'Dockerfile' });
  });
});
