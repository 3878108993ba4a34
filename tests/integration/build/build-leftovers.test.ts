import type Docker from 'dockerode';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BuildLeftovers } from '../../../src-main/core/build/build-leftovers';
import { BUSYBOX, describeWithEngine, testDocker } from '../engine-available';

describeWithEngine('build containers left by an engine crash', () => {
  let docker: Docker;
  let dir: string;
  const created: string[] = [];

  beforeAll(async () => {
    docker = await testDocker();
    dir = await mkdtemp(join(tmpdir(), 'strata-it-leftovers-'));
  });

  afterAll(async () => {
    for (const id of created)
      await docker
        .getContainer(id)
        .remove({ force: true })
        .catch(() => undefined);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('are remembered across a restart of Strata and removed only from the engine that ran them', async () => {
    const container = await docker.createContainer({ Image: BUSYBOX, Cmd: ['sleep', '1'], NetworkDisabled: true });
    created.push(container.id);
    const shortId = container.id.slice(0, 12);
    // A full ID no container has (a short one could be a prefix of someone else's on this shared engine).
    const gone = '0'.repeat(64);
    const file = join(dir, 'build-leftovers.json');

    await new BuildLeftovers(file).remember('unix:///engine-a.sock', [shortId, gone]);
    // Another engine: nothing of engine A's is touched.
    const restarted = new BuildLeftovers(file);
    expect(await restarted.removeFrom(docker, 'unix:///engine-b.sock')).toEqual([]);
    expect((await docker.getContainer(container.id).inspect()).Id).toBe(container.id);

    expect((await restarted.removeFrom(docker, 'unix:///engine-a.sock')).sort()).toEqual([gone, shortId].sort());
    await expect(docker.getContainer(container.id).inspect()).rejects.toMatchObject({ statusCode: 404 });
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual([]);
  });
});
