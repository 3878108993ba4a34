import type Docker from 'dockerode';
import { compareConfig } from './compare-config';
import type { ConfigFieldDiff } from './compare-config';
import { compareLayers } from './compare-layers';
import type { LayerComparison } from './compare-layers';
import { imageHistory } from './image-history';
import type { HistoryStrategy, ImageHistory } from './image-history';
import { inspectImage } from './inspect-image';
import type { ImageSummary } from './inspect-image';

export interface ImageComparison {
  a: { summary: ImageSummary; history: ImageHistory };
  b: { summary: ImageSummary; history: ImageHistory };
  layers: LayerComparison;
  config: ConfigFieldDiff[];
}

/**
 * Compare two images: their layers aligned by diff ID (the shared base, what each adds) and their
 * config side by side. Typical use: base image (A) against an image built or committed from it (B).
 */
export async function compareImages(
  docker: Docker,
  options: { a: string; b: string; strategy?: HistoryStrategy; signal?: AbortSignal },
): Promise<ImageComparison> {
  const historyOptions = {
    ...(options.strategy ? { strategy: options.strategy } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  };
  const [inspectA, inspectB, historyA, historyB] = await Promise.all([
    inspectImage(docker, { image: options.a }),
    inspectImage(docker, { image: options.b }),
    imageHistory(docker, { image: options.a, ...historyOptions }),
    imageHistory(docker, { image: options.b, ...historyOptions }),
  ]);
  return {
    a: { summary: inspectA.summary, history: historyA },
    b: { summary: inspectB.summary, history: historyB },
    layers: compareLayers(historyA, historyB),
    config: compareConfig(inspectA.summary, inspectB.summary),
  };
}
