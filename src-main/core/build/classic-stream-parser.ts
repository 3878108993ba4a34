import type { BuildEventBody, BuildMessage, BuildStep, BuildStreamParser, LogStream } from './build-events';
import { BUILDAH_COMMIT, classicStepHeader } from './classic-step-header';
import { LineBuffer } from './line-buffer';
import type { StepLocator } from './step-locator';

/** Buildah's error names the step by its text, not its number: `building at STEP "COPY a /b": …`. */
const BUILDAH_FAILED_STEP = /^building at STEP "(.*?)": /s;
// Docker ends a step with ` ---> <12 hex>`; Podman (Buildah) with `--> <11 hex>` (headers: classic-step-header.ts).
const USING_CACHE = /^ ?--?-> Using cache(?: [0-9a-f]+)?$/;
const RUNNING_IN = /^ ---> Running in ([0-9a-f]+)$/;
const STEP_RESULT = /^ ?--?-> ([0-9a-f]{11,64})$/;
const REMOVING = /^Removing intermediate container [0-9a-f]+$/;
const SUCCESS = /^Successfully (built|tagged) /;
/** Messages the builder itself writes; each arrives as its own message, so it starts a fresh line. */
const BUILDER_MESSAGE =
  /^(Step \d+\/\d+ : |(\[\d+\/\d+\] )?STEP \d+\/\d+: | ---> |--> |(\[\d+\/\d+\] )?COMMIT[ \n]|Removing intermediate container |Successfully (built|tagged) )/;
/** The classic builder wraps each piece of a RUN's stderr in this colour and a reset. */
const STDERR_START = '\u001b[91m';
const STDERR_END = '\u001b[0m';

interface OpenStep {
  step: BuildStep;
  /** Opened by Buildah's `STEP` header: its `COMMIT` line is then the builder's, not the step's output. */
  buildah: boolean;
  startedAt: number;
  /** When the step's result image (` ---> <id>`) arrived: the step's work ended there. */
  resultAt?: number;
  cached: boolean;
}

/**
 * Parses the classic builder's /build stream (`Step 3/5 : RUN ...`, ` ---> Using cache`,
 * ` ---> Running in <id>`, ` ---> <id>`, aux ID, errorDetail) into normalised build events.
 */
export class ClassicStreamParser implements BuildStreamParser {
  imageId: string | undefined;
  failure: { stepId: string | null; line?: number; message: string } | undefined;
  /** Containers the builder said it runs steps in: the ones to remove if the build is cancelled. */
  readonly containerIds = new Set<string>();
  /** Image IDs of step results (short form as printed): the base and intermediate images of this build. */
  readonly stepImageIds = new Set<string>();

  private current: OpenStep | undefined;
  /** Steps started so far, to place Buildah's failure (which names a step by its text) on its step. */
  private readonly started: BuildStep[] = [];
  /** ARGs before the first FROM are meta ARGs: no image, no cache. */
  private seenFrom = false;
  private readonly lines = new LineBuffer<LogStream>();

  constructor(private readonly locator?: StepLocator) {}

  push(message: BuildMessage, nowMs: number): BuildEventBody[] {
    const events: BuildEventBody[] = [];
    if (typeof message.stream === 'string') {
      let text = message.stream;
      let stream: LogStream = 'stdout';
      if (text.startsWith(STDERR_START)) {
        stream = 'stderr';
        text = text.slice(STDERR_START.length);
        if (text.endsWith(STDERR_END)) text = text.slice(0, -STDERR_END.length);
      } else if (BUILDER_MESSAGE.test(text)) this.flushPartial(events);
      for (const line of this.lines.push(stream, text)) {
        if (stream === 'stderr') this.log(line, 'stderr', events);
        else this.onLine(line, nowMs, events);
      }
    }
    if (message.aux && typeof message.aux === 'object' && typeof (message.aux as { ID?: unknown }).ID === 'string') {
      // Sent at the end of every stage; the last one is the image built.
      this.imageId = (message.aux as { ID: string }).ID;
      this.closeStep(nowMs, events);
    }
    if (typeof message.status === 'string') this.onStatus(message, events);
    if (message.errorDetail || typeof message.error === 'string') {
      this.flushPartial(events);
      // Podman ends its error text with a newline (docker does not): the message is one paragraph either way.
      const text = (message.errorDetail?.message ?? message.error ?? '').trimEnd() || 'The build failed.';
      this.fail(text, events);
    }
    return events;
  }

