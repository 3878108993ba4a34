import type Docker from 'dockerode';
import { Readable } from 'node:stream';
import { expect, it } from 'vitest';
import { runBuild } from '../../../src-main/core/build/run-build';

/**
 * Podman ended a build whose FROM image it could not find with no error message at all (seen with Podman
 * 4.3; the test engines here report the failure, so the stream is replayed).
 */
it('a build stream that ends at FROM without an error fails, naming the step and the likely cause', async () => {
  const engine = {
    listNetworks: () => Promise.resolve([{ Name: 'bridge' }]),
    buildImage: () =>
      Promise.resolve(Readable.from([Buffer.from('{"stream":"STEP 1/2: FROM localbase/missing:1\\n"}\n')])),
  } as unknown as Docker;
  const outcome = await runBuild({ docker: engine, context: Readable.from([Buffer.alloc(1024)]), builder: 'classic' });
  expect(outcome.status).toBe('failed');
  expect(outcome.error?.message).toBe(
    'The build stopped at FROM localbase/missing:1 without an error from the engine: the base image is most likely not there. Pull, load or build it first.',
  );
  expect(outcome.events.filter((e) => e.type === 'error')).toHaveLength(1);
});
