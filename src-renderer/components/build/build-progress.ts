import type { BuildEvent, BuildStep, LogStream } from '../../../src-main/ipc/contract/core-types';

/**
 * What the Build view shows of a build, folded from its events as they arrive: the upload, each step
 * with its state, duration and log, the failure and the result. Pure, so it is tested without a page.
 */

/** A line of a step's output, or of the builder's messages outside any step. */
export interface LogLine {
  stream: LogStream;
  text: string;
  /** Strata's own note about the build (how the context goes, or a warning), not the builder's output. */
  note?: 'info' | 'warning';
}

export type StepViewState = 'running' | 'cached' | 'done' | 'failed' | 'stopped';

export interface StepView {
  step: BuildStep;
  state: StepViewState;
  durationMs?: number;
  /** When the step started, in ms since the build started. */
  startedAt: number;
  logs: LogLine[];
  error?: string;
}

export interface BuildProgress {
  upload: { sentBytes: number; totalBytes: number | null; done: boolean } | null;
  steps: StepView[];
  /** Builder messages outside any step ("Successfully tagged ..."). */
  builderLog: LogLine[];
  /** The builder's own text, line by line, as `docker build` prints it, each line with its step. */
  log: Array<{ stepId: string | null; text: string }>;
  error: { message: string; stepId: string | null; line?: number; statusCode?: number } | null;
  result: { imageId: string; tags: string[] } | null;
  /** Time of the latest event, ms since the build started. */
  lastAt: number;
}

export function emptyProgress(): BuildProgress {
  return { upload: null, steps: [], builderLog: [], log: [], error: null, result: null, lastAt: 0 };
}

/** Fold one event into the progress (mutates it: the view keeps it in reactive state). */
export function applyBuildEvent(progress: BuildProgress, event: BuildEvent): void {
  progress.lastAt = Math.max(progress.lastAt, event.at);
  const step = (id: string | null) => (id ? progress.steps.find((s) => s.step.id === id) : undefined);
  switch (event.type) {
    case 'upload':
      progress.upload = { sentBytes: event.sentBytes, totalBytes: event.totalBytes, done: event.done };
      break;
    case 'step-start':
      if (!step(event.step.id))
        progress.steps.push({ step: event.step, state: 'running', startedAt: event.at, logs: [] });
      break;
    case 'step-cached': {
      const s = step(event.stepId);
      if (s) s.state = 'cached';
      break;
    }
    case 'step-log': {
      const s = step(event.stepId);
      (s ? s.logs : progress.builderLog).push({ stream: event.stream, text: event.line });
      break;
    }
    case 'builder-log':
      progress.log.push({ stepId: event.stepId, text: event.text });
      break;
    case 'step-done': {
      const s = step(event.stepId);
      if (s) {
        s.state = event.cached ? 'cached' : 'done';
        s.durationMs = event.durationMs;
      }
      break;
    }
    case 'error': {
      progress.error = {
        message: event.message,
        stepId: event.stepId,
        ...(event.line !== undefined ? { line: event.line } : {}),
        ...(event.statusCode !== undefined ? { statusCode: event.statusCode } : {}),
      };
      const s = step(event.stepId);
      if (s) {
        s.state = 'failed';
        s.error = event.message;
        s.durationMs = event.at - s.startedAt;
      }
      break;
    }
    case 'result':
      progress.result = { imageId: event.imageId, tags: event.tags };
      break;
  }
}

/**
 * Instructions cached and run, counted as the build summary counts them (core countSteps): only Dockerfile
 * instructions, and a failed instruction ran.
 */
export function stepCounts(progress: BuildProgress): { cached: number; ran: number } {
  const counted = progress.steps.filter((s) => s.step.kind === 'instruction');
  return {
    cached: counted.filter((s) => s.state === 'cached').length,
    ran: counted.filter((s) => s.state === 'done' || s.state === 'failed').length,
  };
}

/** The build ended (cancelled, or its stream cut): steps still running are shown stopped. */
export function stopRunningSteps(progress: BuildProgress): void {
  for (const s of progress.steps) {
    if (s.state === 'running') {
      s.state = 'stopped';
      s.durationMs = progress.lastAt - s.startedAt;
    }
  }
}

/** Fold a whole event list (a kept build's log). */
export function progressOf(events: readonly BuildEvent[]): BuildProgress {
  const progress = emptyProgress();
  for (const event of events) applyBuildEvent(progress, event);
  return progress;
}

/** Each step's lines of the builder's own log, in the order printed: what a step without output of its own shows. */
export function builderLinesByStep(log: BuildProgress['log']): Map<string, LogLine[]> {
  const byStep = new Map<string, LogLine[]>();
  for (const l of log) {
    if (!l.stepId) continue;
    let lines = byStep.get(l.stepId);
    if (!lines) byStep.set(l.stepId, (lines = []));
    lines.push({ stream: 'stdout', text: l.text });
  }
  return byStep;
}

/**
 * The lines an expanded step shows: its output when it printed some (a RUN's, stderr marked), else its lines of the
 * builder's log, from its header ("Step 3/3 : COPY …", Buildah's "STEP 3/3: …" then "COMMIT …") to its result image.
 */
export function expandedStepLines(view: StepView, builderLines: readonly LogLine[]): readonly LogLine[] {
  return view.logs.length > 0 ? view.logs : builderLines;
}

/** "Step 3/7" for the classic builder, "[base 2/4]" for BuildKit's per-stage count, nothing for internal work. */
export function stepLabel(step: BuildStep): string {
  if (step.index === undefined || step.total === undefined) return '';
  return step.stage ? `${step.stage} ${step.index}/${step.total}` : `${step.index}/${step.total}`;
}

/** A duration as the docker CLI prints build times: "0.4s", "12.3s", "2m 5s". */
export function stepDuration(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes}m ${Math.round((ms % 60_000) / 1000)}s`;
}

/** The base image of the built image: the last FROM of an image (not of an earlier stage), as written. */
export function baseImageOf(steps: readonly BuildStep[]): string | undefined {
  const stages = new Set(steps.map((s) => s.stage).filter((s): s is string => !!s));
  const froms = steps
    .filter((s) => s.kind === 'base')
    .map(
      (s) =>
        s.name
          .replace(/^FROM\s+/i, '')
          .split(/\s+/)
          .filter((w) => !w.startsWith('--'))[0] ?? '',
    )
    .filter((ref) => ref && !ref.includes('$') && !stages.has(ref.toLowerCase()) && ref.toLowerCase() !== 'scratch');
  return froms.at(-1);
}
