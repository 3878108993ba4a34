import type Docker from 'dockerode';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BuildEvent, BuilderKind } from '../../../src-main/core/build/build-events';
import { BuildHistoryStore } from '../../../src-main/core/build/build-history-store';
import { type BuildOutcome, runBuild, type RunBuildOptions } from '../../../src-main/core/build/run-build';
import { dockerfileOutline } from '../../../src-main/core/build/dockerfile-outline';
import { BUSYBOX, describeWithEngine, onPodman, testDocker } from '../engine-available';
import { containersWithNonce, contextTar, removeImagesWithNonce } from './build-context';

const REPO = 'strata-it-build/app';
const nonce = `nonce-${randomBytes(6).toString('hex')}`;

/** A multi-step Dockerfile; `last` is its last instruction, changed between a build and its rebuild. */
function multiStep(last: string): string {
  return [
    `FROM ${BUSYBOX}`,
    `RUN echo ${nonce} > /nonce`,
    'WORKDIR /app',
    'COPY hello.txt ./',
    'RUN cat hello.txt && echo to-stderr >&2',
    'ENV MODE=test',
    last,
    '',
  ].join('\n');
}
describeWithEngine('runBuild against the test engine', () => {
  let docker: Docker;
  let historyDir: string;

  beforeAll(async () => {
    docker = await testDocker();
    historyDir = await mkdtemp(join(tmpdir(), 'strata-it-build-history-'));
  });

  afterAll(async () => {
    if (docker) await removeImagesWithNonce(docker, nonce);
    if (historyDir) await rm(historyDir, { recursive: true, force: true });
  });

  async function build(
    builder: BuilderKind,
    dockerfile: string,
    extra: Partial<RunBuildOptions> = {},
  ): Promise<BuildOutcome & { seen: BuildEvent[] }> {
    const context = await contextTar({ Dockerfile: dockerfile, 'hello.txt': `hello from ${nonce}\n` });
    const seen: BuildEvent[] = [];
    const outcome = await runBuild({
      docker,
      context: context.stream(),
      contextSize: context.size,
      builder,
      networkMode: 'none',
      outline: dockerfileOutline(dockerfile),
      onEvent: (e) => seen.push(e),
      ...extra,
    });
    return { ...outcome, seen };
  }

  // Podman has no BuildKit (the IPC build refuses it there: build-ipc.test.ts).
  describe.each(onPodman ? (['classic'] as const) : (['classic', 'buildkit'] as const))(
    'with the %s builder',
    (builder) => {
      const tag = `${REPO}:${builder}`;
      let first: BuildOutcome;

      it('builds a multi-step Dockerfile, reporting upload, steps with lines, logs and the result', async () => {
        const outcome = await build(builder, multiStep('RUN echo last-1'), { tags: [tag] });
        first = outcome;
        expect(outcome.error).toBeUndefined();
        expect(outcome.status).toBe('succeeded');
        expect(outcome.imageId).toMatch(/^sha256:[0-9a-f]{64}$/);
        expect(outcome.tags).toEqual([tag]);
        expect(outcome.sizeBytes).toBeGreaterThan(1_000_000);
        // The events handed to onEvent are the outcome's log, in order.
        expect(outcome.seen).toEqual(outcome.events);

        const uploads = outcome.events.filter((e) => e.type === 'upload');
        const lastUpload = uploads.at(-1);
        expect(lastUpload).toMatchObject({ done: true, totalBytes: expect.any(Number) });
        expect(lastUpload?.type === 'upload' && lastUpload.sentBytes).toBe(
          lastUpload?.type === 'upload' && lastUpload.totalBytes,
        );

        const steps = outcome.steps.filter((s) => s.kind !== 'internal');
        const expected =
          builder === 'classic'
            ? [
                [1, 'FROM'],
                [2, 'RUN'],
                [3, 'WORKDIR'],
                [4, 'COPY'],
                [5, 'RUN'],
                [6, 'ENV'],
                [7, 'RUN'],
              ]
            : [
                [1, 'FROM'],
                [2, 'RUN'],
                [3, 'WORKDIR'],
                [4, 'COPY'],
                [5, 'RUN'],
                [7, 'RUN'],
              ]; // ENV makes no BuildKit vertex
        expect(steps.map((s) => [s.line, s.instruction])).toEqual(expected);
        expect(
          steps
            .filter((s) => s.kind === 'instruction')
            .every((s) => s.state === 'ran' || (builder === 'buildkit' && s.instruction === 'WORKDIR')),
        ).toBe(true);
        // Every instruction ran: the classic builder's six; BuildKit's five (ENV makes no vertex), less WORKDIR
        // when BuildKit reports it cached.
        const workdirCached = steps.some((s) => s.instruction === 'WORKDIR' && s.state === 'cached');
        expect(outcome.ranSteps).toBe(builder === 'classic' ? 6 : workdirCached ? 4 : 5);

        const catStep = steps.find((s) => s.line === 5);
        const logs = (stream: string) =>
          outcome.events.flatMap((e) =>
            e.type === 'step-log' && e.stepId === catStep?.id && e.stream === stream ? [e.line] : [],
          );
        // Podman's API sends a RUN's stderr in the same stream as its stdout.
        if (onPodman)
          expect([...logs('stdout')].sort()).toEqual([`hello from ${nonce}`, 'to-stderr'].sort()); // either order
        else {
          expect(logs('stdout')).toEqual([`hello from ${nonce}`]);
          expect(logs('stderr')).toEqual(['to-stderr']);
        }
        expect(outcome.events.filter((e) => e.type === 'result')).toEqual([
          expect.objectContaining({ type: 'result', imageId: outcome.imageId, tags: [tag] }),
        ]);

        const image = await docker.getImage(tag).inspect();
        expect(image.Id).toBe(outcome.imageId);
        expect(image.Config.Env).toContain('MODE=test');
        expect(image.Config.WorkingDir).toBe('/app');
      });

      it('rebuilds after a change to the last instruction with every earlier step cached', async () => {
        expect(first?.status).toBe('succeeded');
        const outcome = await build(builder, multiStep('RUN echo last-2'), { tags: [tag] });
        expect(outcome.status).toBe('succeeded');
        expect(outcome.imageId).not.toBe(first.imageId);
        const instructions = outcome.steps.filter((s) => s.kind === 'instruction');
        const last = instructions.at(-1);
        expect(last?.line).toBe(7);
        expect(last?.state).toBe('ran');
        expect(instructions.slice(0, -1).map((s) => [s.line, s.state])).toEqual(
          instructions.slice(0, -1).map((s) => [s.line, 'cached']),
        );
        expect(outcome.cachedSteps).toBe(instructions.length - 1);
        expect(outcome.ranSteps).toBe(1);

        // Kept in history, the rebuild knows what the cache saved against the first build.
        const store = new BuildHistoryStore(join(historyDir, builder));
        const options = { builder, tags: [tag], networkMode: 'none' };
        const firstRecord = await store.add({
          contextDir: '/it/ctx',
          dockerfile: 'Dockerfile',
          options,
          outcome: first,
        });
        const rebuild = await store.add({ contextDir: '/it/ctx', dockerfile: 'Dockerfile', options, outcome });
        expect(rebuild.baselineBuildId).toBe(firstRecord.id);
        expect(rebuild.cacheSavedMs).toBeGreaterThan(0);
      });

      it('reports a failing RUN with its step, its Dockerfile line and the engine message, leaving no container', async () => {
        const dockerfile = `FROM ${BUSYBOX}\nRUN echo ${nonce}-ok\n\n# fails on purpose\nRUN echo ${nonce}-fail && exit 3\nRUN echo never\n`;
        const outcome = await build(builder, dockerfile, { noCache: true });
        expect(outcome.status).toBe('failed');
        expect(outcome.imageId).toBeUndefined();
        const failing = outcome.steps.find((s) => s.state === 'failed');
        expect(failing).toMatchObject({ line: 5, instruction: 'RUN', name: `RUN echo ${nonce}-fail && exit 3` });
        expect(outcome.error).toMatchObject({ stepId: failing?.id, line: 5 });
        expect(outcome.error?.message).toMatch(
          builder === 'buildkit' ? /exit code: 3/ : onPodman ? /exit status 3/ : /returned a non-zero code: 3/,
        );
        expect(outcome.steps.some((s) => s.name === 'RUN echo never')).toBe(false);
        expect(await containersWithNonce(docker, nonce)).toEqual([]);
      });

      it('places the steps of a multi-stage build (meta ARG first) and a failing COPY --from on their lines', async () => {
        // Docker counts the ARG before FROM and every stage in one count; Buildah counts per stage and leaves
        // the ARG out: the lines must come out the same on both.
        const dockerfile = [
          `ARG BASE=${BUSYBOX}`,
          'FROM ${BASE} AS dep',
          `RUN echo ${nonce}-dep > /dep`,
          '',
          `FROM ${BUSYBOX}`,
          'COPY --from=dep /dep /dep',
          `COPY --from=dep /missing-${nonce} /x`,
          'RUN echo never',
          '',
        ].join('\n');
        const outcome = await build(builder, dockerfile, { noCache: true });
        expect(outcome.status).toBe('failed');
        const ran = outcome.steps.filter((s) => s.kind === 'instruction');
        expect(ran.map((s) => [s.line, s.instruction])).toEqual([
          [3, 'RUN'],
          [6, 'COPY'],
          [7, 'COPY'],
        ]);
        const failing = outcome.steps.find((s) => s.state === 'failed');
        expect(failing).toMatchObject({ line: 7, instruction: 'COPY' });
        expect(outcome.error).toMatchObject({ stepId: failing?.id, line: 7 });
        expect(outcome.error?.message).toContain(`missing-${nonce}`);
      });

      it('reports a Dockerfile the engine cannot parse with its line and, when refused, the HTTP status', async () => {
        const outcome = await build(builder, `FROM ${BUSYBOX}\nRUNN echo ${nonce}\n`);
        expect(outcome.status).toBe('failed');
        expect(outcome.error?.line).toBe(2);
        expect(outcome.error?.message).toMatch(/unknown instruction: "?RUNN/i);
        // Docker's classic builder refuses the request itself; BuildKit and Podman fail inside the build stream.
        if (builder === 'classic' && !onPodman)
          expect(outcome.error).toMatchObject({ statusCode: 400, engineMessage: expect.stringMatching(/RUNN/) });
        const errorEvents = outcome.events.filter((e) => e.type === 'error');
        expect(errorEvents).toHaveLength(1);
      });

      it('cancels a running build at once and leaves no container behind', async () => {
        const controller = new AbortController();
        const dockerfile = `FROM ${BUSYBOX}\nRUN echo ${nonce}-before-sleep\nRUN sleep 30 && echo ${nonce}-${builder}-slept\n`;
        let running: string[] = [];
        const outcome = await build(builder, dockerfile, {
          signal: controller.signal,
          noCache: true,
          onEvent: (e) => {
            if (e.type === 'step-start' && e.step.name.startsWith('RUN sleep 30')) {
              // Let the step's container start, look at it, then cancel.
              setTimeout(() => {
                void containersWithNonce(docker, `${nonce}-${builder}-slept`).then((ids) => {
                  running = ids;
                  controller.abort();
                });
              }, 1500);
            }
          },
        });
        expect(outcome.status).toBe('cancelled');
        expect(outcome.error).toBeUndefined();
        expect(outcome.steps.find((s) => s.name.startsWith('RUN sleep 30'))?.state).toBe('unfinished');
        // The classic builder runs the step in a container the engine lists; BuildKit does not use one, nor does
        // Podman's (Buildah's containers are not the engine's).
        expect(running).toHaveLength(builder === 'classic' && !onPodman ? 1 : 0);
        expect(await containersWithNonce(docker, nonce)).toEqual([]);
      });

      it('does not start a build whose signal is already aborted', async () => {
        const controller = new AbortController();
        controller.abort();
        const outcome = await build(builder, multiStep('RUN echo never-built'), { signal: controller.signal });
        expect(outcome.status).toBe('cancelled');
        expect(outcome.steps).toEqual([]);
      });
    },
  );
});
