import { describe, expect, it } from 'vitest';
import {
  analyzeImage,
  analyzeImageArchive,
  analyzeImageFigures,
  analyzeImageStream,
} from '../../../src-main/core/layers/image-analysis';
import type { ArchiveLayer, ImageArchive } from '../../../src-main/core/layers/image-archive-reader';
import { chunked } from './archive-helpers';
import { generateImage } from './archive-generator';
import { generateLayers } from './layer-generator';

// `strata analyze` works its figures out without the file tree the app keeps for the Files view (one table of
// paths for dive's figures and the overlay replay); both ways must give the same analysis, to the byte.

function archiveOf(seed: number): ImageArchive {
  const layers = generateLayers(seed).map((layer, index): ArchiveLayer => ({
    index,
    diffId: `sha256:${String(index).padStart(64, '0')}`,
    blobPath: `${index}/layer.tar`,
    compression: 'none',
    blobBytes: 0,
    sizeBytes: layer.sizeBytes,
    entries: layer.entries,
    historyIndex: index,
    createdBy: `/bin/sh -c step ${index}`,
    command: `step ${index}`,
  }));
  return {
    layout: 'docker',
    repoTags: ['generated:latest'],
    config: {
      history: layers.map((layer) => ({ createdBy: layer.createdBy, emptyLayer: false })),
      diffIds: layers.map((layer) => layer.diffId as string),
    },
    layers,
    bytesRead: 0,
  };
}

describe('the figures alone and the analysis the app keeps', () => {
  it('agree on 3000 generated images full of whiteouts, opaque folders and aufs metadata', () => {
    let reclaimable = 0;
    let opaque = 0;
    for (let seed = 1; seed <= 3000; seed++) {
      const archive = archiveOf(seed);
      const expected = analyzeImageArchive(archive).analysis;
      expect(analyzeImageFigures(archive), `seed ${seed}`).toEqual(expected);
      if (expected.reclaimableBytes > 0) reclaimable++;
      if (archive.layers.some((layer) => layer.entries.some((e) => e.path.endsWith('/.wh..wh..opq')))) opaque++;
    }
    // The generator did reach the cases the replay exists for.
    expect(reclaimable).toBeGreaterThan(1000);
    expect(opaque).toBeGreaterThan(1000);
  });

  it('agree when read from generated archives in every layout and compression', async () => {
    for (let seed = 1; seed <= 40; seed++) {
      const image = await generateImage(seed);
      const what = `seed ${seed} ${JSON.stringify(image.shape)}`;
      const app = await analyzeImage(chunked(image.archive, image.shape.chunkSize), { contentDigest: false });
      const cli = await analyzeImageStream(chunked(image.archive, image.shape.chunkSize), { contentDigest: false });
      expect(cli, what).toEqual(app.analysis);
    }
  }, 120_000);
});
