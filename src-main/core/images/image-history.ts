import type Docker from 'dockerode';
import { alignHistory } from './align-history';
import type { AlignedHistoryEntry, AlignmentResult, AlignmentSource, RawHistoryEntry } from './align-history';
import { readImageConfigFromSave } from './image-config-from-save';
import { engineFailure } from './image-errors';
import { normalizeImageId } from './image-id';

/** One entry of GET /images/{name}/history, newest first. */
interface EngineHistoryItem {
  Id: string;
  Created: number;
  CreatedBy: string;
  Tags: string[] | null;
  Size: number;
  Comment: string;
}

/** A layer of the image with the history entry that made it. */
export interface HistoryLayer {
  index: number;
  diffId: string;
  size: number;
  /** Index of the history entry that created it, when known. */
  entryIndex?: number;
}

export interface ImageHistory {
  imageId: string;
  /** Oldest first, each tied to its layer (or marked empty). */
  entries: AlignedHistoryEntry[];
  /** RootFS.Layers with sizes, lowest first. */
  layers: HistoryLayer[];
  /** The engine's image Size. */
  size: number;
  /** Σ layer sizes; equals `size` for a consistent image. */
  layerSizeSum: number;
  /** Every entry's layer/empty status is certain. */
  exact: boolean;
  /** Where the empty/non-empty decision came from. */
  source: AlignmentSource;
  problem?: string;
}

/**
 * The newest entry's comment. Podman's commit records Buildah's own "FROM <base>" there and keeps the commit's
 * message only in the image's Comment (Docker puts the message in both): a commit is then named by its message,
 * not by its base. Build steps (a Dockerfile instruction in created_by) keep their comment as it is.
 */
function commitMessage(item: EngineHistoryItem, imageComment: string | undefined): string {
  const comment = item.Comment ?? '';
  const buildStep = /#\(nop\)|^\/bin\/sh -c /.test(item.CreatedBy ?? '');
  if (imageComment && /^FROM \S+$/.test(comment) && !buildStep) return imageComment;
  return comment;
}

/**
 * How far to go to know which entries made layers:
 *   'auto'         history sizes, then local parent images, then the image config from `docker save` (default)
 *   'engine-only'  history sizes and local parent images, never read the archive
 *   'history'      history sizes and instruction kinds only
 *   'image-config' read the image config straight away (exact, costs part of a `docker save`)
 */
export type HistoryStrategy = 'auto' | 'engine-only' | 'history' | 'image-config';

const MISSING = '<missing>';
const INSPECT_CONCURRENCY = 8;

async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  });
  await Promise.all(workers);
  return results;
}

/** Layer counts after each entry whose step is still a local image (local builds and commits). */
async function parentAnchors(docker: Docker, entries: readonly RawHistoryEntry[]): Promise<Map<number, number>> {
  const indexed = entries.map((e, i) => ({ id: e.imageId, i })).filter((x): x is { id: string; i: number } => !!x.id);
  const counts = await mapLimited(indexed, INSPECT_CONCURRENCY, async ({ id }) => {
    try {
      const info = await docker.getImage(id).inspect();
      return info.RootFS?.Layers?.length;
    } catch {
      return undefined; // removed meanwhile: simply no anchor there
    }
  });
  const anchors = new Map<number, number>();
  indexed.forEach(({ i }, k) => {
    const count = counts[k];
    if (count !== undefined) anchors.set(i, count);
  });
  return anchors;
}

function layersOf(result: AlignmentResult, diffIds: readonly string[]): HistoryLayer[] {
  return diffIds.map((diffId, index) => {
    const entry = result.entries.find((e) => e.layerIndex === index);
    return { index, diffId, size: entry?.size ?? 0, ...(entry ? { entryIndex: entry.index } : {}) };
  });
}

/**
 * The image's history, oldest first, each entry tied to the layer it created (by diff ID) or marked
 * empty, with instructions cleaned and layer sizes summing to the image size.
 */
export async function imageHistory(
  docker: Docker,
  options: { image: string; strategy?: HistoryStrategy; signal?: AbortSignal },
): Promise<ImageHistory> {
  const strategy = options.strategy ?? 'auto';
  const image = docker.getImage(options.image);
  let inspect: Docker.ImageInspectInfo;
  let items: EngineHistoryItem[];
  try {
    [inspect, items] = await Promise.all([image.inspect(), image.history() as Promise<EngineHistoryItem[]>]);
  } catch (err) {
    throw engineFailure(err, `Could not read the history of image ${options.image}`);
  }
  const diffIds = inspect.RootFS?.Layers ?? [];
  const entries: RawHistoryEntry[] = [...items].reverse().map((item, i, all) => ({
    created: item.Created,
    createdBy: item.CreatedBy ?? '',
    comment: i === all.length - 1 ? commitMessage(item, inspect.Comment) : (item.Comment ?? ''),
    size: item.Size,
    tags: item.Tags ?? [],
    ...(item.Id && item.Id !== MISSING ? { imageId: normalizeImageId(item.Id) } : {}),
  }));

  let source: AlignmentSource = 'history';
  let result: AlignmentResult | undefined;
  if (strategy !== 'image-config') {
    result = alignHistory({ entries, diffIds });
    if (!result.exact && strategy !== 'history') {
      const anchors = await parentAnchors(docker, entries);
      if (anchors.size > 1) {
        const anchored = alignHistory({ entries, diffIds, anchors });
        if (!anchored.problem) {
          result = anchored;
          source = 'parent-images';
        }
      }
    }
  }
  if (!result || (!result.exact && (strategy === 'auto' || strategy === 'image-config'))) {
    const config = await readImageConfigFromSave(docker, {
      imageId: inspect.Id,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const flags = (config.history ?? []).map((h) => h.empty_layer === true);
    const fromConfig = alignHistory({ entries, diffIds, emptyLayerFlags: flags });
    if (!fromConfig.problem || !result) {
      result = fromConfig;
      source = 'image-config';
    }
  }
  const layers = layersOf(result, diffIds);
  return {
    imageId: normalizeImageId(inspect.Id),
    entries: result.entries,
    layers,
    size: inspect.Size,
    layerSizeSum: layers.reduce((sum, layer) => sum + layer.size, 0),
    exact: result.exact,
    source,
    ...(result.problem ? { problem: result.problem } : {}),
  };
}
