import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ArchiveFile, skimArchive } from '../../../src-main/core/layers/archive-file';
import { TarHeaderParser } from '../../../src-main/core/layers/tar-header-parser';
import { readImageArchive } from '../../../src-main/core/layers/image-archive-reader';
import type { ImageArchive, ReadProgress } from '../../../src-main/core/layers/image-archive-reader';
import { chunked, gzip, layerTar, legacyArchive } from './archive-helpers';
import { generateImage } from './archive-generator';

// A regular file nobody hashes is read by its headers alone (file bodies are skipped by position); these
// check that this gives what reading every byte gives, and fails where reading every byte fails.

const dir = mkdtempSync(path.join(tmpdir(), 'strata-archive-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

function fileWith(bytes: Buffer): ArchiveFile {
  const file = path.join(dir, `archive-${++files}.tar`);
  writeFileSync(file, bytes);
  return new ArchiveFile(file);
}

class CountingParser extends TarHeaderParser {
  pushed = 0;
  override push(chunk: Uint8Array): void {
    this.pushed += chunk.length;
    super.push(chunk);
  }
}

function contents(archive: ImageArchive) {
  return {
    layout: archive.layout,
    repoTags: archive.repoTags,
    configDigest: archive.configDigest,
    config: archive.config,
    layers: archive.layers,
    bytesRead: archive.bytesRead,
  };
}

describe('reading an archive file by its headers', () => {
  it('gives what reading every byte gives, for generated archives in every layout and compression', async () => {
    for (let seed = 1; seed <= 40; seed++) {
      const image = await generateImage(seed);
      const what = `seed ${seed} ${JSON.stringify(image.shape)}`;
      for (const bytes of [image.archive, image.legacy]) {
        const expected = await readImageArchive(chunked(bytes, 65_536), { contentDigest: false });
        const actual = await readImageArchive(fileWith(bytes), { contentDigest: false });
        expect(contents(actual), what).toEqual(contents(expected));
      }
    }
  }, 120_000);

  it('streams a compressed archive through whole, and hashes contents when asked', async () => {
    const image = await generateImage(3);
    for (const [bytes, contentDigest] of [
      [gzip(image.legacy), false],
      [image.legacy, true],
    ] as const) {
      const expected = await readImageArchive(chunked(bytes, 65_536), { contentDigest });
      const actual = await readImageArchive(fileWith(bytes), { contentDigest });
      expect(contents(actual)).toEqual(contents(expected));
    }
  });

  it('reports progress up to the file size', async () => {
    const image = await generateImage(7);
    const reports: ReadProgress[] = [];
    const archive = await readImageArchive(fileWith(image.legacy), {
      contentDigest: false,
      totalBytes: image.legacy.length,
      onProgress: (progress) => reports.push(progress),
    });
    expect(archive.bytesRead).toBe(image.legacy.length);
    expect(reports.at(-1)).toEqual({ bytesRead: image.legacy.length, totalBytes: image.legacy.length });
  });

  it('reads the headers of a layer and skips the file contents unread', async () => {
    const content = 'y'.repeat(300_000);
    const layer = await layerTar([
      { dir: 'data' },
      { file: 'data/one.bin', content },
      { file: 'data/two.bin', content },
      { file: 'data/three.txt', content: 'three' },
    ]);
    const headers: [string, number][] = [];
    const parser = new CountingParser({ onEntry: (header) => void headers.push([header.name, header.size]) });
    let gone = 0;
    await skimArchive(fileWith(layer), parser, { onBytes: (count) => (gone += count), settle: () => undefined });
    parser.end();
    expect(headers).toEqual([
      ['data/', 0],
      ['data/one.bin', 300_000],
      ['data/two.bin', 300_000],
      ['data/three.txt', 5],
    ]);
    expect(gone).toBe(layer.length);
    expect(parser.pushed).toBeLessThan(20_000);
  });

  it('fails on a file cut in the middle of a body it would skip, as reading every byte does', async () => {
    const big = 'x'.repeat(200_000);
    const layer = await layerTar([
      { dir: 'data' },
      { file: 'data/big.bin', content: big },
      { file: 'data/after.txt', content: 'after' },
    ]);
    const whole = await legacyArchive([layer], ['/bin/sh -c make-big']);
    const cut = whole.subarray(0, whole.indexOf(Buffer.from(big.slice(0, 1000))) + 100_000);
    await expect(readImageArchive(chunked(cut, 65_536), { contentDigest: false })).rejects.toThrow('truncated');
    await expect(readImageArchive(fileWith(cut), { contentDigest: false })).rejects.toThrow('truncated');
  });
});
