import type Docker from 'dockerode';
import type { Readable } from 'node:stream';
import { toStrataError } from '$shared/engine/errors';
import { withSignal } from '../engine/with-signal';
import { JsonLineSplitter, keepAsStreamText } from '../engine/json-lines';
import type { BuildEvent, BuildEventBody, BuilderKind, BuildMessage, BuildStreamParser } from './build-events';
import { countSteps, type StepSummary, summarizeSteps } from './build-summary';
import { automaticBuildNetwork, buildNetworkHint } from './build-network';
import { builderLogPrinter } from './builder-log';
import { BuildkitTraceParser } from './buildkit-trace-parser';
import { ClassicStreamParser, lineFromMessage } from './classic-stream-parser';
import { engineLostMessage, isEngineLost } from './engine-lost';
import { removeIntermediateContainers } from './intermediate-containers';
import { type DockerfileOutline, StepLocator } from './step-locator';
import { UploadCounter } from './upload-counter';
import { type ContextSession, requestSessionBuild } from './session/context-session';
import { requestTarBuild } from './tar-build-request';
import { registryAuthHint } from './registry-auth-hint';

export interface BuildOptions {
  /** Path of the Dockerfile inside the context, `/`-separated. Default `Dockerfile`. */
  dockerfile?: string;
  tags?: string[];
  buildArgs?: Record<string, string>;
  target?: string;
  noCache?: boolean;
  pull?: boolean;
  /**
   * `none` in tests and offline use. Unset or empty is Automatic: the engine's default where it has a bridge
   * network, else `none` (said in the log).
   */
  networkMode?: string;
  platform?: string;
  labels?: Record<string, string>;
  builder: BuilderKind;
}

export interface RunBuildOptions extends BuildOptions {
  docker: Docker;
  /**
   * The build context as a tar stream, or (BuildKit) a session through which the engine pulls the context
   * and the Dockerfile, asking only for what changed since the last build of the folder.
   */
  context: Readable | ContextSession;
  /** Lines for the start of the build log (e.g. why the context goes as a tar). */
  notes?: string[];
  /** The tar's size in bytes, for upload progress; null when not known. */
  contextSize?: number | null;
  /** The Dockerfile's outline, so steps can name their Dockerfile lines. */
  outline?: DockerfileOutline;
  signal?: AbortSignal;
  onEvent?: (event: BuildEvent) => void;
  /**
   * The engine went away mid-build: the containers the classic builder started (` ---> Running in <id>`),
   * which the engine keeps (`Exited (137)`) when it comes back, for removal after reconnecting. Awaited before
   * the build ends; if it fails, the build's error says the containers were not noted and how to remove them.
   */
  onEngineLost?: (containerIds: string[]) => void | Promise<void>;
}

export interface BuildFailure {
  message: string;
  stepId: string | null;
  line?: number;
  /** The engine's HTTP status, when the request itself was refused. */
  statusCode?: number;
  engineMessage?: string;
  /** The engine stopped answering mid-build (killed, crashed, restarted). */
  engineLost?: boolean;
}

export type BuildStatus = 'succeeded' | 'failed' | 'cancelled';

export interface BuildOutcome {
  status: BuildStatus;
  builder: BuilderKind;
  imageId?: string;
  tags: string[];
  /** The image's size as the engine reports it. */
  sizeBytes?: number;
  /** Epoch ms. */
  startedAt: number;
  durationMs: number;
  steps: StepSummary[];
  cachedSteps: number;
  ranSteps: number;
  error?: BuildFailure;
  /** Every event, in order: the build's full log. */
  events: BuildEvent[];
}

/**
 * Runs one build on the engine with the classic builder or BuildKit, turning the engine's stream into
 * normalised events. Resolves with the outcome (succeeded, failed or cancelled) rather than throwing, so
 * the events of a failed build are never lost. Cancelling removes the classic builder's leftovers.
 */
