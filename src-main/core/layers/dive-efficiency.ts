import { DiveTree, visitChildFirst, visitTreeChildFirst } from './dive-tree';
import { goSort } from '$shared/go/sort';
import type { LayerEntry } from './layer-entry';

/** A path dive saw in two or more layers, with every copy's bytes counted (the one still in use included). */
export interface InefficientFile {
  readonly path: string;
  readonly count: number;
  readonly wastedBytes: number;
}

/** dive's image figures, computed exactly as dive computes them. */
export interface DiveEfficiency {
  readonly efficiency: number;
  readonly sizeBytes: number;
  /** Σ layer sizes except layer 0: dive treats only the first layer as the base image. */
  readonly userSizeBytes: number;
  readonly wastedBytes: number;
  /** wastedBytes / userSizeBytes, NaN or Infinity when there are no user bytes (dive does not guard it either). */
  readonly wastedUserPercent: number;
  /** Largest first, as dive's CI report and export list them. */
  readonly inefficientFiles: readonly InefficientFile[];
  /** Nodes in each layer's own tree (dive's FileTree.Size). */
  readonly layerTreeNodes: readonly number[];
}

export interface DiveLayerInput {
  readonly entries: readonly LayerEntry[];
  /** Σ header sizes of the layer (dive's layer size). */
  readonly sizeBytes: number;
}

interface PathData {
  readonly path: string;
  cumulative: number;
  min: number;
  count: number;
}

/**
 * dive's `filetree.Efficiency` and `image.Analyze`: visit every leaf of every layer; a whiteout's size is the
 * size of what it hides when that was a directory (with a tar header), else 0; score = Σ min / Σ cumulative.
 */
export function computeDiveEfficiency(layers: readonly DiveLayerInput[]): DiveEfficiency {
  const byPath = new Map<string, PathData>();
  const inefficient: PathData[] = [];
  const layerTreeNodes: number[] = [];
  // dive stacks layers 0..n-1 onto a copy of layer 0 for every whiteout; keeping that stack as we go gives the
  // same tree at each step without rebuilding it. Layer trees are built one at a time to bound memory.
  let lower: DiveTree | undefined;

  for (const layer of layers) {
    const tree = DiveTree.fromEntries(layer.entries);
    layerTreeNodes.push(tree.nodeCount);
    lower ??= tree.copy();
    const stacked = lower;
    visitTreeChildFirst(tree, (node, path) => {
      if (!node.isLeaf) return true;
      let data = byPath.get(path);
      if (!data) {
        data = { path, cumulative: 0, min: -1, count: 0 };
        byPath.set(path, data);
      }
      let size = node.size;
      if (node.isWhiteout) {
        const hidden = stacked.getNode(path);
        // dive returns an error here, which abandons the rest of this layer and leaves min at -1 for the path.
        if (!hidden) return false;
        size = 0;
        if (hidden.isDir) {
          visitChildFirst(hidden, (under) => {
            size += under.size;
            return true;
          });
        }
      }
      data.cumulative += size;
      if (data.min < 0 || size < data.min) data.min = size;
      data.count++;
      if (data.count === 2) inefficient.push(data);
      return true;
    });
    stacked.stack(tree);
  }

  let minimum = 0;
  let discovered = 0;
  for (const data of byPath.values()) {
    minimum += data.min;
    discovered += data.cumulative;
  }
  const efficiency = discovered === 0 ? 1 : minimum / discovered;

  goSort(inefficient, (a, b) => a.cumulative < b.cumulative);
  const wastedBytes = inefficient.reduce((sum, data) => sum + data.cumulative, 0);
  const sizeBytes = layers.reduce((sum, layer) => sum + layer.sizeBytes, 0);
  const userSizeBytes = layers.reduce((sum, layer, index) => (index === 0 ? sum : sum + layer.sizeBytes), 0);

  return {
    efficiency,
    sizeBytes,
    userSizeBytes,
    wastedBytes,
    wastedUserPercent: wastedBytes / userSizeBytes,
    inefficientFiles: inefficient
      .map((data) => ({ path: data.path, count: data.count, wastedBytes: data.cumulative }))
      .reverse(),
    layerTreeNodes,
  };
}
