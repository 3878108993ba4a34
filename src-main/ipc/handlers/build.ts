import type { Services } from '../services';
import { checkBuildRequest, runBuildJob } from '../../core/build/build-job';
import { readDockerfileInfo } from '../../core/build/dockerfile-info';
import { StrataError } from '$shared/engine/errors';
import { userPath } from '../../core/files/user-path';
import type { BuildRequestOptions } from '../contract/build';
import type { JobId } from '../contract/jobs';
import type { DomainHandlers } from '../dispatch';

interface StartBuild {
  contextDir: string;
  dockerfile: string;
  options: Required<Pick<BuildRequestOptions, 'builder'>> & Omit<BuildRequestOptions, 'builder'>;
}

async function startBuild(
  s: Services,
  { contextDir, dockerfile, options }: StartBuild,
): Promise<{ jobId: JobId<'build'> }> {
  const docker = s.engine.docker();
  const engine = s.engine.status.state === 'connected' ? s.engine.status.engine : undefined;
  const { builder, ...rest } = options;
  const request = { contextDir, dockerfile, builder, options: rest };
  await checkBuildRequest(docker, engine, request);
  const tags = rest.tags ?? [];
  const jobId = s.jobs.start({
    kind: 'build',
    title: `Build ${contextDir}${tags.length ? ` as ${tags.join(', ')}` : ''}`,
    run: ({ signal, emit }) =>
      runBuildJob({
        docker,
        engine,
        request,
        history: s.builds,
        sessionRefusals: s.sessionRefusals,
        signal,
        onStarted: (started) => emit('step', { stage: 'started', ...started }),
        onOutput: (batch) => emit('output', batch),
        onFinished: (build) => emit('step', { stage: 'finished', build }),
        // Removed once Strata has reconnected to this engine (see services). A failure to note them is logged
        // here and ends up in the build's error, which then tells the person how to remove them.
        onEngineLost: (containerIds) =>
          s.buildLeftovers.remember(engine?.address ?? '', containerIds).catch((err: unknown) => {
            console.error(
              `Strata: could not note the build containers ${containerIds.join(', ')} on ${engine?.address ?? 'the engine'} for removal: ${(err as Error).message}`,
            );
            throw err;
          }),
      }),
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
