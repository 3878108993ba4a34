import type Docker from 'dockerode';
import { containersByImage } from './image-containers';
import { shortId } from '$shared/images/format';
import { normalizeImageInfo } from './image-id';
import { engineFailure } from './image-errors';
import { familiarNames } from '$shared/images/reference';
import { engineCountsLayers, layerDiskUse } from './disk-use';

/** One row of the image list: one per tag, as `docker images` prints them. */
export interface ImageRow {
  /** Unique row key (image ID + repository:tag). */
  key: string;
  /** Full image ID (sha256:...). Rows of one image share it: it groups the tags of one image. */
  imageId: string;
  shortId: string;
  /** `<none>` for a dangling image. */
  repository: string;
  /** `<none>` for a dangling image or a repository known only by digest. */
  tag: string;
  /** What to pass to the engine to address this row: repository:tag, repository@digest, or the ID. */
  reference: string;
  /** The image has no tag at all (`docker images --filter dangling=true`). */
  dangling: boolean;
  /** Unix seconds. */
  created: number;
  /** Bytes, as the engine reports Size. */
  size: number;
  /** Containers (running or not) created from this image. */
  containers: number;
  /**
   * How many tags the image has; > 1 means other rows show the same image. (Rows carry no per-image
   * lists: an image with 2,000 tags would repeat them in each of its 2,000 rows.)
   */
  tagCount: number;
}

export interface ImageList {
  rows: ImageRow[];
  /** Distinct images listed. */
  imageCount: number;
  /** Sum of the sizes of the distinct images (each counted once, shared layers included in each). */
  totalSize: number;
  /**
   * Disk the images' layers take, each layer once however many images share it: as the engine counts it
   * (`docker system df`), or as Strata adds it up from each image's layers where the engine reports none (Podman).
   * Undefined when neither could be had in time.
   */
  diskUse?: number;
  /** Who counted `diskUse`: the engine's `/system/df`, or Strata from the images' layers. */
  diskUseFrom?: 'engine' | 'layers';
  /**
   * The engine reported no layer figure (Podman's system df says 0B): ask `images.diskUse` for Strata's count,
   * which reads every image's layers and so is not waited for here.
   */
  diskUseToCount?: true;
}

function realTags(tags: readonly string[] | null | undefined): string[] {
  return familiarNames(tags).filter((t) => t !== '<none>:<none>');
}

function realDigests(digests: readonly string[] | null | undefined): string[] {
  return familiarNames(digests).filter((d) => d !== '<none>@<none>');
}

/** `repo:tag` → [repo, tag], splitting at the last ":" after the last "/" (registry ports have ":" too). */
export function splitRepoTag(repoTag: string): [string, string] {
  const slash = repoTag.lastIndexOf('/');
  const colon = repoTag.lastIndexOf(':');
  if (colon > slash) return [repoTag.slice(0, colon), repoTag.slice(colon + 1)];
  return [repoTag, '<none>'];
}

/** Turn the engine's image summaries into rows the way the docker CLI does (cli/command/formatter/image.go). */
export function imageRows(
  images: readonly Docker.ImageInfo[],
  containerCounts: ReadonlyMap<string, number>,
): ImageRow[] {
  const rows: ImageRow[] = [];
  for (const raw of images) {
    const image = normalizeImageInfo(raw);
    const repoTags = realTags(image.RepoTags);
    const repoDigests = realDigests(image.RepoDigests);
    const base = {
      imageId: image.Id,
      shortId: shortId(image.Id),
      created: image.Created,
      size: image.Size,
      containers: containerCounts.get(image.Id) ?? 0,
      tagCount: repoTags.length,
      dangling: repoTags.length === 0,
    };
    if (repoTags.length === 0 && repoDigests.length === 0) {
      rows.push({ ...base, key: `${image.Id}|<none>`, repository: '<none>', tag: '<none>', reference: image.Id });
      continue;
    }
    const taggedRepositories = new Set<string>();
    for (const repoTag of repoTags) {
      const [repository, tag] = splitRepoTag(repoTag);
      taggedRepositories.add(repository);
      rows.push({ ...base, key: `${image.Id}|${repoTag}`, repository, tag, reference: repoTag });
    }
    // A repository known only by digest still gets a row with tag <none>, as in `docker images`.
    for (const repoDigest of repoDigests) {
      const repository = repoDigest.slice(0, repoDigest.indexOf('@'));
      if (taggedRepositories.has(repository)) continue;
      taggedRepositories.add(repository);
      rows.push({ ...base, key: `${image.Id}|${repoDigest}`, repository, tag: '<none>', reference: repoDigest });
    }
  }
  return rows;
}

/** How long the image list waits for the engine's disk use figure before going without it. */
const DISK_USE_WAIT_MS = 3000;

function withinTime<T>(promise: Promise<T | undefined>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** List local images as rows (one per tag), with how many containers use each image. */
export async function listImages(
  docker: Docker,
  options: { all?: boolean; signal?: AbortSignal } = {},
): Promise<ImageList> {
  const signal = options.signal ? { abortSignal: options.signal } : {};
  const [images, byImage, df] = await Promise.all([
    docker.listImages({ all: options.all ?? false, ...signal }).catch((err: unknown) => {
      throw engineFailure(err, 'Could not list images');
    }),
    containersByImage(docker, options),
    // Disk use is a nicety: a list without it beats no list, or a list kept waiting (engines before API 1.42
    // measure every container's size for it).
    withinTime(
      (docker.df() as Promise<{ LayersSize?: number }>).catch(() => undefined),
      DISK_USE_WAIT_MS,
    ),
  ]);
  const counts = new Map<string, number>();
  for (const [imageId, containers] of byImage) counts.set(imageId, containers.length);
  const rows = imageRows(images, counts);
  const totalSize = images.reduce((sum, image) => sum + image.Size, 0);
  const disk: Pick<ImageList, 'diskUse' | 'diskUseFrom' | 'diskUseToCount'> = engineCountsLayers(
    df?.LayersSize,
    totalSize,
  )
    ? { diskUse: df!.LayersSize!, diskUseFrom: 'engine' }
    : df && totalSize > 0
      ? { diskUseToCount: true }
      : {};
  return { rows, imageCount: images.length, totalSize, ...disk };
}

/**
 * The disk the images' layers take, counted by Strata (with the images it counted, so a list read meanwhile can
 * tell whether the figure is its own) from each image's layers (each layer once), for an engine
 * whose `/system/df` does not count it (Podman). Undefined when an image could not be read.
 */
export async function countImageDiskUse(
  docker: Docker,
  options: { signal?: AbortSignal } = {},
): Promise<{ diskUse?: number; imageIds: string[] }> {
  const signal = options.signal ? { abortSignal: options.signal } : {};
  const images = await docker.listImages({ all: false, ...signal }).catch((err: unknown) => {
    throw engineFailure(err, 'Could not list images');
  });
  const imageIds = [...new Set(images.map((i) => normalizeImageInfo(i).Id))].sort();
  const diskUse = await layerDiskUse(docker, { imageIds, ...(options.signal ? { signal: options.signal } : {}) });
  return diskUse === undefined ? { imageIds } : { diskUse, imageIds };
}
