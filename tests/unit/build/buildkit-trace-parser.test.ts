import { createRequire } from 'node:module';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import type { BuildEventBody, BuildStep } from '../../../src-main/core/build/build-events';
import { decodeBuildkitStatus } from '../../../src-main/core/build/buildkit-status-decoder';
import { BuildkitTraceParser } from '../../../src-main/core/build/buildkit-trace-parser';
import { StepLocator } from '../../../src-main/core/build/step-locator';
import { FAILING_OUTLINE, MULTISTAGE_OUTLINE, messagesOf, parseFixture } from './fixtures';

/** protobufjs's plain-object form of StatusResponse (proto3: absent fields are undefined). */
type Ts = { seconds: number; nanos: number } | null | undefined;
interface RefStatusResponse {
  vertexes: Array<{
    digest?: string;
    inputs: string[];
    name?: string;
    cached?: boolean;
    started?: Ts;
    completed?: Ts;
    error?: string;
  }>;
  statuses: Array<{ ID?: string; vertex?: string; name?: string; current?: number; total?: number; completed?: Ts }>;
  logs: Array<{ vertex?: string; stream?: number; msg: Uint8Array }>;
}

const FIXTURES = [
  'buildkit-multistage-cold',
  'buildkit-multistage-warm',
  'buildkit-failing-run',
  'buildkit-syntax-error',
];
const starts = (events: BuildEventBody[]) => events.flatMap((e) => (e.type === 'step-start' ? [e.step] : []));
const dockerfileSteps = (events: BuildEventBody[]) => starts(events).filter((s) => s.kind !== 'internal');
const logsOf = (events: BuildEventBody[], step: BuildStep | undefined, stream = 'stdout') =>
  events.flatMap((e) => (e.type === 'step-log' && e.stepId === step?.id && e.stream === stream ? [e.line] : []));

