import type Docker from 'dockerode';
import path from 'node:path';
import { buildDirectory } from '../core/build/build-directory';
import type { BuildEvent } from '../core/build/build-events';
import { BuildHistoryStore, type BuildRecord } from '../core/build/build-history-store';
import { buildTagProblems } from '$shared/build/build-tags';
import { planBuild } from '../core/build/build-plan';
import { builderUnavailable } from '../core/build/choose-builder';
import { connectOnce } from '../core/engine/connect-once';
import { engineVersionInfo } from '../core/engine/engine-info';
import { defaultDataDir } from '../core/settings/data-dir';
import { engineDialect } from '../core/images/tag-image';
import { type CommandIO, parseCommandLine, resolveDockerfileArg, USAGE_ERROR } from './command-line';

/** The build failed (or the engine refused it): the build's result is the exit code. */
const BUILD_FAILED = 1;
/** Interrupted (Ctrl+C), as a shell reports SIGINT. */
const CANCELLED = 130;

const USAGE = `Usage: strata build <dir> [-t tag]... [-f Dockerfile] [--builder classic|buildkit] [--network <mode>] [--json]

Build <dir> as the app does: the builder's own log, each step cached or run, and why each step that ran
missed the cache, compared with the previous successful build of the same folder, Dockerfile and builder.
Exit code: 0 built, 1 the build failed, 2 bad usage, 130 interrupted.

Options:
  -t, --tag <name:tag>      Tag the image (repeatable).
  -f, --file <path>         Dockerfile (default <dir>/Dockerfile). A relative path is taken from the current
                            directory, as with docker build -f; if no such file exists there, from <dir>.
      --builder <builder>   classic or buildkit (default: BuildKit where the engine has it, unless
                            .dockerignore excludes the Dockerfile or itself).
      --network <mode>      Network for RUN steps (none, host, default, or a network name).
      --build-arg <K=V>     A build argument (repeatable).
      --target <stage>      Build up to this stage.
      --no-cache            Do not use the cache.
      --json                Print one JSON object: steps, log, reasons and the result.
      --history <dir>       Where builds are kept to compare with (default: the app's own build history).
  -h, --help                Show this help.
`;

export interface BuildCommandDeps {
  /** The engine to build on; default: found as the app finds it. */
  connect?: () => Promise<Docker>;
  signal?: AbortSignal;
}