export async function runBuild(options: RunBuildOptions): Promise<BuildOutcome> {
  const { docker, signal } = options;
  const startedAt = Date.now();
  const clockStart = performance.now();
  const now = () => Math.round((performance.now() - clockStart) * 1000) / 1000;
  const events: BuildEvent[] = [];
  const emit = (body: BuildEventBody) => {
    const event = { ...body, at: now() } as BuildEvent;
    events.push(event);
    options.onEvent?.(event);
  };
  const tags = options.tags ?? [];
  const locator = options.outline
    ? new StepLocator(options.outline, {
        ...(options.target ? { target: options.target } : {}),
        ...(options.buildArgs ? { buildArgs: options.buildArgs } : {}),
      })
    : undefined;
  const parser: BuildStreamParser =
    options.builder === 'classic' ? new ClassicStreamParser(locator) : new BuildkitTraceParser(locator);
  const printer = builderLogPrinter(options.builder, locator);
  const onMessage = (message: BuildMessage) => {
    for (const event of parser.push(message, now())) emit(event);
    for (const line of printer.push(message)) emit({ type: 'builder-log', ...line });
  };

  let contextError: Error | undefined;
  const session = 'kind' in options.context ? options.context : undefined;
  const tar = 'kind' in options.context ? undefined : options.context;
  const counter = new UploadCounter({
    totalBytes: options.contextSize ?? null,
    onProgress: (sentBytes, done) => {
      emit({ type: 'upload', sentBytes, totalBytes: options.contextSize ?? null, done });
      // The docker CLI's own first line for the classic builder; BuildKit reports the context as a step.
      if (done && options.builder === 'classic')
        emit({
          type: 'builder-log',
          stepId: null,
          text: `Sending build context to Docker daemon  ${dockerSize(sentBytes)}`,
        });
    },
  });
  tar?.on('error', (err) => {
    // An unreadable file in the context: name it instead of the engine's "unexpected EOF".
    contextError = err;
    counter.destroy(err);
  });
  tar?.pipe(counter);

  let requestFailure: BuildFailure | undefined;
  let requested = false;
  let networkMode: string | undefined;
  let engineLost = false;
  const finish = async (): Promise<BuildOutcome> => {
    // A lost engine leaves the running step unfinished, as a cancel does: it neither failed nor ended.
    for (const event of parser.end(now(), { interrupted: signal?.aborted === true || engineLost })) emit(event);
    if (engineLost && !signal?.aborted)
      requestFailure = await lostEngineFailure(parser, events, emit, options.onEngineLost);
    for (const line of printer.end()) emit({ type: 'builder-log', ...line });
    tar?.unpipe(counter);
    if (tar && !tar.destroyed) tar.destroy();
    if (session) {
      session.close();
      if (requested) emit({ type: 'upload', sentBytes: session.counter.dataBytes, totalBytes: null, done: true });
    }
    let status: BuildStatus;
    let error = requestFailure ?? (parser.failure ? { ...parser.failure } : undefined);
    if (signal?.aborted) {
      status = 'cancelled';
      error = undefined;
      if (requested && parser instanceof ClassicStreamParser) await cleanUpClassic(docker, parser, events, startedAt);
    } else if (error) {
      status = 'failed';
      const hint = buildNetworkHint(error.message, options.builder, networkMode) ?? registryAuthHint(error.message);
      if (hint) {
        emit({ type: 'step-log', stepId: null, stream: 'stderr', line: hint });
        error = { ...error, message: `${error.message}\n${hint}` };
      }
    } else if (parser.imageId) status = 'succeeded';
    else {
      status = 'failed';
      error = { message: silentEnd(events), stepId: null };
      emit({ type: 'error', stepId: null, message: error.message });
    }
    let sizeBytes: number | undefined;
    if (status === 'succeeded' && parser.imageId) {
      emit({ type: 'result', imageId: parser.imageId, tags });
      sizeBytes = await docker
        .getImage(parser.imageId)
        .inspect()
        .then((info) => info.Size)
        .catch(() => undefined);
    }
    const steps = summarizeSteps(events);
    return {
      status,
      builder: options.builder,
      ...(status === 'succeeded' && parser.imageId ? { imageId: parser.imageId } : {}),
      tags,
      ...(sizeBytes !== undefined ? { sizeBytes } : {}),
      startedAt,
      durationMs: Math.round(now()),
      steps,
      ...countSteps(steps),
      ...(error ? { error } : {}),
      events,
    };
  };

  if (signal?.aborted) return finish();
  for (const line of options.notes ?? []) emit({ type: 'step-log', stepId: null, stream: 'stdout', line });

  networkMode = options.networkMode || undefined;
  if (!networkMode) {
    const choice = await automaticBuildNetwork(docker);
    networkMode = choice.networkMode;
    if (choice.note) emit({ type: 'step-log', stepId: null, stream: 'stdout', line: choice.note });
  }

  let response: NodeJS.ReadableStream;
  requested = true;
  try {
    const query = engineOptions({ ...options, networkMode });
    response = session
      ? await requestSessionBuild(docker, session, query as Record<string, unknown>, signal)
      : options.builder === 'buildkit'
        ? await requestTarBuild(docker, counter, query as Record<string, unknown>, signal)
        : ((await docker.buildImage(counter, query)) as NodeJS.ReadableStream);
  } catch (err) {
    if (!signal?.aborted && !contextError && isEngineLost(err) && !(await engineAnswers(docker))) engineLost = true;
    else if (!signal?.aborted) requestFailure = failureOf(contextError ?? err, emit);
    return finish();
  }

  const splitter = new JsonLineSplitter<BuildMessage>(keepAsStreamText);
  try {
    for await (const chunk of response as AsyncIterable<Buffer>) {
      for (const message of splitter.push(chunk)) onMessage(message);
    }
    for (const message of splitter.end()) onMessage(message);
  } catch (err) {
    const lost = !signal?.aborted && !parser.failure && !contextError && isEngineLost(err);
    if (lost && !(await engineAnswers(docker))) engineLost = true;
    else if (!signal?.aborted && !parser.failure) requestFailure = failureOf(contextError ?? err, emit);
  }
  return finish();
}

/**
 * The message for a build stream that ended without an image or an error: Podman ends it so when the base
 * image of a FROM cannot be found. Name the step it stopped at.
 */
