import { describe, expect, it } from 'vitest';
import { analyzeImage } from '../../../src-main/core/layers/image-analysis';
import type { AnalyzedImage } from '../../../src-main/core/layers/image-analysis';
import { chunked } from './archive-helpers';
import { generateImage } from './archive-generator';

// Seeds 1..N: a failure names its seed, and `generateImage(seed)` rebuilds that exact archive.
const ARCHIVES = 300;
// A read that is still waiting after this long is a hang (the bug this test exists for), not a slow read.
const HANG_MS = 30_000;

function figures(image: AnalyzedImage) {
  const { analysis } = image;
  return {
    efficiency: analysis.efficiency,
    sizeBytes: analysis.sizeBytes,
    userSizeBytes: analysis.userSizeBytes,
    wastedBytes: analysis.wastedBytes,
    wastedUserPercent: analysis.wastedUserPercent,
    inefficientFiles: analysis.inefficientFiles,
    reclaimableBytes: analysis.reclaimableBytes,
    fileCount: analysis.fileCount,
    layers: analysis.layers.map((layer) => ({
      id: layer.id,
      command: layer.command,
      sizeBytes: layer.sizeBytes,
      fileCount: layer.fileCount,
    })),
  };
}

function withinHangLimit<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: still reading after ${HANG_MS} ms (hung)`)), HANG_MS);
  });
  return Promise.race([work, hang]).finally(() => clearTimeout(timer));
}

describe('generated image archives', () => {
  it(`reads ${ARCHIVES} random archives to the same figures as the same layers in a legacy archive`, async () => {
    const counts = { generated: 0, read: 0, gzip: 0, zstd: 0, none: 0, docker25: 0, indexFirst: 0, digestOrder: 0 };
    for (let seed = 1; seed <= ARCHIVES; seed++) {
      const image = await generateImage(seed);
      counts.generated++;
      const { shape } = image;
      for (const compression of shape.compressions) counts[compression]++;
      if (shape.layout === 'docker25') counts.docker25++;
      if (shape.indexFirst) counts.indexFirst++;
      if (shape.blobOrder === 'digest') counts.digestOrder++;
      const what = `seed ${seed} ${JSON.stringify(shape)}`;
      const expected = figures(await withinHangLimit(analyzeImage(chunked(image.legacy, 1 << 20)), `${what} legacy`));
      const actual = figures(await withinHangLimit(analyzeImage(chunked(image.archive, shape.chunkSize)), what));
      expect(actual, what).toEqual(expected);
      expect(actual.layers).toHaveLength(shape.layerCount);
      counts.read++;
    }
    console.log(`generated image archives: ${JSON.stringify(counts)}`);
    expect(counts.read).toBe(ARCHIVES);
    // Every kind the generator can draw was drawn, so no branch went untested by chance.
    for (const key of ['gzip', 'zstd', 'none', 'docker25', 'indexFirst', 'digestOrder'] as const) {
      expect(counts[key], key).toBeGreaterThan(10);
    }
  }, 600_000);
});
