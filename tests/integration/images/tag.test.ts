import type Docker from 'dockerode';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { familiarNames, parseReference, validateTagTarget } from '$shared/images/reference';
import type { ReferenceDialect } from '$shared/images/reference';
import { engineDialect, tagImage } from '../../../src-main/core/images/tag-image';
import { untagImage } from '../../../src-main/core/images/untag-image';
import { normalizeImageId } from '../../../src-main/core/images/image-id';
import { BUSYBOX, describeWithEngine, onPodman, testDocker } from '../engine-available';
import { cleanUp } from './fixtures';

const PREFIX = 'strata-it-images-tag/';
const CHECK_TAG = 'strata-it-tagcheck';

// distribution/reference's own examples (normalize_test.go), as repositories to tag.
const REPOSITORIES = [
  'docker/docker',
  'library/debian',
  'debian',
  'docker.io/docker/docker',
  'docker.io/library/debian',
  'index.docker.io/docker/docker',
  '127.0.0.1:5000/docker/docker',
  '192.168.0.2:25000/debian',
  'thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev',
  'docker.io/1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a',
  'docker-rules/docker',
  'docker---rules/docker',
  'dock__er/docker',
  'Docker/docker',
  'DOCKER/docker',
  'Docker.io/strata-it',
  '[fc00::1]:5000/docker',
  'https://github.com/docker/docker',
  'docker/Docker',
  '-docker',
  '-docker/docker',
  'docker///docker',
  'docker.io/docker/Docker',
  '[fc00::1]',
  'fc00::1:5000/debian',
  '1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a',
  'docker-/docker',
  '____/____',
  'dock..er/docker',
  'dock_.er/docker',
  'docker/',
  'sha256',
  'a'.repeat(237),
  'a'.repeat(238),
  `x.io/${'a'.repeat(250)}`,
  `x.io/${'a'.repeat(251)}`,
];
const TAGS = ['latest', '_x', 'UPPER', '1.0-rc.1', 'a'.repeat(128), '-x', '.x', 'a'.repeat(129), 'a~b'];

describeWithEngine('tag validation agrees with the engine', () => {
  let docker: Docker;
  let dialect: ReferenceDialect;

  beforeAll(async () => {
    docker = await testDocker();
    dialect = await engineDialect(docker);
    await cleanUp(docker, { prefix: PREFIX });
  });

  afterAll(async () => {
    if (docker) await cleanUp(docker, { prefix: PREFIX });
  });

  /** Ask the engine directly (no validation of ours in the way); remove what it created. */
  async function engineAccepts(repo: string, tag: string): Promise<boolean> {
    try {
      await docker.getImage(BUSYBOX).tag({ repo, tag });
    } catch {
      return false;
    }
    const created = familiarNames((await docker.getImage(BUSYBOX).inspect()).RepoTags).filter(
      (t) => t.endsWith(`:${tag}`) && t !== BUSYBOX,
    );
    for (const t of created) await docker.getImage(t).remove({ noprune: true });
    return true;
  }

  it("accepts and rejects Docker's own example repositories exactly as the engine does", async () => {
    const disagreements: string[] = [];
    for (const repository of REPOSITORIES) {
      // A repository with a ":tag" of its own is refused by design (the engine silently drops it).
      const parsed = parseReference(repository, { dialect });
      if (parsed.ok && parsed.reference.tag !== undefined) continue;
      const ours = validateTagTarget({ repository, tag: CHECK_TAG, dialect });
      const engine = await engineAccepts(repository, CHECK_TAG);
      if (ours.ok !== engine) disagreements.push(`${repository}: ours ${ours.ok}, engine ${engine}`);
    }
    // Podman tags a bare 64-hex repository that Docker refuses; the app keeps refusing it there too, as such
    // a name reads as an image ID wherever an image is named.
    expect(disagreements).toEqual(
      onPodman ? ['1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a: ours false, engine true'] : [],
    );
  });

  it('accepts and rejects tags exactly as the engine does', async () => {
    const disagreements: string[] = [];
    for (const tag of TAGS) {
      const ours = validateTagTarget({ repository: `${PREFIX}check`, tag, dialect });
      const engine = await engineAccepts(`${PREFIX}check`, tag);
      if (ours.ok !== engine) disagreements.push(`${tag}: ours ${ours.ok}, engine ${engine}`);
    }
    expect(disagreements).toEqual([]);
  });
});

