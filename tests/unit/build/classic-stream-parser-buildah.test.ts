import { describe, expect, it } from 'vitest';
import type { BuildEventBody } from '../../../src-main/core/build/build-events';
import { ClassicStreamParser } from '../../../src-main/core/build/classic-stream-parser';
import { dockerfileOutline } from '../../../src-main/core/build/dockerfile-outline';
import { StepLocator } from '../../../src-main/core/build/step-locator';
import { fixture, parseFixture } from './fixtures';

// Recorded from Podman 4.3 (Buildah) with tests/fixtures/build/record-buildah.ts: `STEP n/m:` per stage, with
// `[stage/stages] ` before it in a multi-stage build, no step for the ARG before FROM, and failures that name
// the step by its text (`building at STEP "…": …`).
const starts = (events: BuildEventBody[]) => events.flatMap((e) => (e.type === 'step-start' ? [e.step] : []));

function parse(name: string, options: { target?: string } = {}) {
  const outline = dockerfileOutline(fixture(`${name}.Dockerfile`).toString('utf8'));
  expect(outline).toBeDefined();
  const parser = new ClassicStreamParser(new StepLocator(outline!, options));
  const events = parseFixture(name, parser);
  return { parser, events, steps: starts(events) };
}

describe('classic builder stream parsing (recorded from Podman: Buildah)', () => {
  it("places a multi-stage build's per-stage steps on their Dockerfile lines and stages", () => {
    const { parser, events, steps } = parse('buildah-multistage-cold');
    // The ARG on line 1 (before FROM) is no step of Buildah's; the rest match Docker's lines.
    expect(steps.map((s) => [s.id, s.index, s.total, s.instruction, s.line, s.stage, s.kind])).toEqual([
      ['step-1', 1, 9, 'FROM', 2, 'base', 'base'],
      ['step-2', 2, 9, 'ARG', 3, 'base', 'instruction'],
      ['step-3', 3, 9, 'WORKDIR', 4, 'base', 'instruction'],
      ['step-4', 4, 9, 'RUN', 5, 'base', 'instruction'],
      ['step-5', 5, 9, 'COPY', 6, 'base', 'instruction'],
      ['step-6', 6, 9, 'FROM', 8, 'final', 'base'],
      ['step-7', 7, 9, 'ENV', 9, 'final', 'instruction'],
      ['step-8', 8, 9, 'RUN', 10, 'final', 'instruction'],
      ['step-9', 9, 9, 'CMD', 13, 'final', 'instruction'],
    ]);
    // The `[2/2] COMMIT …` line is the builder's, logged under no broken step; every step finished.
    const done = events.filter((e) => e.type === 'step-done').map((e) => e.type === 'step-done' && e.stepId);
    expect(done).toEqual(steps.map((s) => s.id));
    expect(parser.imageId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(parser.failure).toBeUndefined();
  });

  it('marks a failing RUN of a single stage at its Dockerfile line', () => {
    const { parser, steps } = parse('buildah-failing-run');
    expect(steps.map((s) => [s.index, s.total, s.line])).toEqual([
      [1, 4, 1],
      [2, 4, 2],
      [3, 4, 4],
    ]);
    expect(parser.failure).toEqual({
      stepId: 'step-3',
      line: 4,
      message: 'building at STEP "RUN echo about to fail && exit 3": while running runtime: exit status 3',
    });
  });

  it('skips unused stages and places a COPY --from failure on the step its error names', () => {
    const { parser, steps } = parse('buildah-interleaved-copy-failure');
    // Stage 1 ("unused") is never built; stage 2 is "dep", stage 3 the unnamed last one.
    expect(steps.map((s) => [s.id, s.instruction, s.line, s.stage])).toEqual([
      ['step-3', 'FROM', 3, 'dep'],
      ['step-4', 'RUN', 4, 'dep'],
      ['step-5', 'FROM', 6, 'stage-2'],
      ['step-6', 'RUN', 7, 'stage-2'],
      ['step-7', 'COPY', 8, 'stage-2'],
    ]);
    expect(parser.failure).toMatchObject({ stepId: 'step-7', line: 8 });
    expect(parser.failure?.message).toMatch(/^building at STEP "COPY --from=dep \/nope \/x": .*no such file/);
  });

  it('a failure naming a step of a stage Buildah left for another (stages interleave) is placed on that step', () => {
    const outline = dockerfileOutline(
      'FROM strata-test/busybox AS dep\nRUN echo dep\n\nFROM strata-test/busybox\nCOPY --from=dep /a /b\nRUN echo last\n',
    )!;
    const parser = new ClassicStreamParser(new StepLocator(outline));
    // As Podman printed it live: the last stage starts, its COPY --from makes Buildah build `dep`, which fails.
    const lines = [
      '[2/2] STEP 1/3: FROM strata-test/busybox\n',
      '[2/2] STEP 2/3: COPY --from=dep /a /b\n',
      '[1/2] STEP 1/2: FROM strata-test/busybox AS dep\n',
      '[1/2] STEP 2/2: RUN echo dep\n',
    ];
    lines.forEach((stream, i) => parser.push({ stream }, i));
    parser.push({ error: 'building at STEP "COPY --from=dep /a /b": copier: stat: "/a": no such file\n' }, 9);
    expect(parser.failure).toMatchObject({ stepId: 'step-4', line: 5 });
  });

  it('with a target, counts the stages up to it', () => {
    const outline = dockerfileOutline(
      'FROM strata-test/busybox AS base\nRUN echo base\nFROM base AS mid\nCOPY a.txt /a\nFROM strata-test/busybox\nRUN echo last\n',
    )!;
    const parser = new ClassicStreamParser(new StepLocator(outline, { target: 'mid' }));
    const events = ['[2/2] STEP 1/2: FROM 5098899f3cd7 AS mid\n', '[2/2] STEP 2/2: COPY a.txt /a\n'].flatMap(
      (stream, i) => parser.push({ stream }, i),
    );
    expect(starts(events).map((s) => [s.index, s.total, s.line, s.stage])).toEqual([
      [3, 4, 3, 'mid'],
      [4, 4, 4, 'mid'],
    ]);
  });

  it('without an outline, per-stage steps still get distinct IDs', () => {
    const parser = new ClassicStreamParser();
    const events = ['[1/2] STEP 1/1: FROM a AS x\n', '[2/2] STEP 1/1: FROM b\n'].flatMap((stream, i) =>
      parser.push({ stream }, i),
    );
    expect(starts(events).map((s) => s.id)).toEqual(['step-1.1', 'step-2.1']);
  });
});