  end(nowMs: number, options: { interrupted?: boolean } = {}): BuildEventBody[] {
    const events: BuildEventBody[] = [];
    this.flushPartial(events);
    if (!this.failure && !options.interrupted) this.closeStep(nowMs, events);
    return events;
  }

  private onLine(line: string, now: number, events: BuildEventBody[]): void {
    const header = classicStepHeader(line, this.locator);
    if (header) {
      this.closeStep(now, events);
      const { id, name, index, total, buildah } = header;
      const instruction = (name.split(/\s/, 1)[0] ?? '').toUpperCase();
      const located = {
        ...(header.line !== undefined ? { line: header.line } : {}),
        ...(header.stage !== undefined ? { stage: header.stage } : {}),
      };
      if (instruction === 'FROM') this.seenFrom = true;
      const kind = instruction === 'FROM' ? 'base' : this.seenFrom ? 'instruction' : 'meta';
      this.current = {
        step: { id, name, instruction, index, total, ...located, kind },
        buildah,
        startedAt: now,
        cached: false,
      };
      this.started.push(this.current.step);
      events.push({ type: 'step-start', step: this.current.step });
      return;
    }
    if (USING_CACHE.test(line)) {
      if (this.current && !this.current.cached) {
        this.current.cached = true;
        events.push({ type: 'step-cached', stepId: this.current.step.id });
      }
      return;
    }
    const runningIn = RUNNING_IN.exec(line);
    if (runningIn) {
      this.containerIds.add(runningIn[1] ?? '');
      return;
    }
    const result = STEP_RESULT.exec(line);
    if (result) {
      this.stepImageIds.add(result[1] ?? '');
      if (this.current) this.current.resultAt = now;
      return;
    }
    if (REMOVING.test(line)) return;
    // Buildah's commit of the step (the builder's line, shown in the builder's log under the step, not output).
    if (this.current?.buildah && BUILDAH_COMMIT.test(line)) return;
    if (SUCCESS.test(line)) {
      this.closeStep(now, events);
      events.push({ type: 'step-log', stepId: null, stream: 'stdout', line });
      return;
    }
    this.log(line, 'stdout', events);
  }

  private log(line: string, stream: LogStream, events: BuildEventBody[]): void {
    // Output after a step's result image (warnings at the end of the build) belongs to no step.
    const stepId = this.current && this.current.resultAt === undefined ? this.current.step.id : null;
    events.push({ type: 'step-log', stepId, stream, line });
  }

  /** Pull progress while resolving FROM: keep the status lines, not every progress tick. */
  private onStatus(message: BuildMessage, events: BuildEventBody[]): void {
    if (message.progressDetail && typeof message.progressDetail.current === 'number') return;
    const line = message.id ? `${message.id}: ${message.status}` : (message.status ?? '');
    events.push({ type: 'step-log', stepId: this.current?.step.id ?? null, stream: 'stdout', line });
  }

  private fail(message: string, events: BuildEventBody[]): void {
    if (this.failure) return;
    // Buildah may be in another stage's step when one fails (stages interleave): find the step it names.
    const named = BUILDAH_FAILED_STEP.exec(message)?.[1];
    const step =
      (named !== undefined ? this.started.findLast((s) => s.name === named) : undefined) ?? this.current?.step;
    const line = step?.line ?? lineFromMessage(message);
    this.failure = { stepId: step?.id ?? null, ...(line !== undefined ? { line } : {}), message };
    events.push({ type: 'error', ...this.failure });
    this.current = undefined;
  }

  private closeStep(now: number, events: BuildEventBody[]): void {
    const open = this.current;
    if (!open) return;
    this.flushPartial(events);
    this.current = undefined;
    const durationMs = Math.max(0, (open.resultAt ?? now) - open.startedAt);
    events.push({ type: 'step-done', stepId: open.step.id, cached: open.cached, durationMs });
  }

  private flushPartial(events: BuildEventBody[]): void {
    for (const [stream, line] of this.lines.flushAll()) {
      events.push({ type: 'step-log', stepId: this.current?.step.id ?? null, stream, line });
    }
  }
}

/** Dockerfile parse errors name their line: "dockerfile parse error line 2: unknown instruction: RUNN". */
export function lineFromMessage(message: string): number | undefined {
  const match = /\bline (\d+)\b/.exec(message);
  return match ? Number(match[1]) : undefined;
}
