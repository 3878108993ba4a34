import { readFileSync } from 'node:fs';
import path from 'node:path';
import { decompress as zstdDecompress } from 'fzstd';
import { beforeAll, describe, expect, it } from 'vitest';
import { listFileTreeRows } from '../../../src-main/core/layers/file-tree-rows';
import { analyzeImage } from '../../../src-main/core/layers/image-analysis';
import type { AnalyzedImage } from '../../../src-main/core/layers/image-analysis';
import { readImageArchive } from '../../../src-main/core/layers/image-archive-reader';
import { chunked, diveArchivePath, fixturesDir, gzip, ociArchive, packTar, readTar, sha256 } from './archive-helpers';
import type { OciLayer } from './archive-helpers';

const GZIP = 'application/vnd.oci.image.layer.v1.tar+gzip';
const ZSTD = 'application/vnd.oci.image.layer.v1.tar+zstd';
const PLAIN = 'application/vnd.oci.image.layer.v1.tar';

interface Legacy {
  config: Buffer;
  layers: Buffer[];
  diffIds: string[];
  zstdLayers: Map<number, Buffer>;
}

async function loadLegacy(): Promise<Legacy> {
  const files = new Map((await readTar(readFileSync(diveArchivePath))).map((file) => [file.header.name, file.data]));
  const manifest = JSON.parse(String(files.get('manifest.json'))) as { Config: string; Layers: string[] }[];
  const image = manifest[0] as { Config: string; Layers: string[] };
  const config = files.get(image.Config) as Buffer;
  const diffIds = (JSON.parse(String(config)) as { rootfs: { diff_ids: string[] } }).rootfs.diff_ids;
  const fixture = await readTar(readFileSync(path.join(fixturesDir, 'dive-test-layers-1-13.zst.tar')));
  const zstdLayers = new Map(fixture.map((file) => [Number(/layer-(\d+)/.exec(file.header.name)?.[1]), file.data]));
  return { config, layers: image.Layers.map((name) => files.get(name) as Buffer), diffIds, zstdLayers };
}

// Layer 0 gzip; then zstd, none, gzip in turn: every compression, in one image.
function mixedLayers(legacy: Legacy): OciLayer[] {
  return legacy.layers.map((layer, index) => {
    const zstd = legacy.zstdLayers.get(index);
    if (index % 3 === 1 && zstd) return { blob: zstd, mediaType: ZSTD };
    if (index % 3 === 2) return { blob: layer, mediaType: PLAIN };
    return { blob: gzip(layer), mediaType: GZIP };
  });
}

function comparable(image: AnalyzedImage) {
  const { analysis } = image;
  return {
    efficiency: analysis.efficiency,
    sizeBytes: analysis.sizeBytes,
    userSizeBytes: analysis.userSizeBytes,
    wastedBytes: analysis.wastedBytes,
    wastedUserPercent: analysis.wastedUserPercent,
    inefficientFiles: analysis.inefficientFiles,
    reclaimableBytes: analysis.reclaimableBytes,
    reclaimableFiles: analysis.reclaimableFiles,
    fileCount: analysis.fileCount,
    layers: analysis.layers.map((layer) => ({
      id: layer.id,
      command: layer.command,
      sizeBytes: layer.sizeBytes,
      fileCount: layer.fileCount,
      historyIndex: layer.historyIndex,
    })),
  };
}

function allRows(image: AnalyzedImage) {
  return image.analysis.layers.map((layer) => listFileTreeRows(image.tree, { layer: layer.index, limit: 5000 }).rows);
}

