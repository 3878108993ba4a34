import type { StrataErrorShape } from '$shared/engine/errors';
import type { BuildEvent, BuildRecordSummaryDto, BuildStage } from '../../../src-main/ipc/contract/build';
import type { JobId } from '../../../src-main/ipc/contract/jobs';
import { api, ApiError, errorMessage } from '../../lib/api';
import { cancelJob } from '../../lib/cancel-job';
import { followJob } from '../../lib/follow-job';
import { notice } from '../../lib/notice.svelte';
import { applyBuildEvent, type BuildProgress, emptyProgress, progressOf, stopRunningSteps } from './build-progress';
import { type BuildForm, defaultForm, formToRequest, keepTypedFields, optionsToForm } from './build-form';

export type RunState = 'idle' | 'starting' | 'running' | 'succeeded' | 'failed' | 'cancelled';

interface RunView {
  jobId: JobId<'build'> | null;
  state: RunState;
  progress: BuildProgress;
  /** The kept build once finished (or the one reopened from history). */
  summary: Omit<BuildRecordSummaryDto, never> | null;
  error: StrataErrorShape | null;
  /** Wall-clock time of the build's start, to show a running step's elapsed time. */
  clockStart: number;
  /** Set when the view shows a kept build rather than the latest run. */
  keptId: string | null;
}

function idleRun(): RunView {
  return {
    jobId: null,
    state: 'idle',
    progress: emptyProgress(),
    summary: null,
    error: null,
    clockStart: 0,
    keptId: null,
  };
}

/**
 * The Build view's state, kept at module level so leaving the view and coming back during a build loses
 * nothing: the job is followed here, not in the component.
 */
export const session = $state({
  contextDir: '',
  dockerfile: 'Dockerfile',
  form: defaultForm() as BuildForm,
  problems: [] as string[],
  run: idleRun(),
  /** A line someone asked to see (a step's, a problem's); a new `seq` shows it again. */
  focusLine: null as { line: number; seq: number } | null,
  /** The failing step's line, marked until the next build starts (line null: no mark). */
  errorLine: null as { line: number | null; seq: number } | null,
  /** Bumped when a build ends, so the history list reloads. */
  historyVersion: 0,
});

let stopFollowing: (() => void) | null = null;

function follow(jobId: JobId<'build'>): void {
  stopFollowing?.();
  session.run = { ...idleRun(), jobId, state: 'running', clockStart: Date.now() };
  markFailedLine(null);
  // The run this job is shown in, while it is still the view's run.
  const runOf = () => (session.run.jobId === jobId ? session.run : undefined);
  const followed = followJob(jobId, {
    step: (stage) => {
      const run = runOf();
      if (run) onStage(run, stage);
    },
    output: (events) => {
      const run = runOf();
      if (run) onOutput(run, events);
    },
  });
  stopFollowing = followed.stop;
  followed.result.then(
    (summary) => {
      const run = runOf();
      if (!run) return;
      run.summary = summary;
      run.state = summary.status === 'succeeded' ? 'succeeded' : summary.status;
      finish();
    },
    (error: ApiError) => {
      const run = runOf();
      if (run) onEnded(run, error);
    },
  );
}

function onStage(run: RunView, stage: BuildStage): void {
  if (stage.stage === 'started') {
    session.contextDir = stage.contextDir;
    session.dockerfile = stage.dockerfile;
    // Strata's note, not the builder's error output: information looks like information, a warning like one.
    if (stage.note)
      run.progress.builderLog.push({ stream: 'stdout', text: stage.note, note: stage.noteTone ?? 'info' });
  } else {
    run.summary = stage.build;
  }
}

function onOutput(run: RunView, events: readonly BuildEvent[]): void {
  const first = events[0];
  if (first && run.progress.lastAt === 0) run.clockStart = Date.now() - first.at;
  for (const e of events) applyBuildEvent(run.progress, e);
}

/** The job failed or was cancelled. */
function onEnded(run: RunView, error: ApiError): void {
  const cancelled = error.code === 'cancelled';
  run.state = cancelled ? 'cancelled' : 'failed';
  if (!cancelled) run.error = shapeOf(error);
  // A failing step takes the editor to its Dockerfile line.
  const line = error.details?.line;
  if (!cancelled && typeof line === 'number') markFailedLine(line);
  stopRunningSteps(run.progress);
  finish();
}

function finish(): void {
  session.historyVersion++;
}

