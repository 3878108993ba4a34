import { describe, expect, it } from 'vitest';
import type { BuilderKind } from '../../../src-main/core/build/build-events';
import { builderLogPrinter, plainBytes } from '../../../src-main/core/build/builder-log';
import { BuildkitTraceParser } from '../../../src-main/core/build/buildkit-trace-parser';
import { ClassicStreamParser } from '../../../src-main/core/build/classic-stream-parser';
import { dockerSize } from '../../../src-main/core/build/run-build';
import { messagesOf, parseFixture } from './fixtures';

function printed(name: string, builder: BuilderKind) {
  const printer = builderLogPrinter(builder);
  return [...messagesOf(name).flatMap((m) => printer.push(m)), ...printer.end()];
}

describe('classic builder log', () => {
  it("is the builder's own text, with each line under its step", () => {
    const lines = printed('classic-multistage-warm', 'classic');
    const text = lines.map((l) => l.text);
    expect(text).toContain('Step 4/10 : WORKDIR /app');
    expect(text.filter((t) => t === ' ---> Using cache')).toHaveLength(7);
    expect(text.at(-1)).toBe('Successfully tagged strata-fixture-build:classic-multistage-warm');
    expect(lines.filter((l) => l.stepId === 'step-4').map((l) => l.text)).toEqual([
      'Step 4/10 : WORKDIR /app',
      ' ---> Using cache',
      ' ---> 1f7a5ee8a37e',
    ]);
  });

  it('keeps "Running in", the step output with its colours, and names the same steps as the step list', () => {
    const lines = printed('classic-multistage-cold', 'classic');
    const text = lines.map((l) => l.text);
    expect(text.some((t) => /^ ---> Running in [0-9a-f]{12}$/.test(t))).toBe(true);
    expect(text.some((t) => t.includes('\u001b[32mgreen\u001b[0m'))).toBe(true);
    const stepIds = parseFixture('classic-multistage-cold', new ClassicStreamParser()).flatMap((e) =>
      e.type === 'step-start' ? [e.step.id] : [],
    );
    expect([...new Set(lines.map((l) => l.stepId).filter(Boolean))]).toEqual(stepIds);
  });
});

describe("Buildah's log (Podman's classic path)", () => {
  it('puts each line under the step its STEP line opened, as the step list names them', () => {
    // Podman 4.3's /build stream, as recorded in classic-stream-parser.test.ts.
    const printer = builderLogPrinter('classic');
    const messages = [
      { stream: 'STEP 1/3: FROM strata-test/busybox\n' },
      { stream: 'STEP 2/3: COPY hello.txt ./\n' },
      { stream: '--> Using cache 0d81a68d46e5458122842225d8adf8de0ab749f33d02a9e2a72581a21624f4ed\n' },
      { stream: '--> 0d81a68d46e\n' },
      { stream: 'STEP 3/3: RUN cat hello.txt\n' },
      { stream: 'hello\n' },
      { stream: 'COMMIT docker.io/library/okb:2\n' },
      { stream: '--> 7eab0a743eb\n' },
      { stream: 'Successfully tagged docker.io/library/okb:2\n' },
      { stream: 'Successfully built 7eab0a743ebc\n' },
    ];
    const lines = [...messages.flatMap((m) => printer.push(m)), ...printer.end()];
    expect(lines.filter((l) => l.stepId === 'step-2').map((l) => l.text)).toEqual([
      'STEP 2/3: COPY hello.txt ./',
      '--> Using cache 0d81a68d46e5458122842225d8adf8de0ab749f33d02a9e2a72581a21624f4ed',
      '--> 0d81a68d46e',
    ]);
    expect(lines.filter((l) => l.stepId === 'step-3').map((l) => l.text)).toEqual([
      'STEP 3/3: RUN cat hello.txt',
      'hello',
      'COMMIT docker.io/library/okb:2',
      '--> 7eab0a743eb',
    ]);
    expect(lines.slice(-2).map((l) => l.stepId)).toEqual([null, null]);
  });
});

describe('BuildKit plain log', () => {
  it('prints vertexes as --progress=plain does: "#N name", output with its offset, DONE with the time', () => {
    const text = printed('buildkit-multistage-cold', 'buildkit').map((l) => l.text);
    expect(text).toContain(
      '#5 [base 3/4] RUN echo "hello from base" && printf \'\\033[32mgreen\\033[0m\\n\' && echo to-stderr >&2',
    );
    expect(text.some((t) => /^#5 \d+\.\d{3} hello from base$/.test(t))).toBe(true);
    expect(text.some((t) => /^#5 DONE \d+\.\ds$/.test(t))).toBe(true);
    expect(text).toContain('#9 exporting to image');
  });

  it('says CACHED for cached steps, under the step ids the step list uses', () => {
    const lines = printed('buildkit-multistage-warm', 'buildkit');
    const cached = lines.filter((l) => / CACHED$/.test(l.text));
    expect(cached.map((l) => l.text)).toEqual(['#4 CACHED', '#5 CACHED', '#6 CACHED', '#7 CACHED']);
    const cachedSteps = parseFixture('buildkit-multistage-warm', new BuildkitTraceParser()).flatMap((e) =>
      e.type === 'step-cached' ? [e.stepId] : [],
    );
    expect(cached.map((l) => l.stepId).sort()).toEqual([...cachedSteps].sort());
  });

  it('ends a failed step with ERROR and its message', () => {
    const text = printed('buildkit-failing-run', 'buildkit').map((l) => l.text);
    expect(text).toContain('#6 ERROR: executor failed running [/bin/sh -c echo about to fail && exit 3]: exit code: 3');
    expect(text.some((t) => /^#6 \d+\.\d{3} about to fail$/.test(t))).toBe(true);
  });

  it('writes sizes as the builders do', () => {
    expect(plainBytes(2)).toBe('2B');
    expect(plainBytes(1536)).toBe('1.5kB');
    expect(dockerSize(2048)).toBe('2.048kB');
    expect(dockerSize(512)).toBe('512B');
  });
});
