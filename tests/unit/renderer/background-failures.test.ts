import { beforeEach, describe, expect, it } from 'vitest';
import { engineError, ipc } from './ipc-double';
import { cancelBuild, resumeRunningBuild, session } from '../../../src-renderer/components/build/build-session.svelte';
import { buildContext, forgetRecent } from '../../../src-renderer/components/context/context-state.svelte';
import { cancelJob } from '../../../src-renderer/lib/cancel-job';
import { followJob } from '../../../src-renderer/lib/follow-job';
import { noticeUi } from '../../../src-renderer/lib/notice.svelte';
import type { JobId } from '../../../src-main/ipc/contract/jobs';

// Work the page starts and no view awaits: when main refuses it, the person is told, on the notice line or in
// the view that asked. Main's answers are scripted (ipc-double); its own handlers are tested against the engine.
const settle = () => new Promise((r) => setImmediate(r));
const lost = () => engineError('internal', 'Lost the connection to the Strata preview server.');

beforeEach(() => {
  ipc.reset();
  noticeUi.current = null;
});

describe('following a job whose past events cannot be fetched', () => {
  it('ends the follow with the reason instead of waiting forever for an end that will not come', async () => {
    ipc.answer('jobs.events', () => {
      throw engineError('not-found', 'No job j1: it finished long ago or never started.');
    });
    const followed = followJob('j1' as JobId<'image-save'>);
    await expect(followed.result).rejects.toMatchObject({
      code: 'not-found',
      message: 'No job j1: it finished long ago or never started.',
    });
  });

  it('still ends with what came live meanwhile, when that was the end', async () => {
    let answer: () => void = () => undefined;
    ipc.answer('jobs.events', () => new Promise((_, reject) => (answer = () => reject(lost()))));
    const followed = followJob('j2' as JobId<'image-save'>);
    await settle();
    ipc.push('job.event', {
      jobId: 'j2',
      kind: 'image-save',
      seq: 4,
      type: 'done',
      data: { destination: '/tmp/a.tar', bytes: 10, images: ['a'] },
    });
    answer();
    await expect(followed.result).resolves.toEqual({ destination: '/tmp/a.tar', bytes: 10, images: ['a'] });
  });
});

describe('cancelling a job nobody waits on', () => {
  it('says so on the notice line when the job goes on', async () => {
    ipc.answer('jobs.cancel', () => {
      throw lost();
    });
    await cancelJob('j3', 'following the logs of web');
    expect(noticeUi.current).toEqual({
      text: 'Strata could not stop following the logs of web: Lost the connection to the Strata preview server.',
      error: true,
    });
  });

  it('is content when the job is gone already: that is what cancelling wanted', async () => {
    ipc.answer('jobs.cancel', () => {
      throw engineError('not-found', 'No job j4: it finished long ago or never started.');
    });
    await cancelJob('j4', 'reading busybox');
    expect(noticeUi.current).toBeNull();
  });

  it('a build whose cancel fails says so', async () => {
    ipc.answer('jobs.cancel', () => {
      throw lost();
    });
    session.run = { ...session.run, state: 'running', jobId: 'b9' as JobId<'build'> };
    await cancelBuild();
    expect(ipc.requests('jobs.cancel')).toEqual([{ jobId: 'b9' }]);
    expect(noticeUi.current).toEqual({
      text: 'Strata could not stop the build: Lost the connection to the Strata preview server.',
      error: true,
    });
    session.run = { ...session.run, state: 'idle', jobId: null };
  });
});

describe('asking main in the background', () => {
  it('says when it could not check for a build still running after a reload', async () => {
    ipc.answer('jobs.list', () => {
      throw lost();
    });
    await resumeRunningBuild();
    expect(noticeUi.current).toEqual({
      text: 'Strata could not check for a build still running: Lost the connection to the Strata preview server.',
      error: true,
    });
  });

  it('says when a recent folder could not be forgotten (it stays listed)', async () => {
    ipc.answer('context.forget', () => {
      throw engineError('internal', "EACCES: permission denied, open 'recent-contexts.json'");
    });
    ipc.answer('context.recent', () => [{ contextDir: '/app', openedAt: 1 }]);
    buildContext.error = '';
    await forgetRecent('/app');
    expect(buildContext.error).toBe(
      "Strata could not forget /app: EACCES: permission denied, open 'recent-contexts.json'",
    );
    expect(buildContext.recent).toEqual([{ contextDir: '/app', openedAt: 1 }]);
  });
});
