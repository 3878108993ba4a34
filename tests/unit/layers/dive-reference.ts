import { compareGoStrings } from '../../../src-shared/go/string-order';
import { goSort } from '../../../src-shared/go/sort';
import type { DiveEfficiency, DiveLayerInput } from '../../../src-main/core/layers/dive-efficiency';
import { META_WHITEOUT_PREFIX, WHITEOUT_PREFIX } from '../../../src-main/core/layers/image-path';
import type { LayerEntry } from '../../../src-main/core/layers/layer-entry';

/*
 * dive's efficiency computed the way dive itself does it: a tree of node objects per layer, stacked one onto
 * another (a close port of dive/filetree). Strata computed its figures with this until it moved to one table
 * of paths with flat arrays (src-main/core/layers/dive-efficiency.ts); it stays here as the model that the
 * faster code is checked against on generated layers.
 */

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
export function referenceDiveEfficiency(layers: readonly DiveLayerInput[]): DiveEfficiency {
  const byPath = new Map<string, PathData>();
  const inefficient: PathData[] = [];
  const layerTreeNodes: number[] = [];
  // dive stacks layers 0..n-1 onto a copy of layer 0 for every whiteout; keeping that stack as we go gives the
  // same tree at each step without rebuilding it. Layer trees are built one at a time to bound memory.
  // Layer 0's own tree becomes the stack (no copy): nothing reads it as a layer tree once it is visited, and
  // stacking a tree onto itself gives what stacking it onto its copy gives (a whiteout's target that comes
  // later in the walk is re-created from the same nodes either way).
  let lower: DiveTree | undefined;

  for (const layer of layers) {
    const tree = DiveTree.fromEntries(layer.entries);
    layerTreeNodes.push(tree.nodeCount);
    lower ??= tree;
    const stacked = lower;
    visitLeavesChildFirst(tree, (node, path) => {
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

/**
 * A node of dive's own file tree model (`dive/filetree`), kept separate from Strata's layer view because dive's
 * figures depend on its quirks: opaque markers are ignored, parents without a tar header carry no size and are
 * not directories, and re-adding a path keeps the old node's children.
 */
class DiveNode {
  children: Map<string, DiveNode> | undefined;
  size = 0;
  isDir = false;
  /** The path of the tar entry that set this node's data (the node's own path), to save building it again. */
  entryPath: string | undefined;
  /** Children in Go order, kept until the children change: each layer tree is walked twice. */
  sorted: DiveNode[] | undefined;

  constructor(
    readonly name: string,
    readonly parent: DiveNode | undefined,
  ) {}

  get isLeaf(): boolean {
    return this.children === undefined || this.children.size === 0;
  }

  get isWhiteout(): boolean {
    return this.name.startsWith(WHITEOUT_PREFIX);
  }

  /** Children in Go's sort.Strings order, as every dive traversal visits them. */
  sortedChildren(): DiveNode[] {
    if (!this.children) return [];
    this.sorted ??= [...this.children.values()].sort((a, b) => compareGoStrings(a.name, b.name));
    return this.sorted;
  }
}

function stripWhiteout(name: string): string {
  return name.startsWith(WHITEOUT_PREFIX) ? name.slice(WHITEOUT_PREFIX.length) : name;
}

/** dive's FileTree: a root plus the number of nodes ever added (its per-layer "tree size"). */
class DiveTree {
  root = new DiveNode('', undefined);
  nodeCount = 0;

  /** Builds one layer's tree from its entries in tar order. */
  static fromEntries(entries: readonly LayerEntry[]): DiveTree {
    const tree = new DiveTree();
    for (const entry of entries) tree.addPath(entry.path, entry.size, entry.kind === 'directory');
    return tree;
  }

  /** dive's AddPath: creates missing parents without data, stops at ".wh..wh." names, sets data on the last node. */
  addPath(path: string, size: number, isDir: boolean): void {
    // Walks the names between slashes without splitting the path (empty names are skipped, as dive does).
    let node = this.root;
    let last: DiveNode | undefined;
    const length = path.length;
    for (let start = 0; start < length;) {
      let end = path.indexOf('/', start);
      if (end === -1) end = length;
      if (end > start) {
        const name = start === 0 && end === length ? path : path.slice(start, end);
        let child = node.children?.get(name);
        if (!child) {
          if (name.startsWith(META_WHITEOUT_PREFIX)) return;
          child = new DiveNode(name, node);
          node.children ??= new Map();
          node.children.set(name, child);
          node.sorted = undefined;
          this.nodeCount++;
        }
        node = child;
        last = child;
      }
      start = end + 1;
    }
    if (last) {
      last.size = size;
      last.isDir = isDir;
      last.entryPath = path;
    }
  }

  getNode(path: string): DiveNode | undefined {
    let node: DiveNode | undefined = this.root;
    for (const name of path.split('/')) {
      if (name === '') continue;
      node = node.children?.get(name);
      if (!node) return undefined;
    }
    return node;
  }

  /**
   * dive's Stack: whiteouts remove their target, every other node (header or not) is added over the lower tree.
   * Walks both trees together instead of re-resolving each path from the root, in dive's visiting order.
   */
  stack(upper: DiveTree): void {
    stackChildren(upper.root, this.root);
  }
}

function stackChildren(upper: DiveNode, lower: DiveNode): void {
  for (const child of upper.sortedChildren()) {
    if (child.isWhiteout) {
      const target = lower.children?.get(stripWhiteout(child.name));
      if (target) {
        lower.children?.delete(target.name);
        lower.sorted = undefined;
      }
      continue;
    }
    let target = lower.children?.get(child.name);
    if (!target) {
      target = new DiveNode(child.name, lower);
      lower.children ??= new Map();
      lower.children.set(child.name, target);
      lower.sorted = undefined;
    }
    stackChildren(child, target);
    target.size = child.size;
    target.isDir = child.isDir;
  }
}

/**
 * Depth-first, children before parent, siblings in Go string order, root never visited: dive's
 * VisitDepthChildFirst. The visitor returns false to abort the walk, as a Go visitor returning an error does.
 */
function visitChildFirst(start: DiveNode, visit: (node: DiveNode) => boolean): boolean {
  for (const child of start.sortedChildren()) {
    if (!visitChildFirst(child, visit)) return false;
  }
  if (!start.parent) return true;
  return visit(start);
}

/**
 * The leaves of that walk (nodes without children), in the same order, each with its dive Path(): the path
 * of the entry that made it, built from its parents only for a leaf no entry named (rare).
 */
function visitLeavesChildFirst(tree: DiveTree, visit: (node: DiveNode, path: string) => boolean): boolean {
  return visitLeaves(tree.root, visit);
}

function visitLeaves(node: DiveNode, visit: (node: DiveNode, path: string) => boolean): boolean {
  for (const child of node.sortedChildren()) {
    if (child.children !== undefined && child.children.size > 0) {
      if (!visitLeaves(child, visit)) return false;
    } else if (!visit(child, divePath(child))) {
      return false;
    }
  }
  return true;
}

// dive's FileNode.Path(): the names from the root, with the whiteout prefix of the node's own name dropped.
function divePath(node: DiveNode): string {
  let path = node.entryPath;
  if (path === undefined) {
    path = '';
    for (let n: DiveNode | undefined = node; n?.parent; n = n.parent) path = `/${n.name}${path}`;
  }
  if (!node.name.startsWith(WHITEOUT_PREFIX)) return path;
  return path.slice(0, path.length - node.name.length) + node.name.slice(WHITEOUT_PREFIX.length);
}