/** Start a build of the current context with the form's options. */
export async function startBuild(): Promise<void> {
  if (session.run.state === 'running' || session.run.state === 'starting') return;
  const { options, problems } = formToRequest(session.form);
  session.problems = problems;
  if (!options) return;
  if (!session.contextDir.trim()) {
    session.problems = ['Choose the build context folder first.'];
    return;
  }
  session.run = { ...idleRun(), state: 'starting' };
  try {
    const { jobId } = await api.build.start({
      contextDir: session.contextDir.trim(),
      dockerfile: session.dockerfile.trim() || 'Dockerfile',
      options,
    });
    follow(jobId);
  } catch (err) {
    session.run = { ...idleRun(), state: 'failed', error: shapeOf(err) };
  }
}

/** Build a kept build again with its own options (and show them in the form). */
export async function rebuild(id: string): Promise<void> {
  if (session.run.state === 'running' || session.run.state === 'starting') return;
  session.run = { ...idleRun(), state: 'starting' };
  try {
    const record = await api.build.historyGet({ id });
    session.contextDir = record.contextDir;
    session.dockerfile = record.dockerfile;
    session.form = optionsToForm(record.options);
    const { jobId } = await api.build.rebuild({ id });
    follow(jobId);
  } catch (err) {
    session.run = { ...idleRun(), state: 'failed', error: shapeOf(err) };
  }
}

export async function cancelBuild(): Promise<void> {
  const jobId = session.run.jobId;
  if (jobId && session.run.state === 'running') await cancelJob(jobId, 'the build');
}

/** Show a kept build: its steps and log, its summary; its context and options fill the form. */
export async function openKept(id: string): Promise<void> {
  if (session.run.state === 'running' || session.run.state === 'starting') return;
  stopFollowing?.();
  stopFollowing = null;
  const record = await api.build.historyGet({ id });
  const { events, steps: _steps, ...summary } = record;
  const progress = progressOf(events);
  stopRunningSteps(progress);
  session.contextDir = record.contextDir;
  session.dockerfile = record.dockerfile;
  session.form = optionsToForm(record.options);
  session.run = {
    ...idleRun(),
    state: record.status,
    progress,
    summary,
    keptId: id,
    ...(record.error ? { error: { code: 'internal' as const, message: record.error.message } } : {}),
  };
}

let contextLoads = 0;

/**
 * Fill the form with what this context was last built with. The options arrive after a round trip or two;
 * what the person typed meanwhile (tags, network…) stays, and a newer load wins over an older one.
 */
export async function loadContext(contextDir: string): Promise<void> {
  const load = ++contextLoads;
  session.contextDir = contextDir;
  const before = { ...session.form };
  const dockerfileBefore = session.dockerfile;
  const last = await api.build.lastOptions({ contextDir });
  let loaded: BuildForm;
  if (last) {
    loaded = optionsToForm(last.options);
  } else {
    // Never built here: start from the user's default build options.
    const settings = await api.app.settings().catch(() => undefined);
    loaded = defaultForm(settings?.buildDefaults);
  }
  if (load !== contextLoads) return;
  if (last && session.dockerfile === dockerfileBefore) session.dockerfile = last.dockerfile;
  session.form = keepTypedFields(before, session.form, loaded);
}

/** After a reload of the page: pick up a build job still running in main (a failure to ask is shown). */
export async function resumeRunningBuild(): Promise<void> {
  if (session.run.jobId) return;
  let jobs;
  try {
    jobs = await api.jobs.list();
  } catch (err) {
    notice(`Strata could not check for a build still running: ${errorMessage(err)}`, true);
    return;
  }
  const running = jobs
    .flatMap((j) => (j.kind === 'build' && j.state === 'running' ? [j] : []))
    .sort((a, b) => b.startedAt - a.startedAt)[0];
  if (running) follow(running.jobId);
}

/** Show a line in the editor without touching the failing step's mark. */
export function showLine(line: number): void {
  session.focusLine = { line, seq: (session.focusLine?.seq ?? 0) + 1 };
}

function markFailedLine(line: number | null): void {
  if (line === null && (session.errorLine === null || session.errorLine.line === null)) return;
  session.errorLine = { line, seq: (session.errorLine?.seq ?? 0) + 1 };
}

function shapeOf(err: unknown): StrataErrorShape {
  if (err instanceof ApiError)
    return { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) };
  return { code: 'internal', message: err instanceof Error ? err.message : String(err) };
}
