import type Docker from 'dockerode';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { humanSize, shortId } from '$shared/images/format';
import { countImageDiskUse, listImages } from '../../../src-main/core/images/list-images';
import { normalizeImageId } from '../../../src-main/core/images/image-id';
import { BUSYBOX, describeWithEngine, onPodman, testDocker } from '../engine-available';
import { buildFixture, cleanUp, createContainer, dockerCliJson, randomFile } from './fixtures';

const PREFIX = 'strata-it-images-list/';
const LABEL = 'strata-it-images-list';

interface CliImage {
  Repository: string;
  Tag: string;
  ID: string;
  Size: string;
  CreatedAt: string;
}

/** Go's time.Time.String() for a UTC time, as `docker images` prints CreatedAt. */
function goTimeString(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('T', ' ').replace('.000Z', ' +0000 UTC');
}

describeWithEngine('list images', () => {
  let docker: Docker;
  let fixtureId: string;
  let danglingId: string;

  beforeAll(async () => {
    docker = await testDocker();
    await cleanUp(docker, { prefix: PREFIX, containerLabel: LABEL });
    fixtureId = await buildFixture(docker, {
      tag: `${PREFIX}app:1`,
      dockerfile: `FROM ${BUSYBOX}\nCOPY f /f\n`,
      files: { f: randomFile(54_321) },
    });
    await docker.getImage(fixtureId).tag({ repo: `${PREFIX}app`, tag: 'latest' });
    await docker.getImage(fixtureId).tag({ repo: `localhost:5000/${PREFIX}app`, tag: '1' });
    await createContainer(docker, { image: `${PREFIX}app:1`, cmd: ['true'], label: LABEL });
    const c = await createContainer(docker, { image: BUSYBOX, cmd: ['sh', '-c', 'echo x > /x'], label: LABEL });
    await c.start();
    await c.wait();
    // Podman answers the raw commit with bare hex; the app (and Docker) say sha256:<hex>.
    danglingId = normalizeImageId(
      ((await c.commit({ changes: [`LABEL ${LABEL}=1`] } as unknown as Record<string, unknown>)) as { Id: string }).Id,
    );
  });

  afterAll(async () => {
    if (docker) {
      await cleanUp(docker, {
        prefix: PREFIX,
        containerLabel: LABEL,
        imageIds: [fixtureId, danglingId].filter(Boolean),
      });
      await docker
        .getImage(`localhost:5000/${PREFIX}app:1`)
        .remove()
        .catch(() => undefined);
    }
  });

  it('gives one row per tag, recognisable as one image, matching docker images', async () => {
    const list = await listImages(docker);
    const ours = list.rows.filter((r) => r.imageId === fixtureId);
    expect(ours.map((r) => `${r.repository}:${r.tag}`).sort()).toEqual(
      [`${PREFIX}app:1`, `${PREFIX}app:latest`, `localhost:5000/${PREFIX}app:1`].sort(),
    );
    expect(ours.every((r) => r.tagCount === 3 && r.containers === 1 && !r.dangling)).toBe(true);

    // Podman's reference filter picks the image but leaves all its tags in the answer, so `docker images repo`
    // through Podman prints the other repository's tag too: only rows of the asked repository are compared.
    const cli = (await dockerCliJson<CliImage>(['images', `${PREFIX}app`])).filter(
      (row) => !onPodman || row.Repository === `${PREFIX}app`,
    );
    expect(cli).toHaveLength(2);
    for (const row of cli) {
      const mine = ours.find((r) => r.repository === row.Repository && r.tag === row.Tag)!;
      expect(mine.shortId).toBe(row.ID);
      expect(humanSize(mine.size)).toBe(row.Size);
      expect(goTimeString(mine.created)).toBe(row.CreatedAt);
    }
  });

  it('shows a dangling image as <none>:<none> and counts sizes of distinct images', async () => {
    const list = await listImages(docker);
    const dangling = list.rows.filter((r) => r.imageId === danglingId);
    expect(dangling).toEqual([
      expect.objectContaining({
        repository: '<none>',
        tag: '<none>',
        dangling: true,
        reference: danglingId,
        containers: 0,
      }),
    ]);
    const cli = await dockerCliJson<CliImage>(['images', '--filter', `label=${LABEL}=1`]);
    expect(cli).toEqual([expect.objectContaining({ Repository: '<none>', Tag: '<none>', ID: shortId(danglingId) })]);
    const ids = new Set(list.rows.map((r) => r.imageId));
    expect(list.imageCount).toBe(ids.size);
  });

  it('says how much disk the layers take, each shared layer once: the engine counts it, or Strata where Podman does not', async () => {
    const list = await listImages(docker);
    const df = (await docker.df()) as { LayersSize: number };
    if (onPodman) {
      // Podman's compat /system/df reports 0B of layers beside images of megabytes: the list says it is to be
      // counted, and the count comes from each image's layers.
      expect(df.LayersSize).toBe(0);
      expect(list.diskUseToCount).toBe(true);
      expect(list.diskUse).toBeUndefined();
      list.diskUse = (await countImageDiskUse(docker)).diskUse;
    } else {
      expect(list).toMatchObject({ diskUseFrom: 'engine', diskUse: df.LayersSize });
      expect(list.diskUseToCount).toBeUndefined();
    }
    // The fixture is built on busybox: its layers are counted once, not once per image as the sizes are.
    expect(list.diskUse).toBeGreaterThan(0);
    expect(list.diskUse!).toBeLessThan(list.totalSize);
  });
});
