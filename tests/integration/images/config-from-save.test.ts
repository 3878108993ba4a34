import type Docker from 'dockerode';
import { beforeAll, expect, it } from 'vitest';
import { readImageConfigFromSave } from '../../../src-main/core/images/image-config-from-save';
import { BUSYBOX, describeWithEngine, onPodman, testDocker } from '../engine-available';

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
    // The engine's own history, newest first: the config holds the same entries, oldest first.
    const history = (await docker.getImage(imageId).history()) as Array<{ Comment: string }>;
    expect(config.history.map((h) => h.comment ?? '')).toEqual(history.map((h) => h.Comment).reverse());
    // The test busybox is one import (scripts/test-engine.sh, scripts/test-podman.sh): one entry, whose comment is
    // the import's message on Docker and Podman's own words for an import without one.
    expect(config.history).toHaveLength(1);
    expect(config.history[0]!.comment).toBe(onPodman ? 'imported from tarball' : 'static busybox, imported offline');
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
