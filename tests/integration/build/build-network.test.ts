import type Docker from 'dockerode';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { BuilderKind } from '../../../src-main/core/build/build-events';
import { runBuild, type RunBuildOptions } from '../../../src-main/core/build/run-build';
import { BUSYBOX, describeWithEngine, onPodman, testDocker } from '../engine-available';
import { contextTar, removeImagesWithNonce } from './build-context';

const nonce = `nonce-${randomBytes(6).toString('hex')}`;
// Podman has no BuildKit: its builds are classic (Buildah) only.
const builders: BuilderKind[] = onPodman ? ['classic'] : ['classic', 'buildkit'];

describeWithEngine('the network of RUN steps', () => {
  let docker: Docker;
  let hasBridge: boolean;

  beforeAll(async () => {
    docker = await testDocker();
    hasBridge = (await docker.listNetworks()).some((n) => n.Name === 'bridge');
  });

  afterAll(async () => {
    if (docker) await removeImagesWithNonce(docker, nonce);
  });

  async function build(builder: BuilderKind, extra: Partial<RunBuildOptions> = {}) {
    const dockerfile = `FROM ${BUSYBOX}\nRUN echo ${nonce}-${builder}-${randomBytes(4).toString('hex')}\n`;
    const context = await contextTar({ Dockerfile: dockerfile });
    return runBuild({ docker, context: context.stream(), contextSize: context.size, builder, ...extra });
  }

  it('the test engines are the two kinds of engine: dockerd without a bridge, Podman with its default network', () => {
    // The dockerd test engine runs with --bridge=none, like rootless and some VM engines.
    expect(hasBridge).toBe(onPodman);
  });

  it.each(builders)(
    '%s: a build with default settings and a RUN step succeeds, the log says which network',
    async (builder) => {
      const outcome = await build(builder);
      expect(outcome.error).toBeUndefined();
      expect(outcome.status).toBe('succeeded');
      const notes = outcome.events.filter(
        (e) => e.type === 'step-log' && e.stepId === null && e.line.startsWith('Network:'),
      );
      if (hasBridge) expect(notes).toEqual([]);
      else {
        expect(notes).toHaveLength(1);
        expect(notes[0]).toMatchObject({ line: expect.stringContaining('no default bridge network') });
      }
    },
  );

  it.runIf(!onPodman)('buildkit: an explicit bridge network fails with a hint that names what works', async () => {
    const outcome = await build('buildkit', { networkMode: 'bridge' });
    expect(outcome.status).toBe('failed');
    expect(outcome.error?.message).toMatch(/Hint: BuildKit runs steps only with the default network, None or Host/);
    const hints = outcome.events.flatMap((e) => (e.type === 'step-log' && e.line.startsWith('Hint:') ? [e] : []));
    expect(hints.map((e) => [e.stepId, e.stream, e.line])).toEqual([
      [
        null,
        'stderr',
        'Hint: BuildKit runs steps only with the default network, None or Host. Choose one of those, or the classic builder to use a named network.',
      ],
    ]);
  });

  // Podman builds even with a network it does not have (it does not check the name): nothing to hint at there.
  it.runIf(!onPodman)('a network the engine does not have fails with a hint', async () => {
    const outcome = await build('classic', { networkMode: `strata-missing-${nonce}` });
    expect(outcome.status).toBe('failed');
    expect(outcome.error?.message).toMatch(/Hint: the engine has no network/);
  });
});