describe('BuildKit trace decoding', () => {
  it('decodes every recorded trace message exactly as protobufjs does with the StatusResponse schema', () => {
    const require = createRequire(import.meta.url);
    const root = protobuf.loadSync(require.resolve('dockerode/lib/proto/buildkit_status.proto'));
    const StatusResponse = root.lookupType('moby.buildkit.v1.StatusResponse');
    const ms = (t: Ts) => (t ? t.seconds * 1000 + t.nanos / 1e6 : undefined);
    let compared = 0;
    for (const name of FIXTURES) {
      for (const message of messagesOf(name)) {
        if (message.id !== 'moby.buildkit.trace' || typeof message.aux !== 'string') continue;
        const ours = decodeBuildkitStatus(message.aux);
        const ref = StatusResponse.toObject(StatusResponse.decode(Buffer.from(message.aux, 'base64')), {
          longs: Number,
          arrays: true,
        }) as RefStatusResponse;
        expect(
          ours.vertexes.map((v) => [v.digest, v.inputs, v.name, v.cached, v.started, v.completed, v.error]),
        ).toEqual(
          ref.vertexes.map((v) => [
            v.digest ?? '',
            v.inputs,
            v.name ?? '',
            v.cached ?? false,
            ms(v.started),
            ms(v.completed),
            v.error || undefined,
          ]),
        );
        expect(ours.statuses.map((s) => [s.id, s.vertex, s.name, s.current, s.total, s.completed])).toEqual(
          ref.statuses.map((s) => [
            s.ID ?? '',
            s.vertex ?? '',
            s.name ?? '',
            s.current ?? 0,
            s.total ?? 0,
            ms(s.completed),
          ]),
        );
        expect(ours.logs.map((l) => [l.vertex, l.stream, Buffer.from(l.msg).toString()])).toEqual(
          ref.logs.map((l) => [l.vertex ?? '', l.stream ?? 0, Buffer.from(l.msg).toString()]),
        );
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(40);
  });

  it('rejects a truncated message rather than inventing fields', () => {
    const full = Buffer.from(decodeableSample(), 'base64');
    expect(() => decodeBuildkitStatus(full.subarray(0, full.length - 5).toString('base64'))).toThrow(/truncated/);
  });
});

describe('BuildKit stream parsing (recorded from the engine)', () => {
  it('maps stage steps to their Dockerfile lines and keeps the builder’s own work apart', () => {
    const parser = new BuildkitTraceParser(new StepLocator(MULTISTAGE_OUTLINE));
    const events = parseFixture('buildkit-multistage-cold', parser);
    expect(dockerfileSteps(events).map((s) => [s.stage, s.index, s.total, s.instruction, s.line, s.kind])).toEqual([
      ['base', 1, 4, 'FROM', 2, 'base'],
      ['base', 2, 4, 'WORKDIR', 4, 'instruction'],
      ['base', 3, 4, 'RUN', 5, 'instruction'],
      ['base', 4, 4, 'COPY', 6, 'instruction'],
      ['final', 1, 1, 'RUN', 10, 'instruction'],
    ]);
    const internal = starts(events)
      .filter((s) => s.kind === 'internal')
      .map((s) => s.name);
    expect(internal).toContain('[internal] load remote build context');
    expect(internal).toContain('exporting to image');
    expect(parser.imageId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(parser.failure).toBeUndefined();
    // Each step reports done once, with BuildKit's own timing.
    const done = events.filter((e) => e.type === 'step-done');
    expect(new Set(done.map((e) => e.stepId)).size).toBe(done.length);
    expect(done.every((e) => e.type === 'step-done' && e.durationMs >= 0)).toBe(true);
    // Recorded with no-cache: the RUNs and the COPY ran (BuildKit 0.8 may still take WORKDIR from its cache).
    const ran = dockerfileSteps(events).filter((s) => s.instruction === 'RUN' || s.instruction === 'COPY');
    expect(done.filter((e) => e.type === 'step-done' && !e.cached && ran.some((s) => s.id === e.stepId))).toHaveLength(
      3,
    );
    const finalRun = dockerfileSteps(events)[4];
    const finalRunDone = done.find((e) => e.stepId === finalRun?.id);
    expect(finalRunDone?.type === 'step-done' && finalRunDone.durationMs).toBeGreaterThanOrEqual(300); // sleep 0.3
  });

  it('keeps each step’s log lines, stdout and stderr, with ANSI colours', () => {
    const parser = new BuildkitTraceParser();
    const events = parseFixture('buildkit-multistage-cold', parser);
    const [, , run, , finalRun] = dockerfileSteps(events);
    expect(logsOf(events, run)).toEqual(['hello from base', '\u001b[32mgreen\u001b[0m']);
    expect(logsOf(events, run, 'stderr')).toEqual(['to-stderr']);
    expect(logsOf(events, finalRun)).toEqual(['mode test', 'content of a']);
    const exporting = starts(events).find((s) => s.name === 'exporting to image');
    expect(logsOf(events, exporting)).toContain('exporting layers done');
  });

  it('marks the cached steps of a warm rebuild', () => {
    const parser = new BuildkitTraceParser(new StepLocator(MULTISTAGE_OUTLINE));
    const events = parseFixture('buildkit-multistage-warm', parser);
    const cached = new Set(events.flatMap((e) => (e.type === 'step-cached' ? [e.stepId] : [])));
    const instructions = dockerfileSteps(events).filter((s) => s.kind === 'instruction');
    expect(instructions.map((s) => s.line)).toEqual([4, 5, 6, 10]);
    expect(instructions.every((s) => cached.has(s.id))).toBe(true);
    expect(
      events.filter((e) => e.type === 'step-done' && e.cached && instructions.some((s) => s.id === e.stepId)),
    ).toHaveLength(4);
  });

  it('reports a failing RUN with its step, Dockerfile line and the engine message, once', () => {
    const parser = new BuildkitTraceParser(new StepLocator(FAILING_OUTLINE));
    const events = parseFixture('buildkit-failing-run', parser);
    const steps = dockerfileSteps(events);
    const failing = steps.find((s) => s.name === 'RUN echo about to fail && exit 3');
    expect(failing?.line).toBe(4);
    expect(events.filter((e) => e.type === 'error')).toEqual([
      {
        type: 'error',
        stepId: failing?.id,
        line: 4,
        message: 'executor failed running [/bin/sh -c echo about to fail && exit 3]: exit code: 3',
      },
    ]);
    expect(logsOf(events, failing)).toEqual(['about to fail']);
    expect(events.some((e) => e.type === 'step-done' && e.stepId === failing?.id)).toBe(false);
    // The step after it was announced but never started.
    expect(steps.some((s) => s.name === 'RUN echo never')).toBe(false);
  });

  it('takes the line of a Dockerfile parse error from the engine message', () => {
    const parser = new BuildkitTraceParser();
    const events = parseFixture('buildkit-syntax-error', parser);
    const error = events.find((e) => e.type === 'error');
    expect(error).toMatchObject({ type: 'error', stepId: null, line: 2 });
    expect(error?.type === 'error' && error.message).toMatch(/unknown instruction: RUNN/);
  });

  it('reads the stage label with a platform prefix and without a stage name', () => {
    const locator = new StepLocator(MULTISTAGE_OUTLINE);
    const names = ['[linux/amd64 base 3/4] RUN x', '[final 1/1] RUN y', '[2/4] RUN z'];
    const parser = new BuildkitTraceParser(locator);
    const steps = names.map((name, i) => {
      const digest = `sha256:${String(i).repeat(64)}`;
      return starts(parser.push(traceMessage(digest, name), i))[0];
    });
    expect(steps.map((s) => [s?.stage, s?.index, s?.line])).toEqual([
      ['base', 3, 5],
      ['final', 1, 10],
      [undefined, 2, undefined],
    ]);
  });
});

/** A trace message with one started vertex, encoded by protobufjs (the reference encoder). */
function traceMessage(digest: string, name: string) {
  const require = createRequire(import.meta.url);
  const root = protobuf.loadSync(require.resolve('dockerode/lib/proto/buildkit_status.proto'));
  const StatusResponse = root.lookupType('moby.buildkit.v1.StatusResponse');
  const bytes = StatusResponse.encode(
    StatusResponse.fromObject({ vertexes: [{ digest, name, started: { seconds: 1795851518, nanos: 5 } }] }),
  ).finish();
  return { id: 'moby.buildkit.trace', aux: Buffer.from(bytes).toString('base64') };
}

function decodeableSample(): string {
  const message = messagesOf('buildkit-multistage-cold').find((m) => m.id === 'moby.buildkit.trace');
  return message?.aux as string;
}
