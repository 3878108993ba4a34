import { describe, expect, it } from 'vitest';
import { JobProgress, type JobNotice, type ProgressWindow } from '../../../src-main/electron/job-progress';
import { EventBus } from '../../../src-main/ipc/event-bus';
import { JobRunner } from '../../../src-main/ipc/job-runner';
import type { BuildEvent } from '../../../src-main/core/build/build-events';
import type { BuildRecordSummary } from '../../../src-main/core/build/build-history-store';

// A fake window records what the taskbar/dock would show; the bus and the job runner are the real ones.
class FakeWindow implements ProgressWindow {
  bars: Array<[number, string | undefined]> = [];
  focused = true;
  minimized = false;
  visible = true;
  destroyed = false;
  isDestroyed() {
    return this.destroyed;
  }
  isFocused() {
    return this.focused;
  }
  isVisible() {
    return this.visible;
  }
  isMinimized() {
    return this.minimized;
  }
  setProgressBar(progress: number, options?: { mode: string }) {
    this.bars.push([progress, options?.mode]);
  }
}

/** A job whose steps the test drives: each `step()` lets it emit one thing, `finish` ends it. */
function controllable() {
  const waiting: Array<() => void> = [];
  const next = () => new Promise<void>((resolve) => waiting.push(resolve));
  return {
    next,
    release: async () => {
      while (!waiting.length) await new Promise((r) => setImmediate(r));
      waiting.shift()!();
      await new Promise((r) => setImmediate(r));
    },
  };
}

function setup(options: { longJobMs?: number; enabled?: boolean } = {}) {
  const bus = new EventBus();
  const jobs = new JobRunner(bus);
  const window = new FakeWindow();
  const notices: JobNotice[] = [];
  const progress = new JobProgress({
    window: () => window,
    jobs,
    notify: (n) => notices.push(n),
    longJobMs: options.longJobMs ?? 0,
    notificationsEnabled: () => options.enabled ?? true,
  });
  bus.subscribe((name, payload) => progress.handle(name, payload));
  return { jobs, window, notices };
}

const stepStart = (index: number, total: number): BuildEvent[] => [
  { type: 'step-start', at: 0, step: { id: `step-${index}`, name: 'RUN x', index, total, kind: 'instruction' } },
];

const keptBuild: BuildRecordSummary = {
  id: 'b1',
  contextDir: '/src',
  dockerfile: 'Dockerfile',
  options: { builder: 'classic' },
  status: 'succeeded',
  tags: [],
  startedAt: 0,
  durationMs: 1,
  cachedSteps: 0,
  ranSteps: 4,
};

describe('dock/taskbar progress', () => {
  it('follows a save by bytes, then removes the bar when it ends', async () => {
    const { jobs, window } = setup();
    const gate = controllable();
    const jobId = jobs.start({
      kind: 'image-save',
      title: 'Save busybox to /tmp/b.tar',
      run: async ({ emit }) => {
        await gate.next();
        emit('progress', { bytes: 250, totalBytes: 1000 });
        await gate.next();
        emit('progress', { bytes: 1000, totalBytes: 1000 });
        await gate.next();
        return { destination: '/tmp/b.tar', bytes: 1000, images: ['busybox'] };
      },
    });
    await gate.release();
    expect(window.bars.at(-1)).toEqual([0.25, 'normal']);
    await gate.release();
    expect(window.bars.at(-1)).toEqual([1, 'normal']);
    await gate.release();
    await jobs.settled(jobId);
    expect(window.bars.at(-1)).toEqual([-1, 'none']);
  });

  it('shows a build by its steps, and an unknown total as indeterminate', async () => {
    const { jobs, window } = setup();
    const gate = controllable();
    const jobId = jobs.start({
      kind: 'build',
      title: 'Build /src',
      run: async ({ emit }) => {
        emit('step', {
          stage: 'started',
          contextDir: '/src',
          dockerfile: 'Dockerfile',
          options: { builder: 'classic' },
        });
        await gate.next();
        emit('output', stepStart(1, 4));
        await gate.next();
        emit('output', stepStart(3, 4));
        await gate.next();
        return keptBuild;
      },
    });
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    expect(window.bars.at(-1)).toEqual([2, 'indeterminate']);
    await gate.release();
    expect(window.bars.at(-1)).toEqual([0, 'normal']);
    await gate.release();
    expect(window.bars.at(-1)).toEqual([0.5, 'normal']);
    await gate.release();
    await jobs.settled(jobId);
    expect(window.bars.at(-1)).toEqual([-1, 'none']);
  });

  it('averages two jobs at once and ignores logs and terminals', async () => {
    const { jobs, window } = setup();
    const gate = controllable();
    const logs = jobs.start({
      kind: 'logs',
      title: 'Logs',
      run: async ({ emit }) => {
        emit('output', { stream: 'stdout', text: 'line' });
        await gate.next();
        return { ended: 'ended' };
      },
    });
    const a = jobs.start({
      kind: 'image-load',
      title: 'Load a',
      run: async ({ emit }) => {
        emit('progress', { bytes: 20, totalBytes: 100 });
        await gate.next();
        return { images: [], replaced: [] };
      },
    });
    const b = jobs.start({
      kind: 'image-save',
      title: 'Save b',
      run: async ({ emit }) => {
        emit('progress', { bytes: 60, totalBytes: 100 });
        await gate.next();
        return { destination: '/tmp/b.tar', bytes: 100, images: ['b'] };
      },
    });
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    expect(window.bars.at(-1)).toEqual([0.4, 'normal']);
    await gate.release(); // logs ends: nothing changes
    await gate.release(); // load ends: only the save is left
    expect(window.bars.at(-1)).toEqual([0.6, 'normal']);
    await gate.release();
    await Promise.all([jobs.settled(logs), jobs.settled(a), jobs.settled(b)]);
    expect(window.bars.at(-1)).toEqual([-1, 'none']);
  });
});