function silentEnd(events: readonly BuildEvent[]): string {
  const last = events.findLast((e) => e.type === 'step-start');
  if (last?.type !== 'step-start') return 'The build ended without an image ID, and the engine did not say why.';
  const base = last.step.instruction === 'FROM' || last.step.kind === 'base';
  return base
    ? `The build stopped at ${last.step.name} without an error from the engine: the base image is most likely not there. Pull, load or build it first.`
    : `The build stopped at ${last.step.name} without an image ID or an error from the engine.`;
}

/** The /build query: dockerode passes these through as the engine's parameter names. */
function engineOptions(options: RunBuildOptions & { networkMode: string | undefined }): Docker.ImageBuildOptions {
  const query: Record<string, unknown> = {
    dockerfile: options.dockerfile ?? 'Dockerfile',
    version: options.builder === 'buildkit' ? '2' : '1',
    // The classic builder keeps a failed step's container unless told otherwise.
    rm: true,
    forcerm: true,
  };
  if (options.tags?.length) query.t = options.tags;
  if (options.buildArgs && Object.keys(options.buildArgs).length) query.buildargs = options.buildArgs;
  if (options.labels && Object.keys(options.labels).length) query.labels = options.labels;
  if (options.target) query.target = options.target;
  if (options.noCache) query.nocache = true;
  if (options.pull) query.pull = true;
  if (options.networkMode) query.networkmode = options.networkMode;
  if (options.platform) query.platform = options.platform;
  if (options.signal) query.abortSignal = options.signal;
  return query as Docker.ImageBuildOptions;
}

function failureOf(err: unknown, emit: (body: BuildEventBody) => void): BuildFailure {
  const strata = toStrataError(err);
  const engineMessage = strata.details?.engineMessage ?? engineMessageFromText(err);
  const message = engineMessage ?? strata.message;
  const line = lineFromMessage(message);
  const failure: BuildFailure = {
    message,
    stepId: null,
    ...(line !== undefined ? { line } : {}),
    ...(strata.details?.status !== undefined ? { statusCode: strata.details.status } : {}),
    ...(engineMessage !== undefined ? { engineMessage } : {}),
  };
  emit({
    type: 'error',
    stepId: null,
    message,
    ...(line !== undefined ? { line } : {}),
    ...(failure.statusCode !== undefined ? { statusCode: failure.statusCode } : {}),
  });
  return failure;
}

/** A dropped socket is the engine's death only if the engine no longer answers (it may have just closed this one). */
async function engineAnswers(docker: Docker): Promise<boolean> {
  try {
    await withSignal(docker).ping({ abortSignal: AbortSignal.timeout(2000) });
    return true;
  } catch {
    return false;
  }
}

async function lostEngineFailure(
  parser: BuildStreamParser,
  events: readonly BuildEvent[],
  emit: (body: BuildEventBody) => void,
  onEngineLost: RunBuildOptions['onEngineLost'],
): Promise<BuildFailure> {
  const containerIds = parser instanceof ClassicStreamParser ? [...parser.containerIds].filter(Boolean) : [];
  let notNoted: string | undefined;
  if (containerIds.length && onEngineLost) {
    try {
      await onEngineLost(containerIds);
    } catch (err) {
      // Nothing will remove them after the reconnect: the person is told which ones and how.
      notNoted = err instanceof Error ? err.message : String(err);
    }
  }
  const message = engineLostMessage(events, {
    leftoverContainers: onEngineLost ? containerIds.length : 0,
    ...(notNoted !== undefined ? { notNoted: { containerIds, reason: notNoted } } : {}),
  });
  // Not pinned on the running step: that step did not fail, it was cut off (and stays unfinished).
  emit({ type: 'error', stepId: null, message });
  return { message, stepId: null, engineLost: true };
}

/**
 * On a streaming endpoint docker-modem leaves `json` null and puts the engine's answer only in the message:
 * "(HTTP code 400) unexpected - dockerfile parse error line 2: unknown instruction: RUNN ".
 */
function engineMessageFromText(err: unknown): string | undefined {
  const text = (err as { message?: unknown } | null)?.message;
  if (typeof text !== 'string') return undefined;
  const match = /^\(HTTP code \d+\) [^-]*- ([\s\S]*)$/.exec(text);
  return match?.[1]?.trim() || undefined;
}

async function cleanUpClassic(
  docker: Docker,
  parser: ClassicStreamParser,
  events: readonly BuildEvent[],
  since: number,
): Promise<void> {
  const lastStart = events.findLast((e) => e.type === 'step-start');
  await removeIntermediateContainers({
    docker,
    containerIds: parser.containerIds,
    stepImageIds: parser.stepImageIds,
    ...(lastStart?.type === 'step-start' ? { runningStep: lastStart.step.name } : {}),
    since,
  }).catch(() => undefined);
}

/** A size as the docker CLI prints the context it sends (go-units HumanSize: 4 significant digits, kB = 1000). */
export function dockerSize(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${Number(value.toPrecision(4))}${units[unit]}`;
}
