import type Docker from 'dockerode';
import { isNotFound } from './image-errors';
import { imageHistory } from './image-history';
import { chainIds } from './layer-chain';

const CONCURRENCY = 4;

/** An image's layers never change: what each image holds (chain ID → size) is read once per client. */
const layersByImage = new WeakMap<Docker, Map<string, Array<[chain: string, size: number]>>>();

/**
 * The disk the images' layers take, each layer once however many images share it: what `docker system df`
 * reports as LayersSize. Podman's compat `/system/df` leaves LayersSize at 0 (and lists an image once per tag),
 * so there it is computed from each image's layers and the sizes its history gives them. Layers keyed by chain ID,
 * as the layer store keys them. Undefined when an image could not be read: a partial sum would understate.
 */
export async function layerDiskUse(
  docker: Docker,
  options: { imageIds: readonly string[]; signal?: AbortSignal },
): Promise<number | undefined> {
  let known = layersByImage.get(docker);
  if (!known) layersByImage.set(docker, (known = new Map()));
  const cache = known;
  const ids = [...new Set(options.imageIds)].filter((id) => !cache.has(id));
  let next = 0;
  let failed = false;
  await Promise.all(
    Array.from({ length: Math.min(CONCURRENCY, ids.length) }, async () => {
      while (next < ids.length && !failed && !options.signal?.aborted) {
        const id = ids[next++]!;
        try {
          const history = await imageHistory(docker, {
            image: id,
            strategy: 'history',
            ...(options.signal ? { signal: options.signal } : {}),
          });
          const chains = chainIds(history.layers.map((l) => l.diffId));
          cache.set(
            id,
            history.layers.map((layer, i) => [chains[i]!, layer.size]),
          );
        } catch (err) {
          // An image removed since the list was read takes its layers along: it counts for nothing.
          if (!isNotFound(err) && (err as { code?: string }).code !== 'not-found') failed = true;
        }
      }
    }),
  );
  if (failed || options.signal?.aborted) return undefined;
  const sizes = new Map<string, number>();
  for (const id of new Set(options.imageIds)) for (const [chain, size] of cache.get(id) ?? []) sizes.set(chain, size);
  return [...sizes.values()].reduce((sum, size) => sum + size, 0);
}

/** What `/system/df` answered for LayersSize; 0 beside images of any size means the engine does not count it. */
export function engineCountsLayers(layersSize: number | undefined, totalImageSize: number): boolean {
  return typeof layersSize === 'number' && (layersSize > 0 || totalImageSize === 0);
}
