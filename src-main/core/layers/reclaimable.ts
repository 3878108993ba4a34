import type { LayerFileTree } from './layer-file-tree';

/** A path whose older copies still take space in lower layers although the image no longer uses them. */
export interface ReclaimableFile {
  readonly path: string;
  /** Copies that are shadowed by a later copy or deleted. */
  readonly copies: number;
  readonly bytes: number;
  /** False when the path is gone from the final image (every copy is dead weight). */
  readonly inFinalImage: boolean;
}

/** Bytes a user could actually get back: file copies that the final image does not use. */
export interface ReclaimableSummary {
  readonly reclaimableBytes: number;
  /** Per layer: bytes of that layer's files the final image does not use. */
  readonly layerReclaimableBytes: readonly number[];
  /** Largest first. */
  readonly files: readonly ReclaimableFile[];
}

/**
 * Unlike dive's wasted bytes, which count every copy of a repeated path (the one in use included) and
 * ignore deleted-once files, this counts exactly the copies that are shadowed or deleted.
 */
export function computeReclaimable(tree: LayerFileTree): ReclaimableSummary {
  const lastLayer = tree.layerCount - 1;
  const finalRef = new Map<number, number>();
  const byNode = new Map<number, { copies: number; bytes: number }>();
  const layerBytes = new Array<number>(tree.layerCount).fill(0);
  let total = 0;
  tree.entries.forEach((entry, id) => {
    if (entry.kind !== 'file') return;
    const node = tree.entryNode[id] ?? -1;
    if (node < 0) return;
    let final = finalRef.get(node);
    if (final === undefined) {
      final = lastLayer < 0 ? -1 : tree.refAt(node, lastLayer);
      finalRef.set(node, final);
    }
    if (final === id) return;
    const bucket = byNode.get(node) ?? { copies: 0, bytes: 0 };
    bucket.copies++;
    bucket.bytes += entry.size;
    byNode.set(node, bucket);
    const layer = tree.entryLayer[id] ?? 0;
    layerBytes[layer] = (layerBytes[layer] ?? 0) + entry.size;
    total += entry.size;
  });
  const files = [...byNode.entries()]
    .filter(([, bucket]) => bucket.bytes > 0)
    .map(([node, bucket]) => ({
      path: tree.nodePath[node] ?? '',
      copies: bucket.copies,
      bytes: bucket.bytes,
      inFinalImage: (finalRef.get(node) ?? -1) !== -1,
    }))
    .sort((a, b) => b.bytes - a.bytes || (a.path < b.path ? -1 : 1));
  return { reclaimableBytes: total, layerReclaimableBytes: layerBytes, files };
}
