import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BuildEvent } from '../../../src-main/core/build/build-events';
import { BuildHistoryStore } from '../../../src-main/core/build/build-history-store';
import { countSteps, summarizeSteps } from '../../../src-main/core/build/build-summary';
import { ClassicStreamParser } from '../../../src-main/core/build/classic-stream-parser';
import type { BuildOptions, BuildOutcome } from '../../../src-main/core/build/run-build';
import { StepLocator } from '../../../src-main/core/build/step-locator';
import { MULTISTAGE_OUTLINE, parseFixture } from './fixtures';

const OPTIONS: BuildOptions = { builder: 'classic', tags: ['strata-unit/history:1'], networkMode: 'none' };

/** A build outcome made from a recorded engine stream, as runBuild would return it. */
function outcomeOf(fixture: string, startedAt: number): BuildOutcome {
  const parser = new ClassicStreamParser(new StepLocator(MULTISTAGE_OUTLINE));
  const events: BuildEvent[] = parseFixture(fixture, parser).map((e, i) => ({ ...e, at: i * 10 }));
  const steps = summarizeSteps(events);
  return {
    status: parser.failure ? 'failed' : 'succeeded',
    builder: 'classic',
    ...(parser.imageId ? { imageId: parser.imageId } : {}),
    tags: OPTIONS.tags ?? [],
    startedAt,
    durationMs: events.at(-1)?.at ?? 0,
    steps,
    ...countSteps(steps),
    events,
  };
}

