import type Docker from 'dockerode';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { BuilderKind } from '../../../src-main/core/build/build-events';
import { runBuild } from '../../../src-main/core/build/run-build';
import { dockerfileProblems } from '$shared/dockerfile/dockerfile-problems';
import { PROBLEM_CASES } from '../../unit/dockerfile/problem-cases';
import { describeWithEngine, testDocker } from '../engine-available';
import { contextTar, removeImagesWithNonce } from './build-context';

const nonce = `nonce-${randomBytes(6).toString('hex')}`;

/**
 * The parser's problem table against the builders themselves: every Dockerfile the parser flags must
 * fail on both the classic builder and BuildKit (at the same line when the engine names one, for the
 * reason the table records), and every one it passes must build on both.
 */
describeWithEngine('Dockerfile problems against both builders', () => {
  let docker: Docker;
  const agreed: Record<BuilderKind, number> = { classic: 0, buildkit: 0 };

  beforeAll(async () => {
    docker = await testDocker();
  });

  afterAll(async () => {
    if (docker) await removeImagesWithNonce(docker, nonce);
    const compared = PROBLEM_CASES.filter((c) => !c.newer).length;
    console.info(
      `builders agreeing with the parser: classic ${agreed.classic} of ${compared}, buildkit ${agreed.buildkit} of ${compared}` +
        ` (${PROBLEM_CASES.length - compared} more use what only newer builders accept)`,
    );
  });

  it.each(PROBLEM_CASES.flatMap((c) => (['classic', 'buildkit'] as const).map((builder) => ({ ...c, builder }))))(
    '$name with the $builder builder',
    async ({ dockerfile, problem, engine, newer, builder }) => {
      // A label naming this run, after the case's own lines, so its images can be found and removed.
      const context = await contextTar({ Dockerfile: `${dockerfile}LABEL strata-test-run=${nonce}\n` });
      const outcome = await runBuild({
        docker,
        context: context.stream(),
        contextSize: context.size,
        builder,
        networkMode: 'none',
      });
      const parserErrors = dockerfileProblems(dockerfile).filter((p) => p.severity === 'error');
      expect(parserErrors.length > 0).toBe(problem !== null);
      if (engine === 'ok') {
        expect(outcome.error?.message).toBeUndefined();
        expect(outcome.status).toBe('succeeded');
      } else {
        expect(outcome.status).toBe('failed');
        expect(outcome.error?.message).toContain(engine.says);
        if (engine.line !== undefined) expect(outcome.error?.line).toBe(engine.line);
        if (problem && engine.line !== undefined) expect(problem.line).toBe(engine.line);
      }
      if ((outcome.status === 'failed') === (problem !== null) && !newer) agreed[builder]++;
    },
    60_000,
  );
});
