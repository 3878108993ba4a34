import type Docker from 'dockerode';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { compareImages } from '../../../src-main/core/images/compare-images';
import { BUSYBOX, describeWithEngine, testDocker } from '../engine-available';
import { buildFixture, cleanUp, createContainer, dockerCliJson, randomFile } from './fixtures';

const PREFIX = 'strata-it-images-compare/';
const LABEL = 'strata-it-images-compare';

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
    expect(added.b).toMatchObject({ size: 4096, instruction: 'sh -c head -c 4096 /dev/zero > /data.bin' });
    expect(result.layers.sharedBytes).toBe(result.a.summary.size);
    expect(result.layers.onlyABytes).toBe(0);
    expect(result.layers.onlyBBytes).toBe(4096);
    expect(result.layers.totalB).toBe(result.b.summary.size);

    // The size docker history reports for the new layer is the one we show.
    const cli = await dockerCliJson<{ Size: string; CreatedBy: string }>([
      'history',
      '--human=false',
      '--no-trunc',
      `${PREFIX}committed:1`,
    ]);
    expect(cli[0]).toMatchObject({ Size: '4096', CreatedBy: 'sh -c head -c 4096 /dev/zero > /data.bin' });

    const field = (name: string) => result.config.find((d) => d.field === name)!;
    expect(field('Cmd')).toMatchObject({
      a: '["sh"]',
      b: '["sh","-c","head -c 4096 /dev/zero > /data.bin"]',
      same: false,
    });
    expect(field('Comment')).toMatchObject({ b: 'add data.bin', same: false });
    expect(field('Env').same).toBe(true);
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
    expect(result.layers.rows.map((r) => r.kind)).toEqual(['shared', 'shared', 'only-b', 'only-b']);
    expect(result.layers.rows.slice(2).map((r) => r.b!.size)).toEqual([3000, 500]);
    expect(result.layers.rows[2]!.b!.instruction).toMatch(/^COPY file:[0-9a-f]+ in \/b$/);
    expect(result.layers.onlyBBytes).toBe(3500);
    expect(result.layers.sharedBytes).toBe(result.a.summary.size);
    const env = result.config.find((d) => d.field === 'Env')!;
    expect(env.keys?.find((k) => k.key === 'STAGE')).toEqual({ key: 'STAGE', a: 'base', b: 'app', change: 'changed' });
    expect(result.config.find((d) => d.field === 'Labels')!.keys).toEqual([{ key: 'role', b: 'app', change: 'added' }]);

    // Reversed, the same layers are only in A.
    const reversed = await compareImages(docker, { a: `${PREFIX}app:1`, b: `${PREFIX}base:1` });
    expect(reversed.layers.rows.map((r) => r.kind)).toEqual(['shared', 'shared', 'only-a', 'only-a']);
    expect(reversed.layers.onlyABytes).toBe(3500);
  });
});
