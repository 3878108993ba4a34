import type Docker from 'dockerode';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { pack } from 'tar-stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { importImage } from '../../../src-main/core/images/import-image';
import { imageHistory } from '../../../src-main/core/images/image-history';
import type { TransferProgress } from '../../../src-main/core/images/save-images';
import { BUSYBOX, describeWithEngine, onPodman, testDocker } from '../engine-available';
import { cleanUp, createContainer } from './fixtures';

const PREFIX = 'strata-it-images-import/';
const LABEL = 'strata-it-images-import';

describeWithEngine('import a root filesystem as a new image', () => {
  let docker: Docker;
  let dir: string;
  const made: string[] = [];

  beforeAll(async () => {
    docker = await testDocker();
    await cleanUp(docker, { prefix: PREFIX, containerLabel: LABEL });
    dir = await mkdtemp(path.join(tmpdir(), 'strata-import-'));
  });

  afterAll(async () => {
    if (docker) await cleanUp(docker, { prefix: PREFIX, containerLabel: LABEL, imageIds: made });
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('makes a runnable base image from an exported filesystem, with repository:tag and changes', async () => {
    const source = await createContainer(docker, { image: BUSYBOX, cmd: ['true'], label: LABEL });
    const rootfs = path.join(dir, 'rootfs.tar');
    await pipeline((await source.export()) as unknown as Readable, createWriteStream(rootfs));

    const progress: TransferProgress[] = [];
    const result = await importImage(docker, {
      source: rootfs,
      repository: `${PREFIX}base`,
      tag: '1',
      changes: ['CMD ["sh", "-c", "echo imported-ok"]', 'ENV PATH=/bin', 'WORKDIR /w', 'LABEL origin=export'],
      message: 'from an exported busybox',
      onProgress: (p) => progress.push(p),
    });
    expect(result.reference).toBe(`${PREFIX}base:1`);
    expect(result.imageId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(progress.at(-1)!.bytes).toBe(progress.at(-1)!.totalBytes);

    const info = await docker.getImage(`${PREFIX}base:1`).inspect();
    expect(info.Id).toBe(result.imageId);
    expect(info.Config.Cmd).toEqual(['sh', '-c', 'echo imported-ok']);
    expect(info.Config.Env).toEqual(['PATH=/bin']);
    expect(info.Config.WorkingDir).toBe('/w');
    expect(info.Config.Labels).toEqual({ origin: 'export' });
    expect(info.RootFS.Layers).toHaveLength(1);

    const history = await imageHistory(docker, { image: result.imageId });
    expect(history.entries).toHaveLength(1);
    expect(history.entries[0]).toMatchObject({ comment: 'from an exported busybox', emptyLayer: false });
    // Docker sums the layers' content; Podman counts the layer as stored (tar headers too), and its history
    // gives the layer's own size.
    if (onPodman) expect(history.layerSizeSum).toBeLessThanOrEqual(info.Size);
    else expect(history.layerSizeSum).toBe(info.Size);

    const run = await docker.createContainer({
      Image: result.imageId,
      Tty: true,
      Labels: { [LABEL]: '1' },
      HostConfig: { NetworkMode: 'none' },
    });
    await run.start();
    await run.wait();
    const logs = (await run.logs({ stdout: true })) as unknown as Buffer;
    expect(logs.toString('utf8').trim()).toBe('imported-ok');
  });

  it('imports a compressed tarball untagged', async () => {
    const tar = pack();
    tar.entry({ name: 'hello.txt' }, 'hello from a handmade root filesystem\n');
    tar.finalize();
    const gz = path.join(dir, 'tiny.tar.gz');
    await pipeline(tar, createGzip(), createWriteStream(gz));
    const result = await importImage(docker, { source: gz });
    made.push(result.imageId);
    expect(result.reference).toBeUndefined();
    const info = await docker.getImage(result.imageId).inspect();
    expect(info.RepoTags).toEqual([]);
    const content = 'hello from a handmade root filesystem\n'.length;
    if (onPodman) expect(info.Size).toBeGreaterThan(content);
    else expect(info.Size).toBe(content);
  });

  it('refuses bad input before the engine is called, saying why', async () => {
    const missing = path.join(dir, 'nope.tar');
    await expect(importImage(docker, { source: missing })).rejects.toMatchObject({
      code: 'invalid-input',
      details: { field: 'source' },
    });
    const some = path.join(dir, 'tiny.tar.gz');
    await expect(importImage(docker, { source: some, repository: 'Bad Name' })).rejects.toMatchObject({
      code: 'invalid-input',
      details: { field: 'repository' },
    });
    await expect(importImage(docker, { source: some, changes: ['RUN make'] })).rejects.toMatchObject({
      code: 'invalid-input',
      details: { field: 'changes' },
      message: expect.stringMatching(/RUN is not allowed; use CMD, ENTRYPOINT/),
    });
    await expect(importImage(docker, { source: some, tag: 'x' })).rejects.toMatchObject({ code: 'invalid-input' });
  });
});
