import type Docker from 'dockerode';
import { containersByImage } from './image-containers';
import { shortId } from '$shared/images/format';
import { normalizeImageId, normalizeImageInfo } from './image-id';
import { engineFailure } from './image-errors';
import { childrenByParent, tagsOf } from './image-family';
import { imageHistory } from './image-history';
import { chainIds } from './layer-chain';
import { familiarName, familiarNames } from '$shared/images/reference';

/** A dangling image the prune would delete. */
export interface PruneCandidate {
  imageId: string;
  shortId: string;
  created: number;
  size: number;
  repoDigests: string[];
  labels: Record<string, string>;
  /** Set when this image goes only because it is the untagged parent of images that go. */
  parentOf?: string[];
}

export interface PrunePlan {
  images: PruneCandidate[];
  /** Bytes freed: layers that no remaining image uses. */
  reclaimableBytes: number;
  /** Newest candidate's creation time (Unix seconds): the prune is bounded by it. */
  until: number;
  /** Dangling images a prune leaves because containers use them (as the engine does), with those containers. */
  inUse: Array<{ imageId: string; shortId: string; containers: string[] }>;
}

export interface PruneOptions {
  /** Only images with these labels (`key` or `key=value`), like `docker image prune --filter label=...`. */
  labels?: string[];
  signal?: AbortSignal;
}

const INSPECT_CONCURRENCY = 8;

function hasLabels(labels: Record<string, string> | null | undefined, wanted: readonly string[]): boolean {
  return wanted.every((w) => {
    const eq = w.indexOf('=');
    if (eq < 0) return labels?.[w] !== undefined;
    return labels?.[w.slice(0, eq)] === w.slice(eq + 1);
  });
}

