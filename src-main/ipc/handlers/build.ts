import type { Services } from '../services';
import { buildDirectory } from '../../core/build/build-directory';
import type { BuildEvent } from '../../core/build/build-events';
import { buildTagProblems } from '$shared/build/build-tags';
import { planBuild } from '../../core/build/build-plan';
import { builderUnavailable } from '../../core/build/choose-builder';
import { readDockerfileInfo } from '../../core/build/dockerfile-info';
import type { BuildOptions } from '../../core/build/run-build';
import { StrataError } from '$shared/engine/errors';
import { userPath } from '../../core/files/user-path';
import { engineDialect } from '../../core/images/tag-image';
import type { BuildRequestOptions } from '../contract/build';
import type { JobId } from '../contract/jobs';
import type { DomainHandlers } from '../dispatch';

interface StartBuild {
  contextDir: string;
  dockerfile: string;
  options: Required<Pick<BuildRequestOptions, 'builder'>> & Omit<BuildRequestOptions, 'builder'>;
}

async function startBuild(s: Services, request: StartBuild): Promise<{ jobId: JobId<'build'> }> {
  const docker = s.engine.docker();
  const engine = s.engine.status.state === 'connected' ? s.engine.status.engine : undefined;
  const { builder: requested, tags = [], buildArgs = {}, labels = {}, ...rest } = request.options;
  const unavailable = builderUnavailable(requested, engine);
  if (unavailable) throw new StrataError('invalid-input', unavailable, { field: 'builder', use: 'classic' });
  const problems = buildTagProblems(tags, await engineDialect(docker));
  if (problems.length) throw new StrataError('invalid-input', `Invalid tag ${problems.join('; ')}`, { problems });
  const history = s.builds;
  const jobId = s.jobs.start({
    kind: 'build',
    title: `Build ${request.contextDir}${tags.length ? ` as ${tags.join(', ')}` : ''}`,
    run: async ({ signal, emit }) => {
      // The same rule the context panel scans with, so what it listed is what is uploaded. A context
      // problem (missing folder, bad ignore file) ends the job before anything is sent.
      const chosen = await planBuild({
        contextDir: request.contextDir,
        dockerfile: request.dockerfile,
        requested,
        engine,
      });
      const options: Omit<BuildOptions, 'dockerfile'> = { ...rest, tags, buildArgs, labels, builder: chosen.builder };
      emit('step', {
        stage: 'started',
        contextDir: request.contextDir,
        dockerfile: request.dockerfile,
        options,
        ...(chosen.note ? { note: chosen.note } : {}),
      });
      // A chatty RUN writes thousands of lines a second: send them in batches, one per turn of the event loop.
      let batch: BuildEvent[] = [];
      const flush = () => {
        if (batch.length) emit('output', batch);
        batch = [];
      };
      const record = await buildDirectory({
        docker,
        files: chosen.files,
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
      emit('step', { stage: 'finished', build: summary });
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
  const history = s.builds;
  const found = async (id: string) => {
    const record = await history.get(id);
    if (!record) throw new StrataError('not-found', `No kept build ${id}: it was deleted.`, { id });
    return record;
  };
  const folder = (typed: string) => userPath(typed, { kind: 'folder', homeDir: s.homeDir });
  return {
    start: ({ contextDir, dockerfile, options }) =>
      startBuild(s, { contextDir: folder(contextDir), dockerfile, options }),
    rebuild: async ({ id }) => {
      const record = await found(id);
      const { dockerfile: _inTar, ...options } = record.options;
      return startBuild(s, { contextDir: record.contextDir, dockerfile: record.dockerfile, options });
    },
    history: ({ contextDir }) => history.list(contextDir ? { contextDir: folder(contextDir) } : {}),
    historyGet: ({ id }) => found(id),
    historyDelete: async ({ id }) => {
      if (!(await history.delete(id))) throw new StrataError('not-found', `No kept build ${id}.`, { id });
      return { ok: true as const };
    },
    dockerfileInfo: ({ contextDir, dockerfile }) => readDockerfileInfo({ contextDir: folder(contextDir), dockerfile }),
    lastOptions: async ({ contextDir }) => {
      const latest = (await history.list({ contextDir: folder(contextDir) }))[0];
      return latest ? { dockerfile: latest.dockerfile, options: latest.options } : null;
    },
  };
}