/** `strata build`: `argv` holds the arguments after `build`. */
export async function runBuildCommand(argv: string[], io: CommandIO, deps: BuildCommandDeps = {}): Promise<number> {
  const line = parseCommandLine({
    command: 'build',
    usage: USAGE,
    argv,
    io,
    operand: '<dir>',
    options: {
      tag: { type: 'string', short: 't', multiple: true },
      file: { type: 'string', short: 'f' },
      builder: { type: 'string' },
      network: { type: 'string' },
      'build-arg': { type: 'string', multiple: true },
      target: { type: 'string' },
      'no-cache': { type: 'boolean' },
      json: { type: 'boolean' },
      history: { type: 'string' },
    },
  });
  if ('exitCode' in line) return line.exitCode;
  const { values } = line;
  if (values.builder !== undefined && values.builder !== 'classic' && values.builder !== 'buildkit') {
    io.stderr.write(`strata build: --builder must be classic or buildkit, not "${values.builder}"\n`);
    return USAGE_ERROR;
  }
  const buildArgs: Record<string, string> = {};
  for (const pair of values['build-arg'] ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) {
      io.stderr.write(`strata build: --build-arg must be NAME=value, not "${pair}"\n`);
      return USAGE_ERROR;
    }
    buildArgs[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  const contextDir = path.resolve(line.operand);
  const dockerfile = resolveDockerfileArg(values.file, contextDir);
  const tags = values.tag ?? [];

  let docker: Docker;
  try {
    docker = await (deps.connect ?? connectOnce)();
  } catch (err) {
    io.stderr.write(`strata build: ${(err as Error).message}\n`);
    return BUILD_FAILED;
  }
  const problems = buildTagProblems(tags, await engineDialect(docker));
  if (problems.length) {
    io.stderr.write(`strata build: invalid tag ${problems.join('; ')}\n`);
    return USAGE_ERROR;
  }
  // The same rule as the app's build and context panel (core/build/build-plan): "auto" unless told.
  const version = await docker.version().catch(() => undefined);
  const engine = version ? engineVersionInfo(version) : undefined;
  const requested = (values.builder as 'classic' | 'buildkit' | undefined) ?? 'auto';
  const unavailable = builderUnavailable(requested, engine);
  if (unavailable) {
    io.stderr.write(`strata build: ${unavailable}\n`);
    return USAGE_ERROR;
  }
  let plan;
  try {
    plan = await planBuild({ contextDir, ...(dockerfile ? { dockerfile } : {}), requested, engine });
  } catch (err) {
    io.stderr.write(`strata build: ${(err as Error).message}\n`);
    return BUILD_FAILED;
  }
  if (plan.note) io.stderr.write(`${plan.note}\n`);

  const history = new BuildHistoryStore(values.history ?? path.join(defaultDataDir(), 'builds'));
  const streaming = !values.json;
  let record: BuildRecord;
  try {
    record = await buildDirectory({
      docker,
      files: plan.files,
      options: {
        builder: plan.builder,
        tags,
        buildArgs,
        ...(values.network ? { networkMode: values.network } : {}),
        ...(values.target ? { target: values.target } : {}),
        ...(values['no-cache'] ? { noCache: true } : {}),
      },
      history,
      ...(deps.signal ? { signal: deps.signal } : {}),
      ...(streaming ? { onEvent: (event: BuildEvent) => printLive(event, io) } : {}),
    });
  } catch (err) {
    io.stderr.write(`strata build: ${(err as Error).message}\n`);
    return BUILD_FAILED;
  }
  if (values.json) io.stdout.write(`${JSON.stringify(jsonOf(record), null, 2)}\n`);
  else io.stdout.write(report(record));
  if (record.status === 'failed' && record.error) io.stderr.write(`strata build: ${record.error.message}\n`);
  return record.status === 'succeeded' ? 0 : record.status === 'cancelled' ? CANCELLED : BUILD_FAILED;
}

/** The builder's own text as it arrives, so a CI log shows it even if the job is killed mid-build. */
function printLive(event: BuildEvent, io: CommandIO): void {
  if (event.type === 'builder-log') io.stdout.write(`${event.text}\n`);
}

/** After the log: the steps, why steps ran again, and the result, as plain text. */
function report(record: BuildRecord): string {
  const out: string[] = ['', 'Steps'];
  for (const step of record.steps.filter((s) => s.kind === 'instruction' || s.kind === 'base')) {
    const state =
      step.state === 'cached'
        ? 'CACHED'
        : step.state === 'failed'
          ? 'FAILED'
          : step.state === 'unfinished'
            ? 'STOPPED'
            : `${((step.durationMs ?? 0) / 1000).toFixed(1)}s`;
    const where = step.line !== undefined ? `line ${step.line}` : '';
    out.push(`  ${state.padEnd(8)} ${where.padEnd(8)} ${step.name}`);
  }
  if (record.cacheMisses?.length) {
    out.push('', 'Why steps ran again');
    for (const miss of record.cacheMisses) out.push(`  ${miss.text}`);
  } else if (record.baselineBuildId === undefined && record.ranSteps > 0) {
    out.push('', 'No previous build of this folder, Dockerfile and builder to compare with.');
  }
  out.push('');
  const seconds = (record.durationMs / 1000).toFixed(1);
  const head =
    record.status === 'succeeded'
      ? `Built ${record.imageId ?? ''} in ${seconds}s`
      : record.status === 'cancelled'
        ? `Build cancelled after ${seconds}s`
        : `Build failed after ${seconds}s`;
  const saved =
    record.cacheSavedMs !== undefined
      ? `; the cache saved ${(record.cacheSavedMs / 1000).toFixed(1)}s against the previous build`
      : '';
  out.push(`${head}: ${record.cachedSteps} cached, ${record.ranSteps} run${saved}`);
  if (record.tags.length && record.status === 'succeeded') out.push(`Tagged ${record.tags.join(', ')}`);
  return `${out.join('\n')}\n`;
}

function jsonOf(record: BuildRecord) {
  return {
    id: record.id,
    status: record.status,
    builder: record.options.builder,
    ...(record.imageId ? { imageId: record.imageId } : {}),
    tags: record.tags,
    durationMs: record.durationMs,
    cachedSteps: record.cachedSteps,
    ranSteps: record.ranSteps,
    ...(record.cacheSavedMs !== undefined ? { cacheSavedMs: record.cacheSavedMs } : {}),
    ...(record.baselineBuildId ? { comparedWith: record.baselineBuildId } : {}),
    steps: record.steps.map((s) => ({
      id: s.id,
      name: s.name,
      kind: s.kind,
      state: s.state,
      ...(s.line !== undefined ? { line: s.line } : {}),
      ...(s.durationMs !== undefined ? { durationMs: s.durationMs } : {}),
    })),
    cacheMisses: record.cacheMisses ?? [],
    log: record.events.flatMap((e) => (e.type === 'builder-log' ? [{ stepId: e.stepId, text: e.text }] : [])),
    ...(record.error ? { error: record.error } : {}),
  };
}
