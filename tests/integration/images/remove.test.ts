import type Docker from 'dockerode';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { normalizeImageId } from '../../../src-main/core/images/image-id';
import { containersUsingImage } from '../../../src-main/core/images/image-containers';
import { inspectImage } from '../../../src-main/core/images/inspect-image';
import { planImageRemoval, removeImage } from '../../../src-main/core/images/remove-image';
import { BUSYBOX, describeWithEngine, onPodman, testDocker } from '../engine-available';
import { cleanUp, createContainer } from './fixtures';

const PREFIX = 'strata-it-images-remove/';
const LABEL = 'strata-it-images-remove';

describeWithEngine('remove an image', () => {
  let docker: Docker;

  beforeAll(async () => {
    docker = await testDocker();
    await cleanUp(docker, { prefix: PREFIX, containerLabel: LABEL });
  });

  afterAll(async () => {
    if (docker) await cleanUp(docker, { prefix: PREFIX, containerLabel: LABEL });
  });

  /** A fresh single-purpose image (a commit of busybox) tagged under our prefix. */
  async function freshImage(name: string): Promise<string> {
    const c = await createContainer(docker, {
      image: BUSYBOX,
      cmd: ['sh', '-c', `echo ${name} > /name`],
      label: LABEL,
    });
    await c.start();
    await c.wait();
    const { Id } = (await c.commit({ repo: `${PREFIX}${name}`, tag: '1' })) as { Id: string };
    await c.remove();
    // Podman answers the raw commit with bare hex; the app (and Docker) say sha256:<hex>.
    return normalizeImageId(Id);
  }

  it('removes an unused image with all its tags, in several repositories', async () => {
    const id = await freshImage('plain');
    await docker.getImage(id).tag({ repo: `${PREFIX}other`, tag: 'x' });
    const plan = await planImageRemoval(docker, { image: `${PREFIX}plain:1` });
    expect(plan).toMatchObject({ imageId: id, canRemove: true, containers: [], childImages: [] });
    expect(plan.tags.sort()).toEqual([`${PREFIX}other:x`, `${PREFIX}plain:1`]);
    const result = await removeImage(docker, { image: `${PREFIX}plain:1` });
    expect(result.untagged.sort()).toEqual([`${PREFIX}other:x`, `${PREFIX}plain:1`]);
    expect(result.deleted[0]).toBe(id);
    await expect(docker.getImage(id).inspect()).rejects.toMatchObject({ statusCode: 404 });
    // Asked for by its bare hex ID, a removed image is "not found" on both engines, though Podman answers that
    // with a 500 ("cannot specify 64-byte hexadecimal strings") where Docker answers 404.
    const bare = id.replace(/^sha256:/, '');
    await expect(inspectImage(docker, { image: bare })).rejects.toMatchObject({
      code: 'not-found',
      details: { status: onPodman ? 500 : 404 },
      message: expect.stringContaining('Refresh the list: the image may have been removed.'),
    });
  });

  it('reports the containers that use an image, and force says what it does', async () => {
    const id = await freshImage('used');
    const stopped = await createContainer(docker, {
      image: `${PREFIX}used:1`,
      cmd: ['true'],
      label: LABEL,
      name: 'strata-it-images-remove-user',
    });
    const using = await containersUsingImage(docker, { imageId: id });
    expect(using.map((c) => c.name)).toEqual(['strata-it-images-remove-user']);

    const refused = removeImage(docker, { image: `${PREFIX}used:1` });
    await expect(refused).rejects.toMatchObject({
      code: 'conflict',
      details: {
        canForce: true,
        containers: [expect.objectContaining({ id: stopped.id, state: 'created' })],
      },
      message: expect.stringMatching(
        /used by stopped container strata-it-images-remove-user \(created\).*remove with force/,
      ),
    });
    // Strata's own check refused it, before the engine was asked: no engine status to show.
    expect(((await refused.catch((e: unknown) => e)) as { details: object }).details).not.toHaveProperty('status');
    // Nothing was done: the tag is still there.
    expect((await docker.getImage(`${PREFIX}used:1`).inspect()).Id).toBe(id);

    const engine = onPodman ? 'podman' : 'docker';
    const plan = await planImageRemoval(docker, { image: id, engine });
    const forced = await removeImage(docker, { image: id, force: true, engine });
    expect(forced.deleted).toContain(id);
    if (onPodman) {
      // Podman's forced removal removes the containers that use the image too: the plan says so beforehand.
      expect(plan.forceEffect).toMatch(/Podman removes the stopped container strata-it-images-remove-user/);
      await expect(stopped.inspect()).rejects.toMatchObject({ statusCode: 404 });
    } else {
      expect(plan.forceEffect).toMatch(
        /Force removes the image and its tag anyway\. The stopped container strata-it-images-remove-user \(created\) stays and can still start/,
      );
      // The container survives and still names the image by ID.
      expect((await stopped.inspect()).Image).toBe(id);
    }
  });

  it('refuses even with force while a running container uses the image', async () => {
    const id = await freshImage('running');
    const running = await createContainer(docker, { image: `${PREFIX}running:1`, cmd: ['sleep', '60'], label: LABEL });
    await running.start();
    try {
      await expect(removeImage(docker, { image: id, force: true })).rejects.toMatchObject({
        code: 'conflict',
        details: { canForce: false },
        message: expect.stringMatching(/running container.*Force cannot remove/),
      });
      expect((await docker.getImage(`${PREFIX}running:1`).inspect()).Id).toBe(id);
    } finally {
      await running.remove({ force: true });
    }
  });

  /** Commit a container of `image`, tagged or not; returns the new image's ID. */
  async function commitOn(image: string, tag?: string): Promise<string> {
    const c = await createContainer(docker, { image, cmd: ['true'], label: LABEL });
    const { Id } = (await c.commit(tag ? { repo: `${PREFIX}${tag}`, tag: '1' } : {})) as { Id: string };
    await c.remove();
    return normalizeImageId(Id);
  }

  it('refuses an image other local images are built on', async () => {
    const id = await freshImage('parent');
    await commitOn(id, 'child');
    const plan = await planImageRemoval(docker, { image: id });
    expect(plan).toMatchObject({ canRemove: false, canForce: false });
    expect(plan.childImages).toHaveLength(1);
    expect(plan.blockedBy).toBe(
      `1 local image is built on it: ${PREFIX}child:1. Remove it first. Force cannot override this.`,
    );
    await expect(removeImage(docker, { image: id, force: true })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/built on it/),
    });
  });

  it('names the tagged images built on it through untagged intermediates, which the list hides', async () => {
    // As a classic build leaves them: base ← untagged step image ← the tagged result; and a dangling one.
    const id = await freshImage('base');
    const step = await commitOn(id);
    await commitOn(step, 'app');
    const dangling = await commitOn(id);
    const plan = await planImageRemoval(docker, { image: id });
    expect(plan.childImages.sort()).toEqual([step, dangling].sort());
    expect(plan.blockedBy).toBe(
      `2 local images are built on it: ${PREFIX}app:1, ${dangling.slice(7, 19)} (untagged) ` +
        '(through 1 untagged intermediate image of their builds, which goes with them). ' +
        'Remove them first. Force cannot override this.',
    );
  });
});
