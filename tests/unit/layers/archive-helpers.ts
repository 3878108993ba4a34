import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';
import type { Header } from 'tar-stream';

/** What tar-stream's pack.entry takes: a name and any other header fields. */
export type Headers = Partial<Header> & Pick<Header, 'name'>;

/** The dive conformance data (kept with its MIT licence). */
export const diveDir = path.resolve(process.cwd(), 'tests/fixtures/conformance/dive');
export const diveArchivePath = path.join(diveDir, 'test-docker-image.tar');
export const fixturesDir = path.resolve(process.cwd(), 'tests/fixtures/layers');

export interface TarFile {
  readonly header: Header;
  readonly data: Buffer;
}

/** Reads a whole tar (test-sized) into memory with tar-stream, an independent reader. */
export async function readTar(bytes: Buffer): Promise<TarFile[]> {
  const extract = tar.extract();
  const files: TarFile[] = [];
  const done = (async () => {
    for await (const entry of extract) {
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      files.push({ header: entry.header, data: Buffer.concat(chunks) });
    }
  })();
  extract.end(bytes);
  await done;
  return files;
}

/** Writes a tar with tar-stream (PAX headers for long names, as Go writers use). */
export async function packTar(files: readonly { header: Headers; data?: Buffer | string }[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const collected = (async () => {
    for await (const chunk of pack) chunks.push(chunk as Buffer);
  })();
  for (const file of files) {
    await new Promise<void>((resolve, reject) => {
      pack.entry(file.header, file.data ?? Buffer.alloc(0), (error) => (error ? reject(error) : resolve()));
    });
  }
  pack.finalize();
  await collected;
  return Buffer.concat(chunks);
}

/** A short way to describe a layer's entries in tests. */
export type LayerSpec =
  | { readonly file: string; readonly content?: string; readonly mode?: number; readonly uid?: number }
  | { readonly dir: string; readonly mode?: number }
  | { readonly symlink: string; readonly target: string }
  | { readonly hardlink: string; readonly target: string };

/** Builds an uncompressed layer tar from a spec (paths without a leading slash, like Docker writes them). */
export function layerTar(spec: readonly LayerSpec[]): Promise<Buffer> {
  const mtime = new Date(1_700_000_000_000);
  return packTar(
    spec.map((item) => {
      if ('file' in item) {
        return {
          header: { name: item.file, type: 'file', mode: item.mode ?? 0o644, uid: item.uid ?? 0, gid: 0, mtime },
          data: item.content ?? '',
        };
      }
      if ('dir' in item)
        return { header: { name: `${item.dir}/`, type: 'directory', mode: item.mode ?? 0o755, mtime } };
      if ('symlink' in item) {
        return { header: { name: item.symlink, type: 'symlink', linkname: item.target, mode: 0o777, mtime } };
      }
      return { header: { name: item.hardlink, type: 'link', linkname: item.target, mode: 0o644, mtime } };
    }),
  );
}

export function sha256(bytes: Buffer | Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** Builds a legacy `docker save` archive: manifest.json first, as Docker 20 writes it. */
export async function legacyArchive(layers: readonly Buffer[], history: readonly string[]): Promise<Buffer> {
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      history: history.map((createdBy) => ({ created_by: createdBy })),
      rootfs: { type: 'layers', diff_ids: layers.map((layer) => sha256(layer)) },
    }),
  );
  const configName = `${sha256(config).slice(7)}.json`;
  const layerNames = layers.map((layer) => `${sha256(layer).slice(7)}/layer.tar`);
  const manifest = [{ Config: configName, RepoTags: ['synthetic:latest'], Layers: layerNames }];
  return packTar([
    { header: { name: 'manifest.json' }, data: JSON.stringify(manifest) },
    { header: { name: configName }, data: config },
    ...layers.map((layer, i) => ({ header: { name: layerNames[i] as string }, data: layer })),
  ]);
}

export interface OciLayer {
  readonly blob: Buffer;
  readonly mediaType: string;
}

/**
 * Builds an OCI image layout archive with the blobs first and index.json last, the order that makes a
 * streaming reader meet layers before it knows the manifest.
 */
export async function ociArchive(options: {
  readonly config: Buffer;
  readonly layers: readonly OciLayer[];
  readonly refName?: string;
}): Promise<Buffer> {
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: {
        mediaType: 'application/vnd.oci.image.config.v1+json',
        digest: sha256(options.config),
        size: options.config.length,
      },
      layers: options.layers.map((layer) => ({
        mediaType: layer.mediaType,
        digest: sha256(layer.blob),
        size: layer.blob.length,
      })),
    }),
  );
  const index = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [
      {
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        digest: sha256(manifest),
        size: manifest.length,
        annotations: {
          'io.containerd.image.name': options.refName ?? 'docker.io/library/oci-test:latest',
          'org.opencontainers.image.ref.name': 'latest',
        },
      },
    ],
  };
  const blob = (bytes: Buffer) => ({ header: { name: `blobs/sha256/${sha256(bytes).slice(7)}` }, data: bytes });
  return packTar([
    { header: { name: 'blobs/', type: 'directory' } },
    { header: { name: 'blobs/sha256/', type: 'directory' } },
    ...options.layers.map((layer) => blob(layer.blob)),
    blob(options.config),
    blob(manifest),
    { header: { name: 'oci-layout' }, data: '{"imageLayoutVersion":"1.0.0"}' },
    { header: { name: 'index.json' }, data: JSON.stringify(index) },
  ]);
}

/** The archive as a stream of fixed-size chunks, to exercise every header and magic-number boundary. */
export function chunked(bytes: Buffer, size: number): Readable {
  return Readable.from(
    (function* () {
      for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
    })(),
  );
}

export function gzip(bytes: Buffer): Buffer {
  return gzipSync(bytes);
}

export function readDiveExpected(): DiveExpected {
  return JSON.parse(readFileSync(path.join(diveDir, 'expected.json'), 'utf8')) as DiveExpected;
}

export interface DiveExpected {
  sha256: string;
  efficiency: number;
  sizeBytes: number;
  userSizeBytes: number;
  wastedBytes: number;
  wastedUserPercent: number;
  layerCount: number;
  fileCount: number;
  layers: { index: number; sizeBytes: number; treeNodes: number }[];
  inefficientFiles: { path: string; count: number; wastedBytes: number }[];
  synthetic: Record<
    string,
    { layers: [string, number][][]; efficiency: number; inefficientFiles: { path: string; cumulativeBytes: number }[] }
  >;
  ciRules: {
    cases: { lowestEfficiency: string; highestWastedBytes: string; highestUserWastedPercent: string; pass: boolean }[];
    invalid: { lowestEfficiency?: string; highestWastedBytes?: string; highestUserWastedPercent?: string }[];
  };
}

/** A ustar header written byte by byte, so a name can hold bytes that are not UTF-8. */
export function ustarHeader(name: Uint8Array, size: number, typeflag = '0', pax?: Buffer): Buffer {
  const block = Buffer.alloc(512);
  Buffer.from(name).copy(block, 0);
  block.write('0000644\0', 100, 'latin1');
  block.write('0000000\0', 108, 'latin1');
  block.write('0000000\0', 116, 'latin1');
  block.write(`${size.toString(8).padStart(11, '0')}\0`, 124, 'latin1');
  block.write('14540000000\0', 136, 'latin1');
  block.write(typeflag, 156, 'latin1');
  block.write('ustar\0', 257, 'latin1');
  block.write('00', 263, 'latin1');
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return pax ? Buffer.concat([block, pax, Buffer.alloc((512 - (pax.length % 512)) % 512)]) : block;
}