async function forEachLimited<T>(items: readonly T[], fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(INSPECT_CONCURRENCY, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

/**
 * What `docker image prune` (dangling only) would delete: untagged images nothing is built on and no
 * container uses, and the space that frees (their layers no other image shares). Mirrors the engine's
 * ImagesPrune selection so the list shown is the list deleted.
 */
export async function planPrune(docker: Docker, options: PruneOptions = {}): Promise<PrunePlan> {
  let all: Docker.ImageInfo[];
  try {
    all = (await docker.listImages({ all: true })).map(normalizeImageInfo);
  } catch (err) {
    throw engineFailure(err, 'Could not list images');
  }
  const used = await containersByImage(docker, options.signal ? { signal: options.signal } : {});
  const byId = new Map(all.map((image) => [image.Id, image]));
  const children = childrenByParent(all);
  const digestsOf = (image: Docker.ImageInfo) => familiarNames(image.RepoDigests).filter((d) => d !== '<none>@<none>');
  const heads = all.filter(
    (image) =>
      tagsOf(image).length === 0 &&
      !children.has(image.Id) &&
      !used.has(image.Id) &&
      hasLabels(image.Labels, options.labels ?? []),
  );
  const inUse = all
    .filter(
      (image) => tagsOf(image).length === 0 && used.has(image.Id) && hasLabels(image.Labels, options.labels ?? []),
    )
    .map((image) => ({
      imageId: image.Id,
      shortId: shortId(image.Id),
      containers: (used.get(image.Id) ?? []).map((c) => c.name || c.shortId),
    }));
  if (heads.length === 0) return { images: [], reclaimableBytes: 0, until: 0, inUse };

  // The engine deletes with prune=true: an untagged parent nothing else uses goes with its last child
  // (whatever its labels or age), and so on up the chain.
  const going = new Map<string, string[] | undefined>(heads.map((image) => [image.Id, undefined]));
  for (let frontier = heads; frontier.length > 0;) {
    const next: Docker.ImageInfo[] = [];
    for (const image of frontier) {
      const parent = byId.get(image.ParentId);
      if (!parent || going.has(parent.Id)) continue;
      if (tagsOf(parent).length > 0 || digestsOf(parent).length > 0 || used.has(parent.Id)) continue;
      const siblings = (children.get(parent.Id) ?? []).map((child) => child.Id);
      if (!siblings.every((id) => going.has(id))) continue;
      going.set(parent.Id, siblings);
      next.push(parent);
    }
    frontier = next;
  }
  const candidates = [...going.keys()].map((id) => byId.get(id)!);

  const freed = await freedLayers(docker, all, new Set(going.keys()), options.signal);
  return {
    images: candidates.map((image) => ({
      imageId: image.Id,
      shortId: shortId(image.Id),
      created: image.Created,
      size: image.Size,
      repoDigests: digestsOf(image),
      labels: image.Labels ?? {},
      ...(going.get(image.Id) ? { parentOf: going.get(image.Id) } : {}),
    })),
    reclaimableBytes: [...freed.values()].reduce((sum, layer) => sum + layer.size, 0),
    until: Math.max(...heads.map((c) => c.Created)),
    inUse,
  };
}

export interface PruneResult {
  /** Image IDs deleted. */
  deletedImages: string[];
  /** Layers (chain IDs) deleted with them. */
  deletedLayers: string[];
  untagged: string[];
  spaceReclaimed: number;
  /** Images deleted that the plan did not list (they became dangling after it was made). */
  unplanned: string[];
}

/** What a prune is held to: the plan's images and its time bound (the renderer sends these back). */
export interface PruneBounds {
  until: number;
  images: ReadonlyArray<Pick<PruneCandidate, 'imageId'>>;
}

/**
 * The layers (by chain ID) that only the `going` images use, with their sizes and the images holding them:
 * what deleting those images frees.
 */
async function freedLayers(
  docker: Docker,
  all: readonly Docker.ImageInfo[],
  going: ReadonlySet<string>,
  signal: AbortSignal | undefined,
): Promise<Map<string, { size: number; owners: string[] }>> {
  const kept = new Set<string>();
  await forEachLimited(
    all.filter((image) => !going.has(image.Id)),
    async (image) => {
      const info = await docker
        .getImage(image.Id)
        .inspect()
        .catch(() => undefined);
      for (const chain of chainIds(info?.RootFS?.Layers ?? [])) kept.add(chain);
    },
  );
  const freed = new Map<string, { size: number; owners: string[] }>();
  await forEachLimited(
    all.filter((image) => going.has(image.Id)),
    async (image) => {
      const history = await imageHistory(docker, { image: image.Id, strategy: 'auto', ...(signal ? { signal } : {}) });
      const chains = chainIds(history.layers.map((l) => l.diffId));
      history.layers.forEach((layer, i) => {
        const chain = chains[i]!;
        if (kept.has(chain)) return;
        const entry = freed.get(chain) ?? { size: layer.size, owners: [] };
        entry.owners.push(image.Id);
        freed.set(chain, entry);
      });
    },
  );
  return freed;
}

/**
 * Delete dangling images, as `docker image prune`, bounded to what the plan showed: images created
 * after the plan's newest candidate are left alone (the engine's `until` filter).
 */
export async function pruneImages(
  docker: Docker,
  options: PruneOptions & {
    plan: PruneBounds;
    /**
     * Podman reports as reclaimed the whole size of every image it pruned, base layers it kept counted again,
     * and names no deleted layers: there the app measures what the prune frees itself, as the plan does.
     */
    engine?: 'docker' | 'podman';
  },
): Promise<PruneResult> {
  const empty: PruneResult = { deletedImages: [], deletedLayers: [], untagged: [], spaceReclaimed: 0, unplanned: [] };
  if (options.plan.images.length === 0) return empty;
  const filters: Record<string, string[]> = {
    dangling: ['true'],
    until: [String(options.plan.until + 1)],
    ...(options.labels?.length ? { label: options.labels } : {}),
  };
  let report: Docker.PruneImagesInfo;
  let imageIds: Set<string>;
  let measured: Map<string, { size: number; owners: string[] }> | undefined;
  try {
    // The engine reports deleted images and deleted layers alike as `Deleted`; knowing the image IDs
    // beforehand tells them apart.
    const all = (await docker.listImages({ all: true })).map(normalizeImageInfo);
    imageIds = new Set(all.map((image) => image.Id));
    if (options.engine === 'podman') {
      const planned = new Set(options.plan.images.map((i) => normalizeImageId(i.imageId)));
      measured = await freedLayers(docker, all, planned, options.signal);
    }
    report = await docker.pruneImages({ filters, ...(options.signal ? { abortSignal: options.signal } : {}) });
  } catch (err) {
    throw engineFailure(err, 'Could not prune dangling images');
  }
  const records = report.ImagesDeleted ?? [];
  const deleted = records.filter((r) => r.Deleted).map((r) => normalizeImageId(r.Deleted));
  const planned = new Set(options.plan.images.map((i) => i.imageId));
  const deletedImages = deleted.filter((id) => imageIds.has(id));
  const gone = new Set(deletedImages);
  const freedChains = measured
    ? [...measured.entries()].filter(([, layer]) => layer.owners.every((owner) => gone.has(owner)))
    : undefined;
  return {
    deletedImages,
    deletedLayers: freedChains ? freedChains.map(([chain]) => chain) : deleted.filter((id) => !imageIds.has(id)),
    untagged: records.filter((r) => r.Untagged).map((r) => familiarName(r.Untagged)),
    spaceReclaimed: freedChains
      ? freedChains.reduce((sum, [, layer]) => sum + layer.size, 0)
      : (report.SpaceReclaimed ?? 0),
    unplanned: deletedImages.filter((id) => !planned.has(id)),
  };
}
