import type Docker from 'dockerode';
import { buildTagProblems } from '$shared/build/build-tags';
import { StrataError } from '$shared/engine/errors';
import { engineDialect } from '../images/tag-image';
import { buildDirectory } from './build-directory';
import type { BuildEvent } from './build-events';
import type { BuildRecordSummary, BuildHistoryStore } from './build-history-store';
import { planBuild, type EngineIdentity, type NoteTone } from './build-plan';
import { builderUnavailable } from './choose-builder';
import { contextTransferFor, type SessionRefusals } from './session/session-support';
import type { BuildOptions } from './run-build';
import type { ContextBuilder } from '../context/context-build-files';

/** A build as asked for: a context folder, its Dockerfile, and the options the form (or a kept build) gives. */
export interface BuildRequest {
  contextDir: string;
  dockerfile: string;
  /** The builder asked for; `auto` is decided when the job runs, by planBuild. */
  builder: ContextBuilder | 'auto';
  options: Partial<Omit<BuildOptions, 'dockerfile' | 'builder'>>;
}

/** What a build job says it is building, once the builder is chosen. */
export interface BuildStarted {
  contextDir: string;
  dockerfile: string;
  options: Omit<BuildOptions, 'dockerfile'>;
  /** Why the builder is not the one asked for or expected (for the log). */
  note?: string;
  noteTone?: NoteTone;
}

export interface BuildJobOptions {
  docker: Docker;
  /** The connected engine (undefined when none is): which builders it has. */
  engine: (EngineIdentity & { address?: string }) | undefined;
  request: BuildRequest;
  history: BuildHistoryStore;
  /** Engines that refused a BuildKit session: their builds are planned for, and upload, a tar. */
  sessionRefusals: SessionRefusals;
  signal: AbortSignal;
  onStarted: (started: BuildStarted) => void;
  /** The build's own events in order, a batch per turn of the event loop. */
  onOutput: (batch: BuildEvent[]) => void;
  /** The build as kept in history, whatever the outcome, before the job ends (with an error if it failed). */
  onFinished: (build: BuildRecordSummary) => void;
  /** Containers the engine was left running when it went away mid-build (see RunBuildOptions.onEngineLost). */
  onEngineLost: (containerIds: string[]) => void | Promise<void>;
}

/** Refuse a build the engine cannot run (a builder it lacks, a tag it rejects) before any job starts. */
export async function checkBuildRequest(
  docker: Docker,
  engine: EngineIdentity | undefined,
  request: BuildRequest,
): Promise<void> {
  const unavailable = builderUnavailable(request.builder, engine);
  if (unavailable) throw new StrataError('invalid-input', unavailable, { field: 'builder', use: 'classic' });
  const problems = buildTagProblems(request.options.tags ?? [], await engineDialect(docker));
  if (problems.length) throw new StrataError('invalid-input', `Invalid tag ${problems.join('; ')}`, { problems });
}

/**
 * The body of a build job: plan it with the rule the context panel scans with (so what it listed is what is
 * uploaded; a context problem ends the job before anything is sent), build and keep it, and turn a failed build
 * into the error the job ends with (its details carry `buildId`). Resolves with the kept build.
 */
export async function runBuildJob(job: BuildJobOptions): Promise<BuildRecordSummary> {
  const { request } = job;
  const { tags = [], buildArgs = {}, labels = {}, ...rest } = request.options;
  const { engine } = job;
  const { transfer, refusal } = contextTransferFor(engine, job.sessionRefusals);
  const chosen = await planBuild({
    contextDir: request.contextDir,
    dockerfile: request.dockerfile,
    requested: request.builder,
    engine,
    contextTransfer: transfer,
    ...(refusal !== undefined ? { sessionRefusal: refusal } : {}),
  });
  const options: Omit<BuildOptions, 'dockerfile'> = { ...rest, tags, buildArgs, labels, builder: chosen.builder };
  job.onStarted({
    contextDir: request.contextDir,
    dockerfile: request.dockerfile,
    options,
    ...(chosen.note ? { note: chosen.note, noteTone: chosen.noteTone ?? 'info' } : {}),
  });
  // A chatty RUN writes thousands of lines a second: send them in batches, one per turn of the event loop.
  let batch: BuildEvent[] = [];
  const flush = (): void => {
    if (batch.length) job.onOutput(batch);
    batch = [];
  };
  const record = await buildDirectory({
    docker: job.docker,
    files: chosen.files,
    options,
    history: job.history,
    contextTransfer: chosen.transfer,
    // The panel's next plan, and the next build's, are then for the tar this build fell back to.
    onSessionRefused: (message) => {
      if (engine) job.sessionRefusals.remember(engine, message);
    },
    signal: job.signal,
    onEvent: (event) => {
      if (batch.length === 0) setImmediate(flush);
      batch.push(event);
    },
    onEngineLost: job.onEngineLost,
  });
  flush();
  const { steps: _steps, events: _events, ...summary } = record;
  job.onFinished(summary);
  if (record.status === 'failed' && record.error) {
    const failure = record.error;
    const code = failure.engineLost ? 'engine-unreachable' : failure.statusCode === 400 ? 'invalid-input' : 'internal';
    throw new StrataError(code, failure.message, {
      buildId: record.id,
      ...(failure.statusCode !== undefined ? { status: failure.statusCode } : {}),
      ...(failure.engineMessage !== undefined ? { engineMessage: failure.engineMessage } : {}),
      ...(failure.line !== undefined ? { line: failure.line } : {}),
      ...(failure.stepId ? { stepId: failure.stepId } : {}),
    });
  }
  return summary;
}
