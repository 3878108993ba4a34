import type Docker from 'dockerode';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { compareImages } from '../../../src-main/core/images/compare-images';
import { BUSYBOX, describeWithEngine, onPodman, testDocker } from '../engine-available';
import { buildFixture, cleanUp, createContainer, dockerCliJson, randomFile } from './fixtures';

const PREFIX = 'strata-it-images-compare/';
const LABEL = 'strata-it-images-compare';

/**
 * Docker's image size is its layers'. Podman's adds the image's own metadata (config, manifest: a few kB),
 * so there the layers make the size less that.
 */
function expectLayersMakeSize(layerBytes: number, size: number): void {
  if (!onPodman) return void expect(layerBytes).toBe(size);
  expect(layerBytes).toBeLessThan(size);
  expect(size - layerBytes).toBeLessThan(64 * 1024);
}

describeWithEngine('compare two images', () => {
  let docker: Docker;
  let busyboxLayers: string[];

  beforeAll(async () => {
    docker = await testDocker();
    await cleanUp(docker, { prefix: PREFIX, containerLabel: LABEL });
    busyboxLayers = (await docker.getImage(BUSYBOX).inspect()).RootFS.Layers ?? [];
  });

  afterAll(async () => {
    if (docker) await cleanUp(docker, { prefix: PREFIX, containerLabel: LABEL });
  });

  it('busybox against a commit of a container of it: every base layer shared, exactly one new layer', async () => {
    const container = await createContainer(docker, {
      image: BUSYBOX,
      cmd: ['sh', '-c', 'head -c 4096 /dev/zero > /data.bin'],
      label: LABEL,
    });
    await container.start();
    await container.wait();
    await container.commit({ repo: `${PREFIX}committed`, tag: '1', comment: 'add data.bin' });

    const result = await compareImages(docker, { a: BUSYBOX, b: `${PREFIX}committed:1` });
    const shared = result.layers.rows.filter((r) => r.kind === 'shared');
    expect(shared.map((r) => r.a!.diffId)).toEqual(busyboxLayers);
    expect(result.layers.rows.filter((r) => r.kind !== 'shared')).toHaveLength(1);
    const added = result.layers.rows.at(-1)!;
    expect(added.kind).toBe('only-b');
    // The size and command docker history reports for the new layer are the ones we show.
    const cli = await dockerCliJson<{ Size: string; CreatedBy: string }>([
      'history',
      '--human=false',
      '--no-trunc',
      `${PREFIX}committed:1`,
    ]);
    // Docker records the container's command and the files' bytes; Podman records the shell it ran and the
    // layer as stored (a tar: headers, padding and end blocks around the 4096 bytes).
    const layerSize = onPodman ? Number(cli[0]!.Size) : 4096;
    const createdBy = onPodman ? '/bin/sh' : 'sh -c head -c 4096 /dev/zero > /data.bin';
    expect(cli[0]).toMatchObject({ Size: String(layerSize), CreatedBy: createdBy });
    if (onPodman) expect(layerSize).toBeGreaterThan(4096);
    expect(added.b).toMatchObject({ size: layerSize, instruction: createdBy });
    expectLayersMakeSize(result.layers.sharedBytes, result.a.summary.size);
    expect(result.layers.onlyABytes).toBe(0);
    expect(result.layers.onlyBBytes).toBe(layerSize);
    expectLayersMakeSize(result.layers.totalB, result.b.summary.size);

    const field = (name: string) => result.config.find((d) => d.field === name)!;
    expect(field('Cmd')).toMatchObject({
      a: '["sh"]',
      b: '["sh","-c","head -c 4096 /dev/zero > /data.bin"]',
      same: false,
    });
    expect(field('Comment')).toMatchObject({ b: 'add data.bin', same: false });
    // Podman's commit keeps the environment it gave the container (TERM for its TTY, container=podman).
    if (onPodman)
      expect(field('Env').keys?.filter((k) => k.change !== 'same')).toEqual([
        { key: 'TERM', b: 'xterm', change: 'added' },
        { key: 'container', b: 'podman', change: 'added' },
      ]);
    else expect(field('Env').same).toBe(true);
  });

  it('an image built on another shares all of its layers and adds its own', async () => {
    await buildFixture(docker, {
      tag: `${PREFIX}base:1`,
      dockerfile: `FROM ${BUSYBOX}\nCOPY a /a\nENV STAGE=base\n`,
      files: { a: randomFile(2000) },
    });
    await buildFixture(docker, {
      tag: `${PREFIX}app:1`,
      dockerfile: `FROM ${PREFIX}base:1\nCOPY b /b\nRUN true\nCOPY c /c\nENV STAGE=app\nLABEL role=app\n`,
      files: { b: randomFile(3000), c: randomFile(500) },
    });
    const result = await compareImages(docker, { a: `${PREFIX}base:1`, b: `${PREFIX}app:1` });
    // Buildah commits a layer for `RUN true` too, and sizes layers as stored tars (more than the files).
    const own = onPodman ? ['only-b', 'only-b', 'only-b'] : ['only-b', 'only-b'];
    expect(result.layers.rows.map((r) => r.kind)).toEqual(['shared', 'shared', ...own]);
    const copies = result.layers.rows.slice(2).filter((r) => r.b!.instruction.startsWith('COPY '));
    expect(copies.map((r) => r.b!.instruction)).toEqual([
      expect.stringMatching(/^COPY file:[0-9a-f]+ in \/b$/),
      expect.stringMatching(/^COPY file:[0-9a-f]+ in \/c$/),
    ]);
    if (onPodman) {
      expect(copies[0]!.b!.size).toBeGreaterThan(3000);
      expect(copies[1]!.b!.size).toBeGreaterThan(500);
      expect(result.layers.onlyBBytes).toBe(result.layers.rows.slice(2).reduce((sum, r) => sum + r.b!.size, 0));
    } else {
      expect(result.layers.rows.slice(2).map((r) => r.b!.size)).toEqual([3000, 500]);
      expect(result.layers.onlyBBytes).toBe(3500);
    }
    expectLayersMakeSize(result.layers.sharedBytes, result.a.summary.size);
    const env = result.config.find((d) => d.field === 'Env')!;
    expect(env.keys?.find((k) => k.key === 'STAGE')).toEqual({ key: 'STAGE', a: 'base', b: 'app', change: 'changed' });
    // Buildah labels what it builds with its version, the same on both images.
    expect(
      result.config.find((d) => d.field === 'Labels')!.keys?.filter((k) => k.key !== 'io.buildah.version'),
    ).toEqual([{ key: 'role', b: 'app', change: 'added' }]);
    if (onPodman)
      expect(result.config.find((d) => d.field === 'Labels')!.keys).toContainEqual(
        expect.objectContaining({ key: 'io.buildah.version', change: 'same' }),
      );

    // Reversed, the same layers are only in A.
    const reversed = await compareImages(docker, { a: `${PREFIX}app:1`, b: `${PREFIX}base:1` });
    expect(reversed.layers.rows.map((r) => r.kind)).toEqual(['shared', 'shared', ...own.map(() => 'only-a')]);
    expect(reversed.layers.onlyABytes).toBe(result.layers.onlyBBytes);
  });
});
