import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type BuildInputs,
  cacheMissReasons,
  copySources,
  diffFiles,
} from '../../../src-main/core/build/cache-miss-reasons';
import type { StepSummary } from '../../../src-main/core/build/build-summary';
import { FIXTURES } from './fixtures';

/** A pair of real builds recorded by tests/fixtures/build/record-pairs.ts: a build, one change, the rebuild. */
function pair(name: string): { previous: BuildInputs; current: BuildInputs } {
  return JSON.parse(readFileSync(join(FIXTURES, 'pairs', `${name}.json`), 'utf8')) as {
    previous: BuildInputs;
    current: BuildInputs;
  };
}

const reasonsOf = (name: string) => {
  const { previous, current } = pair(name);
  return cacheMissReasons(previous, current);
};

describe.each(['classic', 'buildkit'])('cache-miss reasons on recorded %s builds', (builder) => {
  it('names the changed file for the COPY that read it, and the later steps ran because of it', () => {
    const misses = reasonsOf(`${builder}-file-changed`);
    expect(misses[0]?.text).toBe('COPY src ./src ran again: src/util.js changed');
    expect(misses[0]?.reason).toEqual({
      kind: 'files',
      changed: ['src/util.js'],
      added: [],
      removed: [],
      suggestIgnore: [],
    });
    expect(misses.slice(1).map((m) => m.reason.kind)).toEqual(misses.slice(1).map(() => 'earlier-step'));
    // Every step from the COPY on; BuildKit names the RUN with its ARG's value and makes no step of CMD.
    expect(misses.map((m) => m.stepName)).toEqual([
      'COPY src ./src',
      `RUN echo "flavour ${builder === 'classic' ? '$FLAVOUR' : 'plain'}" && cat src/util.js`,
      'COPY . .',
      ...(builder === 'classic' ? ['CMD ["sh"]'] : []),
    ]);
  });

  it('names a file added under the copied folder', () => {
    const misses = reasonsOf(`${builder}-file-added`);
    expect(misses[0]?.text).toBe('COPY src ./src ran again: src/new.js added');
  });

  it('changing only CMD reruns COPY . . because the Dockerfile is in the context, and suggests excluding it', () => {
    const misses = reasonsOf(`${builder}-cmd-changed`);
    const copyAll = misses.find((m) => m.stepName === 'COPY . .');
    expect(copyAll?.reason).toMatchObject({ kind: 'files', changed: ['Dockerfile'], suggestIgnore: ['Dockerfile'] });
    expect(copyAll?.text).toContain('add it to .dockerignore');
    // Nothing before COPY . . ran again.
    expect(misses[0]?.stepName).toBe('COPY . .');
  });

  it('names the build argument that changed, not a text change', () => {
    const misses = reasonsOf(`${builder}-arg-changed`);
    expect(misses[0]?.reason).toEqual({ kind: 'build-args', changes: [{ name: 'FLAVOUR', after: 'spicy' }] });
    expect(misses[0]?.stepName).toMatch(/^RUN echo "flavour/);
  });
});

describe('cache-miss reasons on edited records', () => {
  it('shows the old and new text of an instruction that changed (classic CMD)', () => {
    const cmd = reasonsOf('classic-cmd-changed').find((m) => m.stepName.startsWith('CMD'));
    expect(cmd?.reason).toEqual({ kind: 'instruction-changed', before: 'CMD ["sh"]', after: 'CMD ["echo", "bye"]' });
  });

  it('blames a new base image digest for the first step that ran', () => {
    const { previous, current } = pair('classic-file-changed');
    const files = previous.files ?? {};
    const moved: BuildInputs = {
      ...current,
      files,
      baseImages: { 'strata-test/busybox': 'sha256:' + 'b'.repeat(64) },
    };
    const misses = cacheMissReasons(
      { ...previous, baseImages: { 'strata-test/busybox': 'sha256:' + 'a'.repeat(64) } },
      moved,
    );
    expect(misses[0]?.reason.kind).toBe('base-image');
    expect(misses[0]?.text).toContain(
      'the base image strata-test/busybox is now another image (aaaaaaaaaaaa → bbbbbbbbbbbb)',
    );
  });

  it('reports --no-cache as the reason when the build was asked to skip the cache', () => {
    const { previous, current } = pair('classic-file-changed');
    expect(cacheMissReasons(previous, { ...current, noCache: true })[0]?.reason).toEqual({ kind: 'no-cache' });
  });

  it('says it does not know when nothing it compares changed', () => {
    const { previous, current } = pair('classic-file-changed');
    const misses = cacheMissReasons(previous, { ...current, files: previous.files ?? {} });
    expect(misses[0]?.reason).toEqual({ kind: 'unknown' });
  });

  it('explains a stage built FROM a stage that ran again', () => {
    const step = (over: Partial<StepSummary>): StepSummary => ({
      id: over.id ?? over.name ?? '',
      name: '',
      kind: 'instruction',
      state: 'cached',
      ...over,
    });
    const build = (state: 'ran' | 'cached', text: string): BuildInputs => ({
      steps: [
        step({ id: 'a', name: 'FROM busybox', stage: 'base', index: 1, kind: 'base', state: 'ran' }),
        step({ id: 'b', name: text, instruction: 'RUN', stage: 'base', index: 2, state }),
        step({ id: 'c', name: 'FROM base', stage: 'final', index: 1, kind: 'base', state: 'ran' }),
        step({ id: 'd', name: 'RUN true', instruction: 'RUN', stage: 'final', index: 2, state }),
      ],
    });
    const misses = cacheMissReasons(build('cached', 'RUN echo 1'), build('ran', 'RUN echo 2'));
    expect(misses.map((m) => m.reason.kind)).toEqual(['instruction-changed', 'stage-rebuilt']);
  });
});

describe('context file comparison', () => {
  it('a new mtime with the same content is no change', () => {
    const before = { 'a.txt': { size: 2, mtime: 1, sha256: 'x' }, 'gone.txt': { size: 1, mtime: 1, sha256: 'g' } };
    const after = { 'a.txt': { size: 2, mtime: 9, sha256: 'x' }, 'new.txt': { size: 1, mtime: 9, sha256: 'n' } };
    expect(diffFiles(before, after)).toEqual({ changed: [], added: ['new.txt'], removed: ['gone.txt'] });
  });

  it('reads COPY and ADD sources in shell and JSON form, and skips other stages and URLs', () => {
    expect(copySources({ instruction: 'COPY', name: 'COPY --chown=1:1 ./src/ a.txt /app/' })).toEqual({
      sources: ['src', 'a.txt'],
    });
    expect(copySources({ instruction: 'COPY', name: 'COPY ["a b.txt", "/x/"]' })).toEqual({ sources: ['a b.txt'] });
    expect(copySources({ instruction: 'COPY', name: 'COPY --from=Build /out /out' })).toEqual({ from: 'build' });
    expect(copySources({ instruction: 'ADD', name: 'ADD https://example.com/x /x' })).toEqual({ sources: [] });
    expect(copySources({ instruction: 'RUN', name: 'RUN true' })).toEqual({});
  });

  it('a glob source covers the files it matches only', () => {
    const { previous, current } = pair('classic-file-changed');
    const renamed = (s: StepSummary): StepSummary =>
      s.name === 'COPY src ./src' ? { ...s, name: 'COPY src/*.css ./src' } : s;
    const misses = cacheMissReasons(
      { ...previous, steps: previous.steps.map(renamed) },
      { ...current, steps: current.steps.map(renamed) },
    );
    expect(misses[0]?.reason.kind).toBe('unknown');
  });
});
