import type Docker from 'dockerode';
import { isNotFound } from './image-errors';
import { imageHistory } from './image-history';
import { chainIds } from './layer-chain';

const CONCURRENCY = 4;

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
  const sizes = new Map<string, number>();
  const ids = [...new Set(options.imageIds)];
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
          history.layers.forEach((layer, i) => sizes.set(chains[i]!, layer.size));
        } catch (err) {
          // An image removed since the list was read takes its layers along: it counts for nothing.
          if (!isNotFound(err) && (err as { code?: string }).code !== 'not-found') failed = true;
        }
      }
    }),
  );
  if (failed || options.signal?.aborted) return undefined;
  return [...sizes.values()].reduce((sum, size) => sum + size, 0);
}
