import { beforeEach, describe, expect, it } from 'vitest';
import { deferred, engineError, ipc } from './ipc-double';
import {
  cancelBuild,
  loadContext,
  session,
  startBuild,
} from '../../../src-renderer/components/build/build-session.svelte';
import { defaultForm } from '../../../src-renderer/components/build/build-form';

const settle = () => new Promise((r) => setImmediate(r));
let seq = 0;
/** Main pushes one event of the build job. */
const job = (jobId: string, type: string, data: unknown) =>
  ipc.push('job.event', { jobId, kind: 'build', seq: seq++, type, data });

const step = {
  id: 'step-1',
  name: 'RUN echo hi',
  instruction: 'RUN',
  index: 1,
  total: 1,
  line: 2,
  kind: 'instruction',
};

beforeEach(() => {
  ipc.reset();
  seq = 0;
  ipc.answer('jobs.events', () => ({ events: [] }));
  ipc.answer('jobs.cancel', () => ({}));
  session.run = { ...session.run, state: 'idle', jobId: null };
  session.form = defaultForm();
  session.contextDir = '/ctx';
  session.dockerfile = 'Dockerfile';
  session.problems = [];
});

describe('build session (the Build view’s state, kept while the view is away)', () => {
  it('refuses to start without a folder or with a bad tag, saying why, and sends nothing', async () => {
    session.contextDir = '  ';
    await startBuild();
    expect(session.problems).toEqual(['Choose the build context folder first.']);
    session.contextDir = '/ctx';
    session.form = { ...defaultForm(), tags: 'Not A Tag' };
    await startBuild();
    // Tags are separated by spaces or commas: each of the three words is refused, saying why.
    expect(session.problems).toEqual(
      ['Not', 'A', 'Tag'].map(
        (word) =>
          `Tag "${word}": invalid reference format: repository name (library/${word}) must be lowercase; use "library/${word.toLowerCase()}"`,
      ),
    );
    expect(ipc.requests('build.start')).toEqual([]);
  });

  it('follows a build from start to succeeded: steps from its output, the kept build from done', async () => {
    ipc.answer('build.start', () => ({ jobId: 'b1' }));
    session.dockerfile = ' ';
    const history = session.historyVersion;
    await startBuild();
    expect(ipc.requests('build.start')[0]).toMatchObject({ contextDir: '/ctx', dockerfile: 'Dockerfile' });
    expect(session.run).toMatchObject({ jobId: 'b1', state: 'running' });
    await settle();

    job('b1', 'step', { stage: 'started', contextDir: '/ctx', dockerfile: 'Dockerfile', options: {}, note: 'classic' });
    job('b1', 'output', [
      { type: 'step-start', step, at: 5 },
      { type: 'step-log', stepId: 'step-1', stream: 'stdout', line: 'hi', at: 6 },
      { type: 'step-done', stepId: 'step-1', cached: false, durationMs: 3, at: 8 },
    ]);
    expect(session.run.progress.steps.map((s) => [s.step.name, s.state])).toEqual([['RUN echo hi', 'done']]);
    // Strata's note is information, not the builder's error output (stderr is drawn in the error colour).
    expect(session.run.progress.builderLog).toEqual([{ stream: 'stdout', text: 'classic', note: 'info' }]);

    job('b1', 'done', { id: 'k1', status: 'succeeded', contextDir: '/ctx' });
    await settle();
    expect(session.run.state).toBe('succeeded');
    expect(session.run.summary).toMatchObject({ id: 'k1' });
    expect(session.historyVersion).toBe(history + 1);
  });

  it('a failing step marks its Dockerfile line; a cancel says cancelled and marks nothing', async () => {
    ipc.answer('build.start', () => ({ jobId: 'b2' }));
    await startBuild();
    await settle();
    const marks = session.errorLine?.seq ?? 0;
    job('b2', 'error', { code: 'internal', message: 'RUN failed', details: { line: 7 } });
    await settle();
    expect(session.run).toMatchObject({ state: 'failed', error: { message: 'RUN failed' } });
    expect(session.errorLine).toEqual({ line: 7, seq: marks + 1 });

    ipc.answer('build.start', () => ({ jobId: 'b3' }));
    await startBuild();
    await settle();
    // A new build clears the mark.
    expect(session.errorLine).toEqual({ line: null, seq: marks + 2 });
    await cancelBuild();
    expect(ipc.requests('jobs.cancel')).toEqual([{ jobId: 'b3' }]);
    job('b3', 'cancelled', { code: 'cancelled', message: 'Cancelled' });
    await settle();
    expect(session.run).toMatchObject({ state: 'cancelled', error: null });
  });

  it('events of a build no longer shown are not applied to the one shown', async () => {
    ipc.answer('build.start', () => ({ jobId: 'old' }));
    await startBuild();
    await settle();
    job('old', 'error', { code: 'internal', message: 'x' });
    await settle();
    ipc.answer('build.start', () => ({ jobId: 'new' }));
    await startBuild();
    await settle();
    job('old', 'output', [{ type: 'step-start', step, at: 1 }]);
    expect(session.run.jobId).toBe('new');
    expect(session.run.progress.steps).toEqual([]);
  });

  it('a start the engine refuses ends failed with its message', async () => {
    ipc.answer('build.start', () => {
      throw engineError('engine-unreachable', 'No engine answers');
    });
    await startBuild();
    expect(session.run).toMatchObject({
      state: 'failed',
      error: { code: 'engine-unreachable', message: 'No engine answers' },
    });
  });

  it('loading a context’s last options keeps what was typed meanwhile, and a newer load wins', async () => {
    const slow = deferred<unknown>();
    ipc.answer('build.lastOptions', ({ contextDir }: { contextDir: string }) =>
      contextDir === '/slow'
        ? slow.promise
        : { dockerfile: 'fast.Dockerfile', options: { tags: ['fast:1'], builder: 'classic' } },
    );
    const first = loadContext('/slow');
    const second = loadContext('/fast');
    // Typed while the options were on their way.
    session.form = { ...session.form, target: 'typed' };
    await second;
    expect(session.form).toMatchObject({ tags: 'fast:1', builder: 'classic', target: 'typed' });
    expect(session.dockerfile).toBe('fast.Dockerfile');
    slow.resolve({ dockerfile: 'slow.Dockerfile', options: { tags: ['slow:1'], builder: 'buildkit' } });
    await first;
    expect(session.contextDir).toBe('/fast');
    expect(session.form.tags).toBe('fast:1');
  });

  it('a context never built starts from the saved default build options', async () => {
    ipc.answer('build.lastOptions', () => null);
    ipc.answer('app.settings', () => ({
      buildDefaults: { builder: 'buildkit', noCache: true, pull: false, platform: 'linux/arm64', networkMode: '' },
    }));
    await loadContext('/new');
    expect(session.form).toMatchObject({ builder: 'buildkit', noCache: true, platform: 'linux/arm64' });
  });
});
