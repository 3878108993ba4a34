import type { BuildEventBody, BuildMessage, BuildStep, BuildStreamParser } from './build-events';
import { type BuildkitStatus, type BuildkitVertex, decodeBuildkitStatus } from './buildkit-status-decoder';
import { lineFromMessage } from './classic-stream-parser';
import { LineBuffer } from './line-buffer';
import type { StepLocator } from './step-locator';

const TRACE_ID = 'moby.buildkit.trace';
const IMAGE_ID = 'moby.image.id';
/** `[2/4] RUN ...`, `[base 2/4] RUN ...`, `[linux/amd64 base 2/4] RUN ...`. */
const STEP_NAME = /^\[([^\]]*?)\s*(\d+)\/(\d+)\] (.*)$/s;

interface VertexState {
  step: BuildStep;
  started: boolean;
  cachedReported: boolean;
  done: boolean;
  error?: string;
}

/**
 * Parses a BuildKit /build stream (`version: "2"`): the base64 protobuf `moby.buildkit.trace` messages
 * (vertexes, statuses, logs, warnings), `moby.image.id`, and errorDetail, into normalised build events.
 */
export class BuildkitTraceParser implements BuildStreamParser {
  imageId: string | undefined;
  failure: { stepId: string | null; line?: number; message: string } | undefined;

  private readonly vertices = new Map<string, VertexState>();
  private readonly finishedStatuses = new Set<string>();
  private readonly logs = new LineBuffer<string>();
  private failedVertex: VertexState | undefined;

  constructor(private readonly locator?: StepLocator) {}

  push(message: BuildMessage, _nowMs: number): BuildEventBody[] {
    const events: BuildEventBody[] = [];
    if (message.id === TRACE_ID && typeof message.aux === 'string') {
      this.onStatus(decodeBuildkitStatus(message.aux), events);
    } else if (message.id === IMAGE_ID && message.aux && typeof message.aux === 'object') {
      const id = (message.aux as { ID?: unknown }).ID;
      if (typeof id === 'string') this.imageId = id;
    }
    if (typeof message.stream === 'string') {
      for (const line of this.logs.push('', message.stream))
        events.push({ type: 'step-log', stepId: null, stream: 'stdout', line });
    }
    if (message.errorDetail || typeof message.error === 'string') {
      this.flushLogs(events);
      this.fail(message.errorDetail?.message ?? message.error ?? 'The build failed.', events);
    }
    return events;
  }

  end(_nowMs: number, options: { interrupted?: boolean } = {}): BuildEventBody[] {
    const events: BuildEventBody[] = [];
    this.flushLogs(events);
    // A vertex failed but the engine never sent the closing errorDetail (the stream was cut).
    if (this.failedVertex?.error && !this.failure && !options.interrupted) this.fail(this.failedVertex.error, events);
    return events;
  }

  private onStatus(status: BuildkitStatus, events: BuildEventBody[]): void {
    for (const vertex of status.vertexes) this.onVertex(vertex, events);
    for (const s of status.statuses) {
      if (s.completed === undefined || this.finishedStatuses.has(`${s.vertex}\0${s.id}`)) continue;
      this.finishedStatuses.add(`${s.vertex}\0${s.id}`);
      const stepId = this.vertices.has(s.vertex) ? s.vertex : null;
      events.push({ type: 'step-log', stepId, stream: 'stdout', line: `${s.name || s.id} done` });
    }
    for (const log of status.logs) {
      const stream = log.stream === 2 ? 'stderr' : 'stdout';
      const stepId = this.vertices.has(log.vertex) ? log.vertex : null;
      for (const line of this.logs.push(`${log.vertex}\0${stream}`, Buffer.from(log.msg).toString('utf8'))) {
        events.push({ type: 'step-log', stepId, stream, line });
      }
    }
    for (const w of status.warnings) {
      const stepId = this.vertices.has(w.vertex) ? w.vertex : null;
      const where = w.lines.length ? ` (line ${w.lines.join(', ')})` : '';
      events.push({ type: 'step-log', stepId, stream: 'stderr', line: `WARNING: ${w.short}${where}` });
    }
  }

  private onVertex(v: BuildkitVertex, events: BuildEventBody[]): void {
    let state = this.vertices.get(v.digest);
    if (!state) {
      state = { step: this.stepOf(v), started: false, cachedReported: false, done: false };
      this.vertices.set(v.digest, state);
    }
    // Vertexes are announced before they start; a step begins when BuildKit starts it (or reports it cached).
    if (!state.started && (v.started !== undefined || v.cached)) {
      state.started = true;
      events.push({ type: 'step-start', step: state.step });
    }
    if (v.cached && !state.cachedReported && !state.done) {
      state.cachedReported = true;
      events.push({ type: 'step-cached', stepId: v.digest });
    }
    if (v.error && !state.error) {
      state.error = v.error;
      this.failedVertex ??= state;
    }
    if (v.completed !== undefined && !state.done && !v.error) {
      state.done = true;
      this.flushLogs(events, v.digest);
      const durationMs = v.started !== undefined ? Math.max(0, v.completed - v.started) : 0;
      events.push({ type: 'step-done', stepId: v.digest, cached: v.cached, durationMs: round(durationMs) });
    }
  }

  private stepOf(v: BuildkitVertex): BuildStep {
    const match = STEP_NAME.exec(v.name);
    if (!match) return { id: v.digest, name: v.name, kind: 'internal' };
    // Before "N/M": an optional platform (has a slash) and an optional stage name (never has one).
    const stage = (match[1] ?? '').split(/\s+/).find((token) => token && !token.includes('/'));
    const index = Number(match[2]);
    const name = match[4] ?? '';
    const instruction = (name.split(/\s/, 1)[0] ?? '').toUpperCase();
    const located = this.locator?.buildkit(stage, index) ?? {};
    return {
      id: v.digest,
      name,
      instruction,
      index,
      total: Number(match[3]),
      ...(stage !== undefined ? { stage } : {}),
      ...located,
      kind: instruction === 'FROM' ? 'base' : 'instruction',
    };
  }

  private fail(message: string, events: BuildEventBody[]): void {
    if (this.failure) return;
    const step = this.failedVertex?.step;
    const line = step?.line ?? lineFromMessage(message);
    this.failure = { stepId: step?.id ?? null, ...(line !== undefined ? { line } : {}), message };
    events.push({ type: 'error', ...this.failure });
  }

  /** Emit unfinished log lines: all of them, or one vertex's when it completes. */
  private flushLogs(events: BuildEventBody[], vertex?: string): void {
    const keys = vertex ? [`${vertex}\0stdout`, `${vertex}\0stderr`] : undefined;
    const pending = keys
      ? keys.flatMap((k) => this.logs.flush(k).map((line) => [k, line] as [string, string]))
      : this.logs.flushAll();
    for (const [key, line] of pending) {
      const [digest = '', stream] = key.split('\0');
      const stepId = this.vertices.has(digest) ? digest : null;
      events.push({ type: 'step-log', stepId, stream: stream === 'stderr' ? 'stderr' : 'stdout', line });
    }
  }
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
