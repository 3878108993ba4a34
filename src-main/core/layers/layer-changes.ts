import type { LayerFileTree } from './layer-file-tree';

/** How many files (not folders) one layer added, modified and removed, for the layer list. */
export interface LayerChangeCounts {
  readonly index: number;
  readonly added: number;
  readonly modified: number;
  readonly removed: number;
}

/** Change counts of every layer against the layer below (one pass over the tree per layer). */
export function summarizeLayerChanges(tree: LayerFileTree): LayerChangeCounts[] {
  const counts: LayerChangeCounts[] = [];
  for (let index = 0; index < tree.layerCount; index++) {
    counts.push({ index, ...tree.snapshot(index).counts });
  }
  return counts;
}