describe('OCI image layout archives', () => {
  let legacy: Legacy;
  let fromLegacy: AnalyzedImage;
  beforeAll(async () => {
    legacy = await loadLegacy();
    fromLegacy = await analyzeImage(chunked(readFileSync(diveArchivePath), 65536));
  });

  it('has a zstd fixture whose layers decompress to the config’s diff IDs', () => {
    expect([...legacy.zstdLayers.keys()].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    for (const [index, blob] of legacy.zstdLayers) {
      expect(sha256(zstdDecompress(blob))).toBe(legacy.diffIds[index]);
    }
  });

  it('gives the same analysis from gzip, zstd and plain layers, blobs before index.json, in 37-byte chunks', async () => {
    const layers = mixedLayers(legacy);
    expect(new Set(layers.map((layer) => layer.mediaType))).toEqual(new Set([GZIP, ZSTD, PLAIN]));
    const archive = await ociArchive({ config: legacy.config, layers });
    const fromOci = await analyzeImage(chunked(archive, 37));
    expect(fromOci.analysis.layout).toBe('oci');
    expect(fromOci.analysis.repoTags).toEqual(['oci-test:latest']);
    expect(comparable(fromOci)).toEqual(comparable(fromLegacy));
    expect(allRows(fromOci)).toEqual(allRows(fromLegacy));
  });

  it('records each layer’s compression and blob digest', async () => {
    const layers = mixedLayers(legacy);
    const archive = await readImageArchive(chunked(await ociArchive({ config: legacy.config, layers }), 4096));
    expect(archive.layers.map((layer) => layer.compression)).toEqual(
      layers.map((layer) => ({ [GZIP]: 'gzip', [ZSTD]: 'zstd', [PLAIN]: 'none' })[layer.mediaType]),
    );
    expect(archive.layers.map((layer) => layer.digest)).toEqual(layers.map((layer) => sha256(layer.blob)));
    expect(archive.layers.map((layer) => layer.diffId)).toEqual(legacy.diffIds);
  });

  it('reads a gzip-compressed archive (docker save | gzip)', async () => {
    const archive = await ociArchive({ config: legacy.config, layers: mixedLayers(legacy) });
    const fromGzip = await analyzeImage(chunked(gzip(archive), 1000));
    expect(comparable(fromGzip)).toEqual(comparable(fromLegacy));
  });

  it('reads the Docker 25+ shape: manifest.json pointing into blobs/sha256', async () => {
    const blobName = (bytes: Buffer) => `blobs/sha256/${sha256(bytes).slice(7)}`;
    const manifest = [
      { Config: blobName(legacy.config), RepoTags: ['dive-test:latest'], Layers: legacy.layers.map(blobName) },
    ];
    const archive = await packTar([
      ...legacy.layers.map((layer) => ({ header: { name: blobName(layer) }, data: layer })),
      { header: { name: blobName(legacy.config) }, data: legacy.config },
      { header: { name: 'index.json' }, data: '{"schemaVersion":2,"manifests":[]}' },
      { header: { name: 'manifest.json' }, data: JSON.stringify(manifest) },
      { header: { name: 'oci-layout' }, data: '{"imageLayoutVersion":"1.0.0"}' },
    ]);
    const image = await analyzeImage(chunked(archive, 8192));
    expect(image.analysis.layout).toBe('docker');
    expect(image.analysis.imageId).toBe(sha256(legacy.config));
    expect(comparable(image)).toEqual(comparable(fromLegacy));
  });

  it('picks the host platform from a multi-platform index, among the manifests present', async () => {
    const layers = mixedLayers(legacy);
    const single = await readTar(await ociArchive({ config: legacy.config, layers }));
    const index = JSON.parse(String(single.find((file) => file.header.name === 'index.json')?.data)) as {
      manifests: { digest: string; size: number }[];
    };
    const present = index.manifests[0] as { digest: string; size: number };
    const arch = process.arch === 'arm64' ? 'arm64' : 'amd64';
    const platformIndex = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.index.v1+json',
        manifests: [
          {
            mediaType: 'application/vnd.oci.image.manifest.v1+json',
            digest: `sha256:${'0'.repeat(64)}`,
            size: 1,
            platform: { os: 'linux', architecture: 's390x' },
          },
          {
            mediaType: 'application/vnd.oci.image.manifest.v1+json',
            digest: present.digest,
            size: present.size,
            platform: { os: 'linux', architecture: arch },
          },
        ],
      }),
    );
    const files = single.filter((file) => file.header.name !== 'index.json');
    const archive = await packTar([
      ...files,
      { header: { name: `blobs/sha256/${sha256(platformIndex).slice(7)}` }, data: platformIndex },
      {
        header: { name: 'index.json' },
        data: JSON.stringify({
          schemaVersion: 2,
          manifests: [
            {
              mediaType: 'application/vnd.oci.image.index.v1+json',
              digest: sha256(platformIndex),
              size: platformIndex.length,
            },
          ],
        }),
      },
    ]);
    const image = await analyzeImage(chunked(archive, 65536));
    expect(comparable(image)).toEqual(comparable(fromLegacy));
  });

  it('says which layer is missing when the archive lacks a blob', async () => {
    const layers = mixedLayers(legacy);
    const files = (await readTar(await ociArchive({ config: legacy.config, layers }))).filter(
      (file) => file.header.name !== `blobs/sha256/${sha256(layers[5]?.blob as Buffer).slice(7)}`,
    );
    await expect(readImageArchive(chunked(await packTar(files), 65536))).rejects.toThrow(
      `layer blobs/sha256/${sha256(layers[5]?.blob as Buffer).slice(7)} is missing`,
    );
  });
});
