import type Docker from 'dockerode';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createServices, disposeServices, type Services } from '../../../src-main/ipc/services';
import { runBuild } from '../../../src-main/core/build/run-build';
import { dockerfileProblems } from '$shared/dockerfile/dockerfile-problems';
import { dispatch } from '../../../src-main/ipc/dispatch';
import { createHandlers } from '../../../src-main/ipc/handlers';
import { PROBLEM_CASES } from '../../unit/dockerfile/problem-cases';
import { describeWithEngine, onPodman, testDocker } from '../engine-available';
import { contextTar, removeImagesWithNonce } from './build-context';
import { BUILDAH_OUTCOMES, NOT_SENT_TO_PODMAN } from './buildah-problem-outcomes';

const nonce = `nonce-${randomBytes(6).toString('hex')}`;
const builders = ['classic', 'buildkit'] as const;
const cases = PROBLEM_CASES.filter((c) => !(onPodman && c.name in NOT_SENT_TO_PODMAN));
/** The engine's builders by name: Docker's two, or Podman's one (Buildah, on the classic builder's endpoint). */
const builderName = (builder: (typeof builders)[number]) => (onPodman && builder === 'classic' ? 'buildah' : builder);

/**
 * The parser's problem table against the builders themselves: every Dockerfile the parser flags must
 * fail on both the classic builder and BuildKit (at the same line when the engine names one, for the
 * reason the table records), and every one it passes must build on both. On Podman the classic builder
 * is Buildah, which agrees with the parser less often (buildah-problem-outcomes.ts records what it does),
 * and BuildKit is refused by the app before anything is sent.
 */
describeWithEngine('Dockerfile problems against the engine builders', () => {
  let docker: Docker;
  let services: Services | undefined;
  let root: string;
  const agreed: Record<string, number> = {};

  beforeAll(async () => {
    docker = await testDocker();
    root = await mkdtemp(join(tmpdir(), 'strata-it-problems-'));
    if (onPodman) {
      services = createServices({ dataDir: join(root, 'data'), env: process.env });
      await services.engine.connect();
    }
  });

  afterAll(async () => {
    if (docker) await removeImagesWithNonce(docker, nonce);
    if (services) disposeServices(services);
    if (root) await rm(root, { recursive: true, force: true });
    const compared = cases.filter((c) => !c.newer).length;
    const counts = builders.map((b) => builderName(b)).filter((b) => b in agreed);
    console.info(
      `builders agreeing with the parser: ${counts.map((b) => `${b} ${agreed[b]} of ${compared}`).join(', ')}` +
        ` (${cases.length - compared} more use what only newer builders accept)`,
    );
  });

  it('has what Buildah does for every case of the table, so a new case is measured on Podman too', () => {
    expect(Object.keys(BUILDAH_OUTCOMES).sort()).toEqual(
      PROBLEM_CASES.map((c) => c.name)
        .filter((name) => !(name in NOT_SENT_TO_PODMAN))
        .sort(),
    );
  });

  // A documented exclusion of single cases on Podman (with why), not of the file: sending one would stop the
  // engine. The app refuses them there itself, before sending, and Podman keeps answering (on Docker these
  // cases run with the others below).
  it.runIf(onPodman).each(Object.entries(NOT_SENT_TO_PODMAN))(
    '%s is not sent to Podman (%s): build.start refuses it, and Podman keeps answering',
    async (name) => {
      const problem = PROBLEM_CASES.find((c) => c.name === name);
      if (!problem) throw new Error(`no case ${name}`);
      await writeFile(join(root, 'Dockerfile'), problem.dockerfile);
      const reply = await dispatch(
        createHandlers(services as Services),
        'build.start',
        { contextDir: root, options: { builder: 'auto', networkMode: 'none' } },
        { trusted: true, description: 'test' },
      );
      if (!reply.ok) throw new Error(reply.error.message);
      const { jobId } = reply.result as { jobId: string };
      expect((await (services as Services).jobs.settled(jobId)).state).toBe('error');
      const { events } = (services as Services).jobs.events(jobId, 0);
      expect(events.at(-1)).toMatchObject({
        type: 'error',
        data: { code: 'invalid-input', message: expect.stringContaining('Not sent to Podman') },
      });
      await docker.ping();
    },
  );

  it.each(cases.flatMap((c) => builders.map((builder) => ({ ...c, builder }))))(
    '$name with the $builder builder',
    async ({ name, dockerfile, problem, engine, newer, builder }) => {
      const parserErrors = dockerfileProblems(dockerfile).filter((p) => p.severity === 'error');
      expect(parserErrors.length > 0).toBe(problem !== null);
      if (onPodman && builder === 'buildkit') {
        // Refused with the app's own message before any context is sent (the build handler's check).
        await writeFile(join(root, 'Dockerfile'), dockerfile);
        const reply = await dispatch(
          createHandlers(services as Services),
          'build.start',
          { contextDir: root, options: { builder, networkMode: 'none' } },
          { trusted: true, description: 'test' },
        );
        expect(reply).toMatchObject({
          ok: false,
          error: {
            code: 'invalid-input',
            message:
              'Podman has no BuildKit: it builds with Buildah, which Strata drives as the classic builder. Choose Automatic or Classic builder.',
          },
        });
        return;
      }
      const expected = onPodman ? BUILDAH_OUTCOMES[name] : engine;
      if (!expected) throw new Error(`no recorded Buildah outcome for ${name}`);
      // A label naming this run, after the case's own lines, so its images can be found and removed.
      const context = await contextTar({ Dockerfile: `${dockerfile}LABEL strata-test-run=${nonce}\n` });
      const outcome = await runBuild({
        docker,
        context: context.stream(),
        contextSize: context.size,
        builder,
        networkMode: 'none',
      });
      if (expected === 'ok') {
        expect(outcome.error?.message).toBeUndefined();
        expect(outcome.status).toBe('succeeded');
      } else {
        expect(outcome.status).toBe('failed');
        expect(outcome.error?.message).toContain(expected.says);
        if (expected.line !== undefined) expect(outcome.error?.line).toBe(expected.line);
        if (problem && expected.line !== undefined) expect(problem.line).toBe(expected.line);
      }
      if ((outcome.status === 'failed') === (problem !== null) && !newer)
        agreed[builderName(builder)] = (agreed[builderName(builder)] ?? 0) + 1;
    },
    60_000,
  );
});