describe('notification when a long job ends in the background', () => {
  async function runBuild(jobs: JobRunner, fail = false) {
    const jobId = jobs.start({
      kind: 'build',
      title: 'Build /src as app:1',
      run: async () => {
        if (fail) throw new Error('The command /bin/sh -c false returned a non-zero code: 1');
        return keptBuild;
      },
    });
    await jobs.settled(jobId);
    await new Promise((r) => setImmediate(r));
  }

  it('notifies when the window is not focused, minimised or hidden', async () => {
    for (const state of ['unfocused', 'minimized', 'hidden'] as const) {
      const { jobs, window, notices } = setup();
      window.focused = state !== 'unfocused';
      window.minimized = state === 'minimized';
      window.visible = state !== 'hidden';
      await runBuild(jobs);
      expect(notices).toEqual([{ title: 'Build finished', body: 'Build /src as app:1', failed: false }]);
    }
  });

  it('says a failed build failed, with the reason', async () => {
    const { jobs, window, notices } = setup();
    window.focused = false;
    await runBuild(jobs, true);
    expect(notices).toEqual([
      {
        title: 'Build failed',
        body: 'Build /src as app:1\nThe command /bin/sh -c false returned a non-zero code: 1',
        failed: true,
      },
    ]);
  });

  it('stays quiet when the window is in front, the job was short, it was cancelled, or the user said no', async () => {
    const front = setup();
    await runBuild(front.jobs);
    expect(front.notices).toEqual([]);

    const short = setup({ longJobMs: 60 * 60 * 1000 });
    short.window.focused = false;
    await runBuild(short.jobs);
    expect(short.notices).toEqual([]);

    const off = setup({ enabled: false });
    off.window.focused = false;
    await runBuild(off.jobs);
    expect(off.notices).toEqual([]);

    const cancelled = setup();
    cancelled.window.focused = false;
    const jobId = cancelled.jobs.start({
      kind: 'build',
      title: 'Build',
      run: ({ signal }) =>
        new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')))),
    });
    await new Promise((r) => setImmediate(r));
    cancelled.jobs.cancel(jobId);
    expect((await cancelled.jobs.settled(jobId)).state).toBe('cancelled');
    await new Promise((r) => setImmediate(r));
    expect(cancelled.notices).toEqual([]);
  });
});

describe('a notification that cannot be shown', () => {
  it('is logged with its job, and the taskbar bar still goes away', async () => {
    const bus = new EventBus();
    const jobs = new JobRunner(bus);
    const window = new FakeWindow();
    window.focused = false;
    const logged: string[] = [];
    const progress = new JobProgress({
      window: () => window,
      jobs,
      notify: () => {
        throw new Error('the notification server is gone');
      },
      longJobMs: 0,
      notificationsEnabled: () => Promise.reject(new Error("EACCES: permission denied, open 'settings.json'")),
      log: (line) => logged.push(line),
    });
    bus.subscribe((name, payload) => progress.handle(name, payload));
    const jobId = jobs.start({
      kind: 'image-save',
      title: 'Save b',
      run: async ({ emit }) => {
        emit('progress', { bytes: 60, totalBytes: 100 });
        return { destination: '/tmp/b.tar', bytes: 100, images: ['b'] };
      },
    });
    await jobs.settled(jobId);
    await new Promise((r) => setImmediate(r));
    expect(window.bars.at(-1)).toEqual([-1, 'none']);
    expect(logged).toEqual([
      `Strata: could not notify the end of job ${jobId}: EACCES: permission denied, open 'settings.json'`,
    ]);
  });
});
