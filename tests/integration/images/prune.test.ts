import type Docker from 'dockerode';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { planPrune, pruneImages } from '../../../src-main/core/images/prune-images';
import { BUSYBOX, describeWithEngine, onPodman, testDocker } from '../engine-available';
import { cleanUp, createContainer } from './fixtures';
import { normalizeImageId } from '../../../src-main/core/images/image-id';

// Other suites share this engine: every image here carries this label and the prune is filtered by
// it, so we never delete someone else's dangling image.
const LABEL = 'strata-it-images-prune';
// What the app tells pruneImages: on Podman it measures the space freed itself (Podman counts shared layers again).
const engine = onPodman ? 'podman' : 'docker';
const LABEL_FILTER = [`${LABEL}=1`];

describeWithEngine('prune dangling images', () => {
  let docker: Docker;
  const made: string[] = [];

  beforeAll(async () => {
    docker = await testDocker();
    await cleanUp(docker, { prefix: 'strata-it-images-prune/', containerLabel: LABEL });
  });

  afterAll(async () => {
    if (docker) await cleanUp(docker, { prefix: 'strata-it-images-prune/', containerLabel: LABEL, imageIds: made });
  });

  /** An untagged image with a layer of `bytes` bytes, committed from `from`. */
  async function dangling(from: string, bytes: number): Promise<string> {
    const c = await createContainer(docker, {
      image: from,
      cmd: ['sh', '-c', `head -c ${bytes} /dev/urandom > /f`],
      label: LABEL,
    });
    await c.start();
    await c.wait();
    const { Id } = (await c.commit({ changes: [`LABEL ${LABEL}=1`] } as unknown as Record<string, unknown>)) as {
      Id: string;
    };
    await c.remove();
    // Podman answers the raw commit with bare hex; the app (and Docker) say sha256:<hex>.
    const id = normalizeImageId(Id);
    made.push(id);
    return id;
  }

  it('lists what goes and the space it frees, then frees exactly that', async () => {
    const lonely = await dangling(BUSYBOX, 3000);
    const alsoLonely = await dangling(BUSYBOX, 5000);
    const used = await dangling(BUSYBOX, 7000);
    const parent = await dangling(BUSYBOX, 11000);
    const child = await dangling(parent, 13000);
    const user = await createContainer(docker, { image: used, cmd: ['true'], label: LABEL });

    const plan = await planPrune(docker, { labels: LABEL_FILTER });
    // `used` has a container: it stays. `parent` is no dangling head (it has a child), but the engine
    // deletes an untagged parent together with its last child, so it goes too.
    expect(plan.images.map((i) => i.imageId).sort()).toEqual([lonely, alsoLonely, child, parent].sort());
    expect(plan.images.find((i) => i.imageId === parent)!.parentOf).toEqual([child]);
    // Each goes with its own layer, busybox's stays. Docker sizes a layer by its files; Podman by the layer
    // as stored (a tar: headers and padding too), as its history says; it frees that much (checked below).
    const ownLayer = async (id: string) => (await docker.getImage(id).history())[0]!.Size as number;
    const expected = onPodman
      ? (await Promise.all([lonely, alsoLonely, parent, child].map(ownLayer))).reduce((a, b) => a + b, 0)
      : 3000 + 5000 + 11000 + 13000;
    if (onPodman) expect(expected).toBeGreaterThan(3000 + 5000 + 11000 + 13000);
    expect(plan.reclaimableBytes).toBe(expected);

    const result = await pruneImages(docker, { labels: LABEL_FILTER, plan, engine });
    expect(result.deletedImages.sort()).toEqual([lonely, alsoLonely, child, parent].sort());
    expect(result.unplanned).toEqual([]);
    expect(result.spaceReclaimed).toBe(plan.reclaimableBytes);
    expect(result.deletedLayers).toHaveLength(4);
    expect((await docker.getImage(used).inspect()).Id).toBe(used);
    await user.remove();
  });

  it('leaves alone dangling images made after the plan', async () => {
    const before = await dangling(BUSYBOX, 1000);
    const plan = await planPrune(docker, { labels: LABEL_FILTER });
    expect(plan.images.map((i) => i.imageId)).toContain(before);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const after = await dangling(BUSYBOX, 2000);

    const result = await pruneImages(docker, { labels: LABEL_FILTER, plan, engine });
    expect(result.deletedImages).toContain(before);
    expect(result.deletedImages).not.toContain(after);
    expect((await docker.getImage(after).inspect()).Id).toBe(after);
  });

  it('does nothing when nothing is dangling', async () => {
    const plan = await planPrune(docker, { labels: [`${LABEL}=none-such`] });
    expect(plan).toEqual({ images: [], reclaimableBytes: 0, until: 0, inUse: [] });
    expect(await pruneImages(docker, { labels: [`${LABEL}=none-such`], plan, engine })).toMatchObject({
      deletedImages: [],
      spaceReclaimed: 0,
    });
  });
});