describe('build history store', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'strata-build-history-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps a build and gives it back whole, log included', async () => {
    const store = new BuildHistoryStore(join(dir, 'builds'));
    const outcome = outcomeOf('classic-multistage-cold', 1_700_000_000_000);
    const saved = await store.add({ contextDir: '/ctx/app', dockerfile: 'Dockerfile', options: OPTIONS, outcome });
    expect(saved.id).toMatch(/^20231114T\d{9}Z-[0-9a-f]{8}$/);
    const back = await store.get(saved.id);
    expect(back).toEqual(saved);
    expect(back?.events).toEqual(outcome.events);
    expect(back?.ranSteps).toBe(7);
    expect(back?.baselineBuildId).toBeUndefined();
    // Written through temp files and renames: no temp file is left behind.
    expect((await readdir(join(dir, 'builds'))).sort()).toEqual([`${saved.id}.events.json`, `${saved.id}.json`]);
  });

  it('lists newest first, by context, and remembers the last options of a context', async () => {
    const store = new BuildHistoryStore(dir);
    const a = await store.add({
      contextDir: '/ctx/a',
      dockerfile: 'Dockerfile',
      options: OPTIONS,
      outcome: outcomeOf('classic-multistage-cold', 1000),
    });
    const b = await store.add({
      contextDir: '/ctx/b',
      dockerfile: 'Dockerfile',
      options: { ...OPTIONS, noCache: true },
      outcome: outcomeOf('classic-multistage-cold', 2000),
    });
    const c = await store.add({
      contextDir: '/ctx/a',
      dockerfile: 'Dockerfile',
      options: { ...OPTIONS, target: 'base' },
      outcome: outcomeOf('classic-multistage-warm', 3000),
    });
    const all = await store.list();
    expect(all.map((r) => r.id)).toEqual([c.id, b.id, a.id]);
    expect(all[0]).not.toHaveProperty('events');
    expect(all[0]).not.toHaveProperty('steps');
    expect((await store.list({ contextDir: '/ctx/a' })).map((r) => r.id)).toEqual([c.id, a.id]);
    expect(await store.lastOptions('/ctx/a')).toEqual({ ...OPTIONS, target: 'base' });
    expect(await store.lastOptions('/ctx/none')).toBeUndefined();
  });

  it('records how much time the cache saved against the previous build of the same context', async () => {
    const store = new BuildHistoryStore(dir);
    const first = await store.add({
      contextDir: '/ctx/a',
      dockerfile: 'Dockerfile',
      options: OPTIONS,
      outcome: outcomeOf('classic-multistage-cold', 1000),
    });
    const rebuild = await store.add({
      contextDir: '/ctx/a',
      dockerfile: 'Dockerfile',
      options: OPTIONS,
      outcome: outcomeOf('classic-multistage-warm', 2000),
    });
    const ranFirst = first.steps.filter((s) => s.kind === 'instruction' && s.state === 'ran');
    expect(ranFirst).toHaveLength(7);
    expect(rebuild.cachedSteps).toBe(7);
    expect(rebuild.baselineBuildId).toBe(first.id);
    expect(rebuild.baselineDurationMs).toBe(first.durationMs);
    // All seven instructions came from the cache: it saved what they cost the first time.
    expect(rebuild.cacheSavedMs).toBe(Math.round(ranFirst.reduce((sum, s) => sum + (s.durationMs ?? 0), 0)));
    expect(rebuild.cacheSavedMs).toBeGreaterThan(0);
    // Another Dockerfile of the same folder has its own baseline.
    const other = await store.add({
      contextDir: '/ctx/a',
      dockerfile: 'Dockerfile.dev',
      options: OPTIONS,
      outcome: outcomeOf('classic-multistage-warm', 3000),
    });
    expect(other.baselineBuildId).toBeUndefined();
  });

  it('compares with the previous successful build, never a failed one, and carries what cached steps cost', async () => {
    const store = new BuildHistoryStore(dir);
    const add = (
      fixture: string,
      at: number,
      files?: Record<string, { size: number; mtime: number; sha256: string }>,
    ) =>
      store.add({
        contextDir: '/ctx/a',
        dockerfile: 'Dockerfile',
        options: OPTIONS,
        outcome: outcomeOf(fixture, at),
        ...(files ? { files } : {}),
      });
    const first = await add('classic-multistage-cold', 1000, { 'a.txt': { size: 2, mtime: 1, sha256: 'one' } });
    const second = await add('classic-multistage-warm', 2000);
    const failed = await add('classic-failing-run', 2500);
    expect(failed.status).toBe('failed');
    const third = await add('classic-multistage-warm', 3000);
    // The previous successful build, not the failed one and not the first.
    expect(third.baselineBuildId).toBe(second.id);
    // Cached in the previous build too: the saving is still what the steps cost when they last ran.
    expect(third.cacheSavedMs).toBe(second.cacheSavedMs);
    expect(third.cacheSavedMs).toBeGreaterThan(0);
    expect(await store.files(first.id)).toEqual({ 'a.txt': { size: 2, mtime: 1, sha256: 'one' } });
    expect(await store.files(second.id)).toBeUndefined();
    // Everything cached: no step to explain.
    expect(third.cacheMisses).toEqual([]);
    await store.delete(first.id);
    expect(await readdir(dir)).not.toContain(`${first.id}.context.json`);
  });

  it('deletes a build, refuses ids that are not ids, and skips damaged files', async () => {
    const store = new BuildHistoryStore(dir);
    const saved = await store.add({
      contextDir: '/ctx/a',
      dockerfile: 'Dockerfile',
      options: OPTIONS,
      outcome: outcomeOf('classic-multistage-cold', 1000),
    });
    await writeFile(join(dir, '20240101T000000000Z-deadbeef.json'), '{"id": "half-writ');
    expect((await store.list()).map((r) => r.id)).toEqual([saved.id]);
    expect(await store.get('../../etc/passwd')).toBeUndefined();
    expect(await store.delete('../outside')).toBe(false);
    expect(await store.delete(saved.id)).toBe(true);
    expect(await store.delete(saved.id)).toBe(false);
    expect(await store.get(saved.id)).toBeUndefined();
    expect(await store.list()).toEqual([]);
  });

  it('lists nothing when its folder does not exist yet', async () => {
    expect(await new BuildHistoryStore(join(dir, 'missing')).list()).toEqual([]);
  });
});
