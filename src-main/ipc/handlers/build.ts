import { join } from 'node:path';
import type { Services } from '../../app/services';
import { buildDirectory } from '../../core/build/build-directory';
import type { BuildEvent } from '../../core/build/build-events';
import { BuildHistoryStore } from '../../core/build/build-history-store';
import { buildTagProblems } from '../../core/build/build-tags';
import { builderForContext, buildkitWouldExpose } from '../../core/build/buildkit-upload-check';
import { chooseBuilder } from '../../core/build/choose-builder';
import { readDockerfileInfo } from '../../core/build/dockerfile-info';
import type { BuildOptions } from '../../core/build/run-build';
import { StrataError } from '../../core/engine/errors';
import { engineDialect } from '../../core/images/tag-image';
import type { BuildJobData, BuildRequestOptions } from '../contract/build';
import type { DomainHandlers } from '../dispatch';

const stores = new WeakMap<Services, BuildHistoryStore>();

/** Builds are kept under the app's data folder, one history per Services. */
function historyOf(s: Services): BuildHistoryStore {
  let store = stores.get(s);
  if (!store) {
    store = new BuildHistoryStore(join(s.dataDir, 'builds'));
    stores.set(s, store);
  }
  return store;
}

interface StartBuild {
  contextDir: string;
  dockerfile: string;
  options: Required<Pick<BuildRequestOptions, 'builder'>> & Omit<BuildRequestOptions, 'builder'>;
}

/**
 * `auto` avoids BuildKit where the engine API would make it send files `.dockerignore` excludes (the
 * Dockerfile, the ignore file); an explicit BuildKit choice is kept, with a warning in the log.
 */
async function builderFor(
  request: StartBuild,
  requested: BuildRequestOptions['builder'],
  engineChoice: 'classic' | 'buildkit',
): Promise<{ builder: 'classic' | 'buildkit'; note?: string }> {
  const where = { contextDir: request.contextDir, dockerfile: request.dockerfile };
  if (requested === 'auto') return builderForContext({ ...where, engineDefault: engineChoice });
  if (engineChoice !== 'buildkit') return { builder: engineChoice };
  const exposed = await buildkitWouldExpose(where);
  return exposed.length
    ? {
        builder: 'buildkit',
        note: `Warning: .dockerignore excludes ${exposed.join(' and ')}, but BuildKit through the engine API needs ${exposed.length === 1 ? 'it' : 'them'} in the context, where COPY can see ${exposed.length === 1 ? 'it' : 'them'}. Choose Automatic or the classic builder to keep ${exposed.length === 1 ? 'it' : 'them'} out.`,
      }
    : { builder: 'buildkit' };
}

async function startBuild(s: Services, request: StartBuild): Promise<{ jobId: string }> {
  const docker = s.engine.docker();
  const engine = s.engine.status.state === 'connected' ? s.engine.status.engine : undefined;
  const { builder: requested, tags = [], buildArgs = {}, labels = {}, ...rest } = request.options;
  const problems = buildTagProblems(tags, await engineDialect(docker));
  if (problems.length) throw new StrataError('invalid-input', `Invalid tag ${problems.join('; ')}`, { problems });
  const chosen = await builderFor(request, requested, chooseBuilder(requested, engine));
  const options: Omit<BuildOptions, 'dockerfile'> = {
    ...rest,
    tags,
    buildArgs,
    labels,
    builder: chosen.builder,
  };
  const history = historyOf(s);
  const jobId = s.jobs.start({
    kind: 'build',
    title: `Build ${request.contextDir}${tags.length ? ` as ${tags.join(', ')}` : ''}`,
    run: async ({ signal, emit }) => {
      const send = (data: BuildJobData) => emit('step', data);
      send({
        kind: 'started',
        contextDir: request.contextDir,
        dockerfile: request.dockerfile,
        options,
        ...(chosen.note ? { note: chosen.note } : {}),
      });
      // A chatty RUN writes thousands of lines a second: send them in batches, one per turn of the event loop.
      let batch: BuildEvent[] = [];
      const flush = () => {
        if (batch.length) send({ kind: 'events', events: batch });
        batch = [];
      };
      const record = await buildDirectory({
        docker,
        contextDir: request.contextDir,
        dockerfile: request.dockerfile,
        options,
        history,
        signal,
        onEvent: (event) => {
          if (batch.length === 0) setImmediate(flush);
          batch.push(event);
        },
        // Removed once Strata has reconnected to this engine (see services).
        onEngineLost: (containerIds) => void s.buildLeftovers.remember(engine?.address ?? '', containerIds),
      });
      flush();
      const { steps: _steps, events: _events, ...summary } = record;
      send({ kind: 'finished', build: summary });
      if (record.status === 'failed' && record.error) {
        const failure = record.error;
        const code = failure.engineLost
          ? 'engine-unreachable'
          : failure.statusCode === 400
            ? 'invalid-input'
            : 'internal';
        throw new StrataError(code, failure.message, {
          buildId: record.id,
          ...(failure.statusCode !== undefined ? { status: failure.statusCode } : {}),
          ...(failure.engineMessage !== undefined ? { engineMessage: failure.engineMessage } : {}),
          ...(failure.line !== undefined ? { line: failure.line } : {}),
          ...(failure.stepId ? { stepId: failure.stepId } : {}),
        });
      }
      return summary;
    },
  });
  return { jobId };
}

export function buildHandlers(s: Services): DomainHandlers<'build'> {
  const history = historyOf(s);
  const found = async (id: string) => {
    const record = await history.get(id);
    if (!record) throw new StrataError('not-found', `No kept build ${id}: it was deleted.`, { id });
    return record;
  };
  return {
    start: ({ contextDir, dockerfile, options }) => startBuild(s, { contextDir, dockerfile, options }),
    rebuild: async ({ id }) => {
      const record = await found(id);
      const { dockerfile: _inTar, ...options } = record.options;
      return startBuild(s, { contextDir: record.contextDir, dockerfile: record.dockerfile, options });
    },
    history: ({ contextDir }) => history.list(contextDir ? { contextDir } : {}),
    historyGet: ({ id }) => found(id),
    historyDelete: async ({ id }) => {
      if (!(await history.delete(id))) throw new StrataError('not-found', `No kept build ${id}.`, { id });
      return { ok: true as const };
    },
    dockerfileInfo: ({ contextDir, dockerfile }) => readDockerfileInfo({ contextDir, dockerfile }),
    lastOptions: async ({ contextDir }) => {
      const latest = (await history.list({ contextDir }))[0];
      return latest ? { dockerfile: latest.dockerfile, options: latest.options } : null;
    },
  };
}
