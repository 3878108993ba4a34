import { describe, expect, it } from 'vitest';
import type { BuildEventBody } from '../../../src-main/core/build/build-events';
import { ClassicStreamParser } from '../../../src-main/core/build/classic-stream-parser';
import { StepLocator } from '../../../src-main/core/build/step-locator';
import { FAILING_OUTLINE, MULTISTAGE_OUTLINE, parseFixture } from './fixtures';

const starts = (events: BuildEventBody[]) => events.flatMap((e) => (e.type === 'step-start' ? [e.step] : []));
const logsOf = (events: BuildEventBody[], stepId: string | null) =>
  events.flatMap((e) => (e.type === 'step-log' && e.stepId === stepId ? [e.line] : []));

describe('classic builder stream parsing (recorded from the engine)', () => {
  it('turns a cold multi-stage build into ten steps with their Dockerfile lines and stages', () => {
    const parser = new ClassicStreamParser(new StepLocator(MULTISTAGE_OUTLINE));
    const events = parseFixture('classic-multistage-cold', parser);
    const steps = starts(events);
    expect(steps.map((s) => [s.index, s.total, s.instruction, s.line, s.stage, s.kind])).toEqual([
      [1, 10, 'ARG', 1, undefined, 'meta'],
      [2, 10, 'FROM', 2, 'base', 'base'],
      [3, 10, 'ARG', 3, 'base', 'instruction'],
      [4, 10, 'WORKDIR', 4, 'base', 'instruction'],
      [5, 10, 'RUN', 5, 'base', 'instruction'],
      [6, 10, 'COPY', 6, 'base', 'instruction'],
      [7, 10, 'FROM', 8, 'final', 'base'],
      [8, 10, 'ENV', 9, 'final', 'instruction'],
      [9, 10, 'RUN', 10, 'final', 'instruction'],
      [10, 10, 'CMD', 13, 'final', 'instruction'],
    ]);
    expect(steps[8]?.name).toBe('RUN echo "mode $MODE"     && sleep 0.3     && cat a.txt');
    expect(events.filter((e) => e.type === 'step-cached')).toEqual([]);
    // Every step that started also finished, none cached.
    const done = events.filter((e) => e.type === 'step-done');
    expect(done.map((e) => e.stepId)).toEqual(steps.map((s) => s.id));
    expect(done.every((e) => e.type === 'step-done' && !e.cached && e.durationMs >= 0)).toBe(true);
    expect(parser.imageId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(parser.failure).toBeUndefined();
  });

  it('keeps RUN output under its step with its ANSI colours, stderr apart from stdout', () => {
    const parser = new ClassicStreamParser();
    const events = parseFixture('classic-multistage-cold', parser);
    const runLogs = events.flatMap((e) => (e.type === 'step-log' && e.stepId === 'step-5' ? [e] : []));
    expect(runLogs.filter((e) => e.stream === 'stdout').map((e) => e.line)).toEqual([
      'hello from base',
      '\u001b[32mgreen\u001b[0m',
    ]);
    // The builder's red wrapping of stderr is unwrapped: the stream says it instead.
    expect(runLogs.filter((e) => e.stream === 'stderr').map((e) => e.line)).toEqual(['to-stderr']);
    expect(logsOf(events, 'step-9')).toEqual(['mode test', 'content of a']);
    // Builder chatter is structure, not log: no "Running in" or "Removing intermediate container" lines.
    expect(events.some((e) => e.type === 'step-log' && /Running in|Removing intermediate/.test(e.line))).toBe(false);
    expect(logsOf(events, null)).toEqual([
      expect.stringMatching(/^Successfully built [0-9a-f]{12}$/),
      'Successfully tagged strata-fixture-build:classic-multistage-cold',
    ]);
    expect(parser.containerIds.size).toBe(6);
  });

  it('marks every cached step of a warm rebuild', () => {
    const parser = new ClassicStreamParser(new StepLocator(MULTISTAGE_OUTLINE));
    const events = parseFixture('classic-multistage-warm', parser);
    const steps = starts(events);
    const cached = new Set(events.flatMap((e) => (e.type === 'step-cached' ? [e.stepId] : [])));
    const instructions = steps.filter((s) => s.kind === 'instruction');
    expect(instructions).toHaveLength(7);
    expect(instructions.every((s) => cached.has(s.id))).toBe(true);
    // FROM and the meta ARG neither hit nor miss the cache.
    expect(steps.filter((s) => s.kind !== 'instruction').every((s) => !cached.has(s.id))).toBe(true);
    expect(events.filter((e) => e.type === 'step-done' && e.cached)).toHaveLength(7);
    expect(parser.containerIds.size).toBe(0);
  });

  it('reports a failing RUN with its step, its Dockerfile line and the engine message', () => {
    const parser = new ClassicStreamParser(new StepLocator(FAILING_OUTLINE));
    const events = parseFixture('classic-failing-run', parser);
    const errors = events.filter((e) => e.type === 'error');
    expect(errors).toEqual([
      {
        type: 'error',
        stepId: 'step-3',
        line: 4,
        message: "The command '/bin/sh -c echo about to fail && exit 3' returned a non-zero code: 3",
      },
    ]);
    expect(logsOf(events, 'step-3')).toEqual(['about to fail']);
    // The failed step is not reported done, and nothing after it started.
    expect(events.some((e) => e.type === 'step-done' && e.stepId === 'step-3')).toBe(false);
    expect(starts(events).map((s) => s.index)).toEqual([1, 2, 3]);
    expect(parser.imageId).toBeUndefined();
  });

  it('joins a line the engine split across messages and keeps a trailing partial line', () => {
    const parser = new ClassicStreamParser();
    const events = [
      ...parser.push({ stream: 'Step 1/2 : FROM strata-test/busybox' }, 0),
      ...parser.push({ stream: '\n' }, 1),
      ...parser.push({ stream: ' ---> 01c153c06d8b\n' }, 2),
      ...parser.push({ stream: 'Step 2/2 : RUN printf abc' }, 3),
      ...parser.push({ stream: '\n' }, 4),
      ...parser.push({ stream: ' ---> Running in 0123456789ab\n' }, 5),
      ...parser.push({ stream: 'part one, ' }, 6),
      ...parser.push({ stream: 'part two\nno newline' }, 7),
      ...parser.push({ stream: 'Removing intermediate container 0123456789ab\n' }, 8),
      ...parser.push({ stream: ' ---> 89abcdef0123\n' }, 9),
      ...parser.push({ aux: { ID: 'sha256:' + '8'.repeat(64) } }, 10),
      ...parser.end(11),
    ];
    expect(logsOf(events, 'step-2')).toEqual(['part one, part two', 'no newline']);
    expect(events.find((e) => e.type === 'step-done' && e.stepId === 'step-2')).toEqual({
      type: 'step-done',
      stepId: 'step-2',
      cached: false,
      durationMs: 5,
    });
  });
});

/** Podman 4.3's /build stream, recorded: Buildah's `STEP n/m:` and `--> <id>` lines, then Docker-style aux and "Successfully". */
function podmanStream(cached: boolean): Array<Record<string, unknown>> {
  const cache = (id: string) => (cached ? [{ stream: `--> Using cache ${id}\n` }] : []);
  return [
    { stream: 'STEP 1/3: FROM strata-test/busybox\n' },
    { stream: 'STEP 2/3: RUN echo cached-test\n' },
    ...(cached ? [] : [{ stream: 'cached-test\n' }]),
    ...cache('0d81a68d46e5458122842225d8adf8de0ab749f33d02a9e2a72581a21624f4ed'),
    { stream: '--> 0d81a68d46e\n' },
    { stream: 'STEP 3/3: ENV A=1\n' },
    ...cache('7eab0a743ebc90f57e243fd1b7ae7fe54de2cd6aab5aea8bb4284013d3e07017'),
    { stream: 'COMMIT docker.io/library/okb:2\n' },
    { stream: '--> 7eab0a743eb\n' },
    { stream: 'Successfully tagged docker.io/library/okb:2\n' },
    { aux: { ID: 'sha256:7eab0a743ebc90f57e243fd1b7ae7fe54de2cd6aab5aea8bb4284013d3e07017' } },
    { stream: 'Successfully built 7eab0a743ebc\n' },
  ];
}

describe('classic builder stream parsing (Podman)', () => {
  it('reads Podman steps, their output and the image', () => {
    const parser = new ClassicStreamParser();
    const events = podmanStream(false).flatMap((m, i) => parser.push(m, i));
    events.push(...parser.end(100));
    expect(starts(events).map((s) => [s.index, s.total, s.instruction, s.kind])).toEqual([
      [1, 3, 'FROM', 'base'],
      [2, 3, 'RUN', 'instruction'],
      [3, 3, 'ENV', 'instruction'],
    ]);
    expect(logsOf(events, 'step-2')).toEqual(['cached-test']);
    expect(events.filter((e) => e.type === 'step-cached')).toEqual([]);
    expect(parser.imageId).toBe('sha256:7eab0a743ebc90f57e243fd1b7ae7fe54de2cd6aab5aea8bb4284013d3e07017');
    expect(parser.stepImageIds).toEqual(new Set(['0d81a68d46e', '7eab0a743eb']));
  });

  it("marks Podman's cached steps", () => {
    const parser = new ClassicStreamParser();
    const events = podmanStream(true).flatMap((m, i) => parser.push(m, i));
    expect(events.filter((e) => e.type === 'step-cached').map((e) => e.type === 'step-cached' && e.stepId)).toEqual([
      'step-2',
      'step-3',
    ]);
  });

  it("keeps Podman's failure as one paragraph, at the step that failed (its error ends with a newline)", () => {
    const parser = new ClassicStreamParser();
    const recorded = [
      { stream: 'STEP 1/2: FROM strata-test/busybox\n' },
      { stream: 'STEP 2/2: RUN echo x && exit 3\n' },
      { stream: 'x\n' },
      {
        error: 'building at STEP "RUN echo x && exit 3": while running runtime: exit status 3\n',
        errorDetail: { message: 'building at STEP "RUN echo x && exit 3": while running runtime: exit status 3\n' },
      },
    ];
    recorded.flatMap((m, i) => parser.push(m, i));
    expect(parser.failure).toMatchObject({
      stepId: 'step-2',
      message: 'building at STEP "RUN echo x && exit 3": while running runtime: exit status 3',
    });
  });
});