describeWithEngine('tag and untag', () => {
  let docker: Docker;
  let busyboxId: string;

  beforeAll(async () => {
    docker = await testDocker();
    await cleanUp(docker, { prefix: PREFIX });
    busyboxId = (await docker.getImage(BUSYBOX).inspect()).Id;
  });

  afterAll(async () => {
    if (docker) await cleanUp(docker, { prefix: PREFIX });
  });

  it('tags, says when nothing changed, and refuses an invalid name before calling the engine', async () => {
    const first = await tagImage(docker, { image: BUSYBOX, repository: `${PREFIX}app`, tag: '1.0' });
    expect(first).toEqual({ reference: `${PREFIX}app:1.0`, imageId: busyboxId, unchanged: false });
    expect((await docker.getImage(`${PREFIX}app:1.0`).inspect()).Id).toBe(busyboxId);
    expect(await tagImage(docker, { image: BUSYBOX, repository: `${PREFIX}app`, tag: '1.0' })).toMatchObject({
      unchanged: true,
    });
    const latest = await tagImage(docker, { image: busyboxId, repository: `${PREFIX}app` });
    expect(latest.reference).toBe(`${PREFIX}app:latest`);

    const upper = await tagImage(docker, { image: BUSYBOX, repository: `${PREFIX}App`, tag: '1' }).catch((e) => e);
    expect(upper).toMatchObject({
      code: 'invalid-input',
      details: { field: 'repository', problem: 'uppercase' },
      message: expect.stringMatching(/must be lowercase/),
    });
    // Found before the engine was asked: no engine status to show.
    expect(upper.details).not.toHaveProperty('status');
    await expect(tagImage(docker, { image: BUSYBOX, repository: `${PREFIX}app`, tag: '-1' })).rejects.toMatchObject({
      code: 'invalid-input',
      details: { field: 'tag' },
    });
    await expect(tagImage(docker, { image: `${PREFIX}nothing:here`, repository: `${PREFIX}x` })).rejects.toMatchObject({
      code: 'not-found',
      details: { status: 404 },
    });
  });

  it('reports a tag that moves from another image', async () => {
    const container = await docker.createContainer({
      Image: BUSYBOX,
      Cmd: ['true'],
      HostConfig: { NetworkMode: 'none' },
    });
    const committed = await container.commit({ repo: `${PREFIX}moved`, tag: 'old' });
    await container.remove();
    // Podman answers the raw commit with bare hex; the app (and Docker) say sha256:<hex>.
    const committedId = normalizeImageId((committed as { Id: string }).Id);
    await tagImage(docker, { image: committedId, repository: `${PREFIX}moved`, tag: 'shared' });
    const moved = await tagImage(docker, { image: BUSYBOX, repository: `${PREFIX}moved`, tag: 'shared' });
    expect(moved.movedFrom).toMatchObject({ imageId: committedId, nowDangling: false });
  });

  it('untags one tag and keeps the image; refuses to untag the last reference', async () => {
    await tagImage(docker, { image: BUSYBOX, repository: `${PREFIX}untag`, tag: 'a' });
    const result = await untagImage(docker, { reference: `${PREFIX}untag:a` });
    expect(result.untagged).toEqual([`${PREFIX}untag:a`]);
    expect(result.remainingTags).toContain(BUSYBOX);
    expect((await docker.getImage(BUSYBOX).inspect()).Id).toBe(busyboxId);

    const container = await docker.createContainer({
      Image: BUSYBOX,
      Cmd: ['true'],
      HostConfig: { NetworkMode: 'none' },
    });
    await container.commit({ repo: `${PREFIX}only`, tag: 'one' });
    await container.remove();
    const last = await untagImage(docker, { reference: `${PREFIX}only:one` }).catch((e) => e);
    expect(last).toMatchObject({
      code: 'conflict',
      details: { reason: 'last-reference' },
      message: expect.stringMatching(/only reference.*Use Remove instead/),
    });
    expect(last.details).not.toHaveProperty('status');
    expect(familiarNames((await docker.getImage(`${PREFIX}only:one`).inspect()).RepoTags)).toEqual([
      `${PREFIX}only:one`,
    ]);
  });
});
