import type Docker from 'dockerode';
import { toStrataError } from '../engine/errors';
import { alignHistory, type RawHistoryEntry } from '../images/align-history';

/** One layer of an image, lowest first, with the history entry that made it. */
export interface ComparedLayer {
  diffId: string;
  size: number;
  createdBy: string;
  comment: string;
  /** True for layers the newer image has on top of the base. */
  added: boolean;
}

export interface ComparedImage {
  id: string;
  layers: ComparedLayer[];
  /** Sum of the layer sizes. */
  size: number;
}

export interface CommitComparison {
  base: ComparedImage;
  image: ComparedImage;
  /** How many layers the new image has on top of the base (a commit adds exactly one). */
  addedLayers: number;
  /** Bytes those layers hold. */
  addedSize: number;
  /** False when the new image does not start with the base's layers (not built on it). */
  sharesBase: boolean;
}

/** Compare a committed image with the image it was committed from, layer by layer. */
export async function compareCommit(
  docker: Docker,
  options: { baseImage: string; image: string },
): Promise<CommitComparison> {
  try {
    const [base, image] = await Promise.all([
      describeImage(docker, options.baseImage),
      describeImage(docker, options.image),
    ]);
    const shared = base.layers.length;
    const sharesBase =
      image.layers.length >= shared && base.layers.every((layer, i) => image.layers[i]?.diffId === layer.diffId);
    const layers = image.layers.map((layer, i) => ({ ...layer, added: !sharesBase || i >= shared }));
    const added = layers.filter((l) => l.added);
    return {
      base,
      image: { ...image, layers },
      addedLayers: added.length,
      addedSize: added.reduce((sum, l) => sum + l.size, 0),
      sharesBase,
    };
  } catch (err) {
    throw toStrataError(err);
  }
}

async function describeImage(docker: Docker, ref: string): Promise<ComparedImage> {
  const handle = docker.getImage(ref);
  const [info, history] = await Promise.all([
    handle.inspect(),
    handle.history() as Promise<
      Array<{ Id: string; Created: number; CreatedBy: string; Tags: string[] | null; Size: number; Comment: string }>
    >,
  ]);
  const diffIds = info.RootFS.Layers ?? [];
  const entries: RawHistoryEntry[] = [...history].reverse().map((h) => ({
    created: h.Created,
    createdBy: h.CreatedBy,
    comment: h.Comment,
    size: h.Size,
    tags: h.Tags ?? [],
    ...(h.Id && h.Id !== '<missing>' ? { imageId: h.Id } : {}),
  }));
  const aligned = alignHistory({ entries, diffIds });
  const layers = diffIds.map((diffId, index) => {
    const entry = aligned.entries.find((e) => e.layerIndex === index);
    return {
      diffId,
      size: entry?.size ?? 0,
      createdBy: entry?.createdBy ?? '',
      comment: entry?.comment ?? '',
      added: false,
    };
  });
  return { id: info.Id, layers, size: layers.reduce((sum, l) => sum + l.size, 0) };
}
