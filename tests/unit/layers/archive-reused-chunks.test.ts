import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeImage, type AnalyzedImage } from '../../../src-main/core/layers/image-analysis';
import { chunked, diveArchivePath, gzip, layerTar, legacyArchive } from './archive-helpers';
import { generateImage } from './archive-generator';

/**
 * A source that reuses one buffer for every chunk, as the CLI's file reader does: a chunk's memory is
 * scribbled over and refilled as soon as the next chunk is asked for. Whatever the reader keeps past that
 * (a decoder's input, a PAX record spanning two chunks, a blob's first bytes) must have been copied.
 */
async function* reusing(bytes: Buffer, size: number): AsyncGenerator<Uint8Array> {
  const buffer = Buffer.alloc(size);
  for (let offset = 0; offset < bytes.length; offset += size) {
    buffer.fill(0xa5);
    const n = bytes.copy(buffer, 0, offset, offset + size);
    yield buffer.subarray(0, n);
  }
}

/** Everything the reader produced: the figures and every entry of every layer, content digests included. */
function everything(image: AnalyzedImage) {
  const { analysis, tree } = image;
  return {
    efficiency: analysis.efficiency,
    wastedBytes: analysis.wastedBytes,
    reclaimableBytes: analysis.reclaimableBytes,
    inefficientFiles: analysis.inefficientFiles,
    layers: analysis.layers.map((layer) => ({ id: layer.id, sizeBytes: layer.sizeBytes, fileCount: layer.fileCount })),
    entries: tree.entries,
  };
}

describe('a source that reuses its chunk buffer', () => {
  it('reads generated archives (gzip, zstd and plain layers) to what fresh chunks give, digests included', async () => {
    let compressed = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const image = await generateImage(seed);
      const size = image.shape.chunkSize;
      const fresh = everything(await analyzeImage(chunked(image.archive, size)));
      const reused = everything(await analyzeImage(reusing(image.archive, size)));
      expect(reused, `seed ${seed} ${JSON.stringify(image.shape)}`).toEqual(fresh);
      expect(fresh.entries.some((e) => e.kind === 'file' && e.contentDigest !== undefined)).toBe(true);
      compressed += image.shape.compressions.filter((c) => c !== 'none').length;
    }
    expect(compressed).toBeGreaterThan(0);
  }, 120_000);

  it('reads a whole-archive gzip and PAX records cut across chunks alike', async () => {
    const longName = `usr/share/${'a-long-file-name-'.repeat(12)}.txt`; // no ustar split: a PAX record
    const layer = await layerTar([
      { file: longName, content: 'long' },
      { file: 'etc/conf', content: 'x'.repeat(3000) },
    ]);
    const archives = [await legacyArchive([layer], ['COPY . /']), readFileSync(diveArchivePath)];
    for (const archive of [...archives, ...archives.map(gzip)]) {
      for (const size of archive.length < 100_000 ? [7, 509, 4096] : [509, 65_536]) {
        const fresh = everything(await analyzeImage(chunked(archive, size)));
        expect(everything(await analyzeImage(reusing(archive, size))), `chunks of ${size}`).toEqual(fresh);
      }
    }
  }, 120_000);
});
