import { randomBytes } from 'node:crypto';
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readImageArchive } from '../../../src-main/core/layers/image-archive-reader';
import type { ReadProgress } from '../../../src-main/core/layers/image-archive-reader';
import {
  chunked,
  diveArchivePath,
  gzip,
  layerTar,
  legacyArchive,
  ociArchive,
  packTar,
  readTar,
} from './archive-helpers';

describe('readImageArchive', () => {
  it('reports progress up to the archive size', async () => {
    const reports: ReadProgress[] = [];
    const total = statSync(diveArchivePath).size;
    const archive = await readImageArchive(createReadStream(diveArchivePath, { highWaterMark: 16384 }), {
      totalBytes: total,
      onProgress: (progress) => reports.push(progress),
    });
    expect(archive.bytesRead).toBe(total);
    expect(reports.length).toBeGreaterThan(10);
    expect(reports.at(-1)).toEqual({ bytesRead: total, totalBytes: total });
    expect(reports.every((report, i) => i === 0 || report.bytesRead > (reports[i - 1]?.bytesRead ?? 0))).toBe(true);
  });

  it('stops when aborted and destroys the source', async () => {
    const controller = new AbortController();
    const source = createReadStream(diveArchivePath, { highWaterMark: 4096 });
    const reading = readImageArchive(source, {
      signal: controller.signal,
      onProgress: ({ bytesRead }) => {
        if (bytesRead > 100_000) controller.abort();
      },
    });
    await expect(reading).rejects.toMatchObject({ name: 'AbortError' });
    expect(source.destroyed).toBe(true);
  });

  it('rejects at once with an already-aborted signal', async () => {
    await expect(
      readImageArchive(createReadStream(diveArchivePath), { signal: AbortSignal.abort() }),
    ).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('fails (does not hang) on a corrupt gzip layer', async () => {
    const layer = gzip(await layerTar([{ file: 'a', content: randomBytes(100_000).toString('base64') }]));
    layer.fill(0x55, 4000, 4200);
    const config = Buffer.from(JSON.stringify({ rootfs: { diff_ids: ['sha256:00'] }, history: [{ created_by: 'x' }] }));
    const archive = await ociArchive({
      config,
      layers: [{ blob: layer, mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip' }],
    });
    await expect(readImageArchive(chunked(archive, 512))).rejects.toThrow(
      new RegExp(`^blobs/sha256/[0-9a-f]{64}: (incorrect|invalid)`),
    );
  });

  it('says what is wrong with something that is not an image archive', async () => {
    const notImage = await packTar([{ header: { name: 'hello.txt' }, data: 'hi' }]);
    await expect(readImageArchive(Readable.from([notImage]))).rejects.toThrow('neither manifest.json nor index.json');
    await expect(
      readImageArchive(Readable.from([Buffer.from('plain text, not a tar at all'.repeat(40))])),
    ).rejects.toThrow('invalid tar header checksum');
  });

  it('picks the requested image from a multi-image docker archive, following layer symlinks', async () => {
    const base = await layerTar([{ file: 'base', content: 'b' }]);
    const top = await layerTar([{ file: 'top', content: 'tt' }]);
    const single = await readTar(await legacyArchive([base, top], ['base', 'top']));
    const manifest = JSON.parse(String(single.find((f) => f.header.name === 'manifest.json')?.data)) as {
      Config: string;
      Layers: string[];
    }[];
    const first = manifest[0] as { Config: string; Layers: string[] };
    const baseName = first.Layers[0] as string;
    // Docker writes a repeated layer once and points the second image's layer.tar at it with a relative symlink.
    const twoImages = [
      { Config: first.Config, RepoTags: ['one:latest'], Layers: [baseName] },
      // Podman writes tags fully qualified; the reader gives Docker's short form.
      { Config: first.Config, RepoTags: ['docker.io/library/two:v2'], Layers: ['alias/layer.tar', first.Layers[1]] },
    ];
    const archive = await packTar([
      ...single.filter((f) => f.header.name !== 'manifest.json'),
      { header: { name: 'alias/layer.tar', type: 'symlink', linkname: `../${baseName}` } },
      { header: { name: 'manifest.json' }, data: JSON.stringify(twoImages) },
    ]);
    const two = await readImageArchive(Readable.from([archive]), { imageRef: 'two:v2' });
    expect(two.repoTags).toEqual(['two:v2']);
    expect(two.layers.map((layer) => layer.entries.map((entry) => entry.path))).toEqual([['/base'], ['/top']]);
    const one = await readImageArchive(Readable.from([archive]), { imageRef: 'docker.io/library/one' });
    expect(one.layers).toHaveLength(1);
  });

  it('keeps only metadata: entries carry no file contents', async () => {
    const archive = await readImageArchive(Readable.from([readFileSync(diveArchivePath)]));
    const entry = archive.layers[1]?.entries[0];
    expect(entry).toEqual({
      path: '/somefile.txt',
      kind: 'file',
      size: 6405,
      mode: 0o664,
      uid: 0,
      gid: 0,
      mtime: 1544294146,
      contentDigest: expect.stringMatching(/^[A-Za-z0-9+/]{27}=$/),
    });
  });
});
