import type Docker from 'dockerode';
import { beforeAll, expect, it } from 'vitest';
import { readImageConfigFromSave } from '../../../src-main/core/images/image-config-from-save';
import { BUSYBOX, describeWithEngine, testDocker } from '../engine-available';

// The image config read out of the engine's own `docker save` stream, against the engine's inspect of the same
// image: the archive is read with the layers' tar reader, and stopped as soon as the config has gone by.
describeWithEngine('the image config from the engine’s save stream', () => {
  let docker: Docker;
  let imageId: string;
  beforeAll(async () => {
    docker = await testDocker();
    imageId = (await docker.getImage(BUSYBOX).inspect()).Id;
  });

  it('holds the history and layers the engine reports for the image', async () => {
    const inspect = await docker.getImage(imageId).inspect();
    const config = await readImageConfigFromSave(docker, { imageId });
    expect(config.rootfs?.diff_ids).toEqual(inspect.RootFS.Layers);
    expect(config.history.length).toBeGreaterThan(0);
    expect(config.history.at(-1)?.comment ?? config.history.at(-1)?.created_by).toBeTruthy();
  });

  it('answers cancelled when the signal is aborted, before or during the read', async () => {
    const before = new AbortController();
    before.abort();
    await expect(readImageConfigFromSave(docker, { imageId, signal: before.signal })).rejects.toMatchObject({
      code: 'cancelled',
    });
    const during = new AbortController();
    const reading = readImageConfigFromSave(docker, { imageId, signal: during.signal });
    during.abort();
    await expect(reading).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('says which image when the engine has no such image', async () => {
    await expect(readImageConfigFromSave(docker, { imageId: `sha256:${'0'.repeat(64)}` })).rejects.toThrow(
      /0000000000/,
    );
  });
});
