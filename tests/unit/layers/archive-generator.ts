import { execFileSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { legacyArchive, packTar, sha256 } from './archive-helpers';
import type { Headers } from './archive-helpers';

/**
 * Random image archives for property tests: the same layers written the ways real tools write them.
 * Every choice comes from a seeded PRNG, so a failing seed reproduces exactly.
 */

import { prng } from '../seeded-random';

export { prng };

export type Compression = 'gzip' | 'zstd' | 'none';
export type Layout = 'oci-index' | 'docker25';

export interface ArchiveShape {
  readonly seed: number;
  readonly layerCount: number;
  readonly compressions: readonly Compression[];
  readonly blobOrder: 'digest' | 'shuffled';
  readonly indexFirst: boolean;
  readonly layout: Layout;
  readonly chunkSize: number;
}

export interface GeneratedImage {
  readonly shape: ArchiveShape;
  /** Uncompressed layer tars, in order. */
  readonly layers: readonly Buffer[];
  readonly history: readonly string[];
  /** The same layers as an OCI layout or Docker 25 archive, per the shape. */
  readonly archive: Buffer;
  /** The same layers as a legacy `docker save` archive (manifest.json first, one folder per layer). */
  readonly legacy: Buffer;
}

// A shared pool of names, so later layers overwrite earlier files and dive's wasted figures are not all zero.
const NAMES = ['etc/app.conf', 'usr/lib/libx.so', 'usr/bin/tool', 'var/cache/data.bin', 'opt/app/main.js', 'tmp/x'];

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

function content(random: () => number, size: number): Buffer {
  const bytes = Buffer.alloc(size);
  if (random() < 0.5) {
    // Incompressible: deflate output is then larger than its input, so decoders get big bursts.
    fillNoise(random, bytes);
  } else {
    // Highly compressible: a tiny blob that expands to a lot of tar, the other way to stress back-pressure.
    bytes.fill(pick(random, [0x00, 0x41, 0x7a]));
  }
  return bytes;
}

/** Bytes deflate cannot shrink, from a seed. */
export function noise(seed: number, size: number): Buffer {
  const bytes = Buffer.alloc(size);
  fillNoise(prng(seed), bytes);
  return bytes;
}

// Four bytes per draw: the generator's cost is mostly here.
function fillNoise(random: () => number, bytes: Buffer): void {
  let i = 0;
  for (; i + 4 <= bytes.length; i += 4) bytes.writeUInt32LE(Math.floor(random() * 4294967296), i);
  for (; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256);
}

function sizeOf(random: () => number): number {
  const r = random();
  if (r < 0.15) return 0;
  if (r < 0.5) return Math.floor(random() * 2048);
  if (r < 0.85) return Math.floor(random() * 65536);
  return Math.floor(random() * 400_000);
}

async function randomLayer(random: () => number, index: number): Promise<Buffer> {
  const mtime = new Date(1_700_000_000_000);
  const files: { header: Headers; data?: Buffer }[] = [];
  const count = 1 + Math.floor(random() * 6);
  const used = new Set<string>();
  for (let i = 0; i < count; i++) {
    const name = random() < 0.6 ? pick(random, NAMES) : `layer${index}/file${i}.dat`;
    if (used.has(name)) continue;
    used.add(name);
    files.push({ header: { name, type: 'file', mode: 0o644, mtime }, data: content(random, sizeOf(random)) });
  }
  if (random() < 0.2) files.push({ header: { name: `layer${index}/dir/`, type: 'directory', mode: 0o755, mtime } });
  return packTar(files);
}

/** zstd through the Debian `zstd` tool: Node 20 has no zstd encoder, and a real encoder's frames are the point. */
export function zstdCompress(bytes: Buffer): Buffer {
  return execFileSync('zstd', ['-q', '-c', '-1', '--no-progress'], { input: bytes, maxBuffer: 1 << 28 });
}

function compress(bytes: Buffer, compression: Compression): Buffer {
  // Level 1: the fastest to make; what the reader sees (a deflate stream) is the same kind at any level.
  if (compression === 'gzip') return gzipSync(bytes, { level: 1 });
  if (compression === 'zstd') return zstdCompress(bytes);
  return bytes;
}

const MEDIA: Record<Compression, string> = {
  gzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  zstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
  none: 'application/vnd.oci.image.layer.v1.tar',
};

function shuffle<T>(random: () => number, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

/** Draws an archive shape and builds its bytes both ways. */
export async function generateImage(seed: number): Promise<GeneratedImage> {
  const random = prng(seed);
  const layerCount = 1 + Math.floor(random() * 6);
  const layout: Layout = random() < 0.5 ? 'oci-index' : 'docker25';
  const shape: ArchiveShape = {
    seed,
    layerCount,
    // Docker 25 writes its layers uncompressed; other tools (skopeo, buildx, podman) compress them.
    compressions: Array.from({ length: layerCount }, () =>
      layout === 'docker25' && random() < 0.5 ? 'none' : pick(random, ['gzip', 'zstd', 'none'] as const),
    ),
    blobOrder: random() < 0.5 ? 'digest' : 'shuffled',
    indexFirst: random() < 0.5,
    layout,
    chunkSize: pick(random, [512, 4096, 65536, 1 << 20]) + Math.floor(random() * 1000),
  };
  const layers: Buffer[] = [];
  for (let i = 0; i < layerCount; i++) layers.push(await randomLayer(random, i));
  const history = layers.map((_, i) => `/bin/sh -c #(nop) ADD layer ${i}`);
  const blobs = layers.map((layer, i) => compress(layer, shape.compressions[i] as Compression));
  return {
    shape,
    layers,
    history,
    archive: await layoutArchive(random, shape, layers, blobs, history),
    legacy: await legacyArchive(layers, history),
  };
}

async function layoutArchive(
  random: () => number,
  shape: ArchiveShape,
  layers: readonly Buffer[],
  blobs: readonly Buffer[],
  history: readonly string[],
): Promise<Buffer> {
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      history: history.map((createdBy) => ({ created_by: createdBy })),
      rootfs: { type: 'layers', diff_ids: layers.map((layer) => sha256(layer)) },
    }),
  );
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(config), size: config.length },
      layers: blobs.map((blob, i) => ({
        mediaType: MEDIA[shape.compressions[i] as Compression],
        digest: sha256(blob),
        size: blob.length,
      })),
    }),
  );
  const index = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [
      {
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        digest: sha256(manifest),
        size: manifest.length,
        annotations: { 'io.containerd.image.name': 'docker.io/library/generated:latest' },
      },
    ],
  });
  const blobPath = (bytes: Buffer): string => `blobs/sha256/${sha256(bytes).slice(7)}`;
  // The same blob twice (two identical layers) is stored once, as content addressing does.
  const unique = new Map<string, Buffer>();
  for (const bytes of [...blobs, config, manifest]) unique.set(blobPath(bytes), bytes);
  let entries = [...unique].map(([name, data]) => ({ header: { name } as Headers, data }));
  entries =
    shape.blobOrder === 'digest'
      ? entries.sort((a, b) => (a.header.name < b.header.name ? -1 : 1))
      : shuffle(random, entries);
  const meta: { header: Headers; data: Buffer }[] = [
    { header: { name: 'oci-layout' }, data: Buffer.from('{"imageLayoutVersion":"1.0.0"}') },
    { header: { name: 'index.json' }, data: Buffer.from(index) },
  ];
  if (shape.layout === 'docker25') {
    // Docker 25+: an OCI layout plus the old manifest.json, whose paths point into blobs/.
    const docker = [{ Config: blobPath(config), RepoTags: ['generated:latest'], Layers: blobs.map(blobPath) }];
    meta.push({ header: { name: 'manifest.json' }, data: Buffer.from(JSON.stringify(docker)) });
  }
  const dirs = [
    { header: { name: 'blobs/', type: 'directory' } as Headers },
    { header: { name: 'blobs/sha256/', type: 'directory' } as Headers },
  ];
  return packTar(shape.indexFirst ? [...meta, ...dirs, ...entries] : [...dirs, ...entries, ...meta]);
}
