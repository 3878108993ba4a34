import type Docker from 'dockerode';
import { createReadStream } from 'node:fs';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { extract } from 'tar-stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadImages } from '../../../src-main/core/images/load-images';
import { saveImages } from '../../../src-main/core/images/save-images';
import type { TransferProgress } from '../../../src-main/core/images/save-images';
import { BUSYBOX, describeWithEngine, onPodman, testDocker } from '../engine-available';
import { buildFixture, cleanUp, randomFile } from './fixtures';

const PREFIX = 'strata-it-images-save/';

/** manifest.json of a docker save archive. */
async function archiveManifest(file: string): Promise<Array<{ RepoTags: string[] | null; Config: string }>> {
  const tar = extract();
  let manifest = '';
  const done = new Promise<void>((resolve, reject) => {
    tar.on('entry', (header, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: unknown) => void chunks.push(c as Buffer));
      stream.on('end', () => {
        if (header.name === 'manifest.json') manifest = Buffer.concat(chunks).toString('utf8');
        next();
      });
    });
    tar.on('finish', resolve);
    tar.on('error', reject);
  });
  createReadStream(file).pipe(tar);
  await done;
  return JSON.parse(manifest) as Array<{ RepoTags: string[] | null; Config: string }>;
}

describeWithEngine('save and load', () => {
  let docker: Docker;
  let dir: string;
  let fixtureId: string;
  let busyboxId: string;

  beforeAll(async () => {
    docker = await testDocker();
    await cleanUp(docker, { prefix: PREFIX });
    dir = await mkdtemp(path.join(tmpdir(), 'strata-save-'));
    busyboxId = (await docker.getImage(BUSYBOX).inspect()).Id;
    fixtureId = await buildFixture(docker, {
      tag: `${PREFIX}app:1`,
      dockerfile: `FROM ${BUSYBOX}\nCOPY blob /blob\nCMD ["cat", "/blob"]\n`,
      files: { blob: randomFile(300_000) },
    });
  });

  afterAll(async () => {
    if (docker) await cleanUp(docker, { prefix: PREFIX, imageIds: fixtureId ? [fixtureId] : [] });
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('saves several images to one tar, streamed, with progress in bytes', async () => {
    const destination = path.join(dir, 'two.tar');
    const progress: TransferProgress[] = [];
    const result = await saveImages(docker, {
      images: [`${PREFIX}app:1`, BUSYBOX],
      destination,
      progressIntervalMs: 0,
      onProgress: (p) => progress.push(p),
    });
    const size = (await stat(destination)).size;
    expect(result).toEqual({ destination, bytes: size, images: [`${PREFIX}app:1`, BUSYBOX] });
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)!.bytes).toBe(size);
    expect(progress.every((p, i) => i === 0 || p.bytes >= progress[i - 1]!.bytes)).toBe(true);
    expect(progress[0]!.totalBytes).toBeGreaterThan(2_000_000);
    const manifest = await archiveManifest(destination);
    expect(
      manifest
        .map((m) => m.RepoTags)
        .flat()
        .sort(),
    ).toEqual(
      // The archive is the engine's: Podman writes tags fully qualified (both engines load either form back).
      [`${PREFIX}app:1`, BUSYBOX].map((tag) => (onPodman ? `docker.io/${tag}` : tag)).sort(),
    );
    expect(await readdir(dir)).toEqual(['two.tar']);
  });

  it('loads it back: the same image ID, and reports which images and tags arrived', async () => {
    const destination = path.join(dir, 'app.tar');
    await saveImages(docker, { images: [`${PREFIX}app:1`], destination });
    await cleanUp(docker, { prefix: PREFIX });
    await expect(docker.getImage(fixtureId).inspect()).rejects.toMatchObject({ statusCode: 404 });

    const progress: TransferProgress[] = [];
    const loaded = await loadImages(docker, { source: destination, onProgress: (p) => progress.push(p) });
    expect(loaded.images).toEqual([{ imageId: fixtureId, reference: `${PREFIX}app:1` }]);
    expect(loaded.replaced).toEqual([]);
    expect((await docker.getImage(`${PREFIX}app:1`).inspect()).Id).toBe(fixtureId);
    expect(progress.at(-1)).toEqual({
      bytes: (await stat(destination)).size,
      totalBytes: (await stat(destination)).size,
    });
  });

  it('reports a tag that the load moved from another image', async () => {
    const destination = path.join(dir, 'moving.tar');
    await saveImages(docker, { images: [`${PREFIX}app:1`], destination });
    // Point the tag at busybox, then load: the archive takes the tag back.
    await docker.getImage(BUSYBOX).tag({ repo: `${PREFIX}app`, tag: '1' });
    const loaded = await loadImages(docker, { source: destination });
    expect(loaded.replaced).toEqual([{ reference: `${PREFIX}app:1`, previousImageId: busyboxId }]);
    expect((await docker.getImage(`${PREFIX}app:1`).inspect()).Id).toBe(fixtureId);
  });

  it('saves images given by ID untagged', async () => {
    const destination = path.join(dir, 'by-id.tar');
    await saveImages(docker, { images: [fixtureId], destination });
    const manifest = await archiveManifest(destination);
    expect(manifest).toHaveLength(1);
    expect(manifest[0]!.RepoTags ?? []).toEqual([]);
    const loaded = await loadImages(docker, { source: destination });
    expect(loaded.images).toEqual([{ imageId: fixtureId }]);
  });

  it('a cancelled save leaves no file under the chosen name and no partial file', async () => {
    const destination = path.join(dir, 'cancelled.tar');
    const controller = new AbortController();
    await expect(
      saveImages(docker, {
        images: [`${PREFIX}app:1`, BUSYBOX],
        destination,
        signal: controller.signal,
        progressIntervalMs: 0,
        onProgress: () => controller.abort(),
      }),
    ).rejects.toMatchObject({ code: 'cancelled' });
    const names = await readdir(dir);
    expect(names.filter((n) => n.startsWith('cancelled'))).toEqual([]);
  });

  it('a failed save leaves nothing behind and says why', async () => {
    const destination = path.join(dir, 'missing.tar');
    await expect(saveImages(docker, { images: [`${PREFIX}nothing:here`], destination })).rejects.toMatchObject({
      code: 'not-found',
      details: { status: 404 },
      message: expect.stringMatching(/Could not save strata-it-images-save\/nothing:here: .*No such image/i),
    });
    await expect(
      saveImages(docker, { images: [BUSYBOX], destination: path.join(dir, 'no-such-folder', 'x.tar') }),
    ).rejects.toMatchObject({ code: 'invalid-input', message: expect.stringMatching(/does not exist/) });
    await expect(saveImages(docker, { images: [BUSYBOX], destination: dir })).rejects.toMatchObject({
      code: 'invalid-input',
    });
    expect((await readdir(dir)).filter((n) => n.startsWith('missing'))).toEqual([]);
  });

  it('refuses to load a file that is not an image archive, with the engine reason', async () => {
    const junk = path.join(dir, 'junk.tar');
    await writeFile(junk, 'this is not a tar archive');
    const failure = loadImages(docker, { source: junk });
    await expect(failure).rejects.toMatchObject({ message: expect.stringMatching(/^Could not load .*junk\.tar: /) });
    await expect(loadImages(docker, { source: path.join(dir, 'absent.tar') })).rejects.toMatchObject({
      code: 'invalid-input',
    });
  });
});
