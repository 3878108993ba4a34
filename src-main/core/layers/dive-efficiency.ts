import { goSortData } from '$shared/go/sort';
import { compareGoStrings } from '$shared/go/string-order';
import type { LayerEntry } from './layer-entry';
import { PathTable } from './path-table';

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
  /** Absolute, clean paths, as the archive reader gives them. */
  readonly entries: readonly LayerEntry[];
  /** Σ header sizes of the layer (dive's layer size). */
  readonly sizeBytes: number;
}

/**
 * dive's `filetree.Efficiency` and `image.Analyze`: visit every leaf of every layer; a whiteout's size is the
 * size of what it hides when that was a directory (with a tar header), else 0; score = Σ min / Σ cumulative.
 *
 * dive builds a tree of node objects per layer and stacks them; here every tree is a set of ids in one table of
 * paths, with flat arrays for what dive keeps in nodes, and the walks follow dive's order (see DiveWalk). The
 * table may be shared with other computations over the same layers.
 */
export function computeDiveEfficiency(layers: readonly DiveLayerInput[], table = new PathTable()): DiveEfficiency {
  const layerNodes = layers.map((layer) => internEntries(table, layer.entries));
  const walk = new DiveWalk(table);
  const layerTreeNodes = layers.map((layer, index) =>
    walk.layer(index, layer.entries, layerNodes[index] as Int32Array),
  );
  const { efficiency, inefficientFiles, wastedBytes } = walk.figures();
  const sizeBytes = layers.reduce((sum, layer) => sum + layer.sizeBytes, 0);
  const userSizeBytes = layers.reduce((sum, layer, index) => (index === 0 ? sum : sum + layer.sizeBytes), 0);
  return {
    efficiency,
    sizeBytes,
    userSizeBytes,
    wastedBytes,
    wastedUserPercent: wastedBytes / userSizeBytes,
    inefficientFiles,
    layerTreeNodes,
  };
}

// A name dive's AddPath refuses to create (aufs metadata, opaque markers); it stops there, parents made.
const META_COMPONENT = '/.wh..wh.';
const WHITEOUT_PREFIX = '.wh.';

/**
 * dive's AddPath for each entry, as a node id: the entry's own node, or -1 - id of the deepest parent AddPath
 * creates before it stops at a ".wh..wh." name (-1: none, the root).
 */
function internEntries(table: PathTable, entries: readonly LayerEntry[]): Int32Array {
  const nodes = new Int32Array(entries.length);
  for (let i = 0; i < entries.length; i++) {
    const path = (entries[i] as LayerEntry).path;
    const cut = path.indexOf(META_COMPONENT);
    if (cut === -1) nodes[i] = table.intern(path);
    else nodes[i] = -1 - (cut === 0 ? 0 : table.intern(path.slice(0, cut)));
  }
  return nodes;
}

/**
 * Per layer: the nodes of the layer's tree (each entry's node and its parents) with their data, and the stacked
 * tree of the layers below (dive's StackTreeRange), as flags and sizes per node id. Arrays marked with a
 * layer's stamp (index + 1) say "in this layer's tree" without clearing them between layers.
 */
class DiveWalk {
  /** Nodes in the table when the walk began: keys from here on are paths without a node. */
  private readonly nodeCount: number;
  private readonly paths: readonly string[];
  private readonly parent: Int32Array;
  private readonly children: readonly (readonly number[] | undefined)[];
  /** 1 when the node's name starts with ".wh." (a whiteout to dive). */
  private readonly whiteout: Uint8Array;

  // The layer's own tree.
  private readonly members: Int32Array;
  private order: Int32Array;
  private readonly inLayer: Int32Array;
  private readonly hasChild: Int32Array;
  private readonly hasData: Int32Array;
  private readonly skipped: Int32Array;
  private readonly size: Float64Array;
  private readonly isDir: Uint8Array;

  // The stacked tree the layer's whiteouts are looked up in.
  private readonly present: Uint8Array;
  private readonly stackSize: Float64Array;
  private readonly stackDir: Uint8Array;

  // Per path (dive's map of path to FileInfo); keys beyond the table are paths no node has.
  private cumulative: Float64Array;
  private min: Float64Array;
  private count: Int32Array;
  private readonly seen: number[] = [];
  private readonly inefficient: number[] = [];
  private readonly extraKeys = new Map<string, number>();
  private readonly extraPaths: string[] = [];

  constructor(private readonly table: PathTable) {
    const n = table.size;
    this.nodeCount = n;
    this.paths = table.paths;
    this.parent = Int32Array.from(table.parent);
    this.children = table.children;
    this.whiteout = new Uint8Array(n);
    for (let id = 1; id < n; id++) {
      const path = this.paths[id] as string;
      if (path.startsWith(WHITEOUT_PREFIX, path.lastIndexOf('/') + 1)) this.whiteout[id] = 1;
    }
    this.members = new Int32Array(n);
    this.order = this.members;
    this.inLayer = new Int32Array(n);
    this.hasChild = new Int32Array(n);
    this.hasData = new Int32Array(n);
    this.skipped = new Int32Array(n);
    this.size = new Float64Array(n);
    this.isDir = new Uint8Array(n);
    this.present = new Uint8Array(n);
    this.present[0] = 1;
    this.stackSize = new Float64Array(n);
    this.stackDir = new Uint8Array(n);
    this.cumulative = new Float64Array(n);
    this.min = new Float64Array(n);
    this.count = new Int32Array(n);
  }

  /** Builds, visits and stacks one layer's tree; returns its node count. */
  layer(index: number, entries: readonly LayerEntry[], nodes: Int32Array): number {
    const stamp = index + 1;
    const { parent, inLayer, hasChild, hasData, members } = this;
    let count = 0;
    let whiteouts = false;
    for (let i = 0; i < nodes.length; i++) {
      const value = nodes[i] as number;
      // Re-adding a path sets its data again (the last entry wins) and keeps its children.
      if (value > 0) {
        const entry = entries[i] as LayerEntry;
        hasData[value] = stamp;
        this.size[value] = entry.size;
        this.isDir[value] = entry.kind === 'directory' ? 1 : 0;
      }
      for (let node = value >= 0 ? value : -1 - value; node > 0 && inLayer[node] !== stamp;) {
        inLayer[node] = stamp;
        members[count++] = node;
        if (this.whiteout[node]) whiteouts = true;
        node = parent[node] as number;
        hasChild[node] = stamp;
      }
    }
    // Only whiteouts make the order of dive's walks matter (see visitLeaves and stack): without them, the
    // nodes are taken as they come.
    this.order = whiteouts ? this.walkOrder(count) : members;
    // dive stacks layer 0 onto a copy of itself first; until then the stack is layer 0's own tree.
    if (index === 0) {
      for (let k = 0; k < count; k++) this.stackNode(members[k] as number, stamp);
    }
    this.visitLeaves(count, stamp, whiteouts);
    this.stack(count, stamp);
    return count;
  }

  /**
   * Σ min / Σ cumulative over every path seen; the paths seen twice or more, sorted by their bytes as dive
   * sorts them (Go's sort.Sort, from the order they got there) and listed largest first; and their bytes.
   */
  figures(): { efficiency: number; inefficientFiles: InefficientFile[]; wastedBytes: number } {
    let minimum = 0;
    let discovered = 0;
    for (const key of this.seen) {
      minimum += this.min[key] as number;
      discovered += this.cumulative[key] as number;
    }
    const keys = Int32Array.from(this.inefficient);
    const bytes = Float64Array.from(keys, (key) => this.cumulative[key] as number);
    goSortData(keys.length, {
      less: (i, j) => (bytes[i] as number) < (bytes[j] as number),
      swap: (i, j) => {
        const key = keys[i] as number;
        keys[i] = keys[j] as number;
        keys[j] = key;
        const size = bytes[i] as number;
        bytes[i] = bytes[j] as number;
        bytes[j] = size;
      },
    });
    let wastedBytes = 0;
    for (const size of bytes) wastedBytes += size;
    const inefficientFiles: InefficientFile[] = [];
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i] as number;
      inefficientFiles.push({
        path: this.keyPath(key),
        count: this.count[key] as number,
        wastedBytes: bytes[i] as number,
      });
    }
    return { efficiency: discovered === 0 ? 1 : minimum / discovered, inefficientFiles, wastedBytes };
  }

  // The layer's nodes in the order of dive's depth-first walks (children by name): parents first, which is the
  // order of their paths with "/" before any other character.
  private walkOrder(count: number): Int32Array {
    const { paths } = this;
    const nodes = Array.from(this.members.subarray(0, count));
    nodes.sort((a, b) => compareWalkOrder(paths[a] as string, paths[b] as string));
    return Int32Array.from(nodes);
  }

  // dive's Efficiency visitor on each leaf (a node without children), depth first, children before parents.
  // Of its effects, only where it stops (a whiteout of nothing) and the order in which paths reach their
  // second copy depend on the order: a layer without whiteouts is visited as it comes, and the paths that
  // reach their second copy in it are put in walk order afterwards.
  private visitLeaves(count: number, stamp: number, ordered: boolean): void {
    const second: number[] = [];
    for (let k = 0; k < count; k++) {
      const node = this.order[k] as number;
      if (this.hasChild[node] === stamp) continue;
      let size = this.hasData[node] === stamp ? (this.size[node] as number) : 0;
      let key = node;
      if (this.whiteout[node]) {
        const target = this.whiteoutTarget(node);
        key = target.key;
        this.touch(key);
        // dive returns an error here, which abandons the rest of this layer and leaves min at -1 for the path.
        if (target.hidden === undefined || !this.present[target.hidden]) break;
        size = this.stackDir[target.hidden] ? this.subtreeSize(target.hidden) : 0;
      } else {
        this.touch(key);
      }
      this.cumulative[key] = (this.cumulative[key] as number) + size;
      const min = this.min[key] as number;
      if (min < 0 || size < min) this.min[key] = size;
      const seenCount = (this.count[key] as number) + 1;
      this.count[key] = seenCount;
      if (seenCount === 2) (ordered ? this.inefficient : second).push(key);
    }
    if (second.length === 0) return;
    const { paths } = this;
    second.sort((a, b) => compareWalkOrder(paths[a] as string, paths[b] as string));
    for (const key of second) this.inefficient.push(key);
  }

  // dive's Stack: a whiteout removes its target and is not added, nor is anything under it; every other node
  // is added or updated. Nodes come in walk order, so a parent is always handled before its children.
  private stack(count: number, stamp: number): void {
    const { parent, skipped } = this;
    for (let k = 0; k < count; k++) {
      const node = this.order[k] as number;
      if (skipped[parent[node] as number] === stamp) {
        skipped[node] = stamp;
      } else if (this.whiteout[node]) {
        skipped[node] = stamp;
        const sibling = this.siblingOfWhiteout(node);
        if (sibling !== undefined && this.present[sibling]) this.remove(sibling);
      } else {
        this.stackNode(node, stamp);
      }
    }
  }

  private stackNode(node: number, stamp: number): void {
    const data = this.hasData[node] === stamp;
    this.present[node] = 1;
    this.stackSize[node] = data ? (this.size[node] as number) : 0;
    this.stackDir[node] = data ? (this.isDir[node] as number) : 0;
  }

  private remove(node: number): void {
    const pending = [node];
    while (pending.length > 0) {
      const next = pending.pop() as number;
      this.present[next] = 0;
      for (const child of this.children[next] ?? NONE) if (this.present[child]) pending.push(child);
    }
  }

  // dive's VisitDepthChildFirst over what the stack holds under a node, the node included: Σ of their sizes.
  private subtreeSize(node: number): number {
    let total = 0;
    const pending = [node];
    while (pending.length > 0) {
      const next = pending.pop() as number;
      total += this.stackSize[next] as number;
      for (const child of this.children[next] ?? NONE) if (this.present[child]) pending.push(child);
    }
    return total;
  }

  /**
   * A whiteout's path without the prefix (dive's Path()), as a key, and the stacked node dive's GetNode finds
   * for it. GetNode skips empty names, so ".wh." alone finds the parent under a key no node has ("/a/").
   */
  private whiteoutTarget(node: number): { key: number; hidden: number | undefined } {
    const path = this.paths[node] as string;
    const slash = path.lastIndexOf('/');
    const target = path.slice(0, slash + 1) + path.slice(slash + 1 + WHITEOUT_PREFIX.length);
    if (target.length === slash + 1) return { key: this.extraKey(target), hidden: this.parent[node] };
    const id = this.table.lookup(target);
    return { key: id ?? this.extraKey(target), hidden: id };
  }

  // The sibling a whiteout names, if the table has it ("." and ".." name no node).
  private siblingOfWhiteout(node: number): number | undefined {
    const path = this.paths[node] as string;
    const slash = path.lastIndexOf('/');
    if (path.length === slash + 1 + WHITEOUT_PREFIX.length) return undefined;
    return this.table.lookup(path.slice(0, slash + 1) + path.slice(slash + 1 + WHITEOUT_PREFIX.length));
  }

  // A path's figures start at min -1 (dive's zero FileInfo), and the path joins the list of paths seen.
  // Untouched keys hold count 0 and min 0; once touched, min is -1 or a size seen with count above 0.
  private touch(key: number): void {
    if (this.count[key] !== 0 || this.min[key] !== 0) return;
    this.min[key] = -1;
    this.seen.push(key);
  }

  private extraKey(path: string): number {
    const known = this.extraKeys.get(path);
    if (known !== undefined) return known;
    const key = this.nodeCount + this.extraPaths.length;
    this.extraKeys.set(path, key);
    this.extraPaths.push(path);
    if (key >= this.cumulative.length) {
      this.cumulative = grow(this.cumulative);
      this.min = grow(this.min);
      this.count = grow(this.count);
    }
    return key;
  }

  private keyPath(key: number): string {
    return key < this.nodeCount ? (this.paths[key] as string) : (this.extraPaths[key - this.nodeCount] as string);
  }
}

const NONE: readonly number[] = [];

/**
 * dive's walk order of two paths: the order of their names from the root, each compared as Go compares
 * strings, a parent before its children. That is Go's order of the whole paths with "/" before any other
 * character ("/a/b" before "/a-c", whose names "a" and "a-c" compare so).
 */
function compareWalkOrder(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x === SLASH) return -1;
    if (y === SLASH) return 1;
    return compareGoStrings(a, b, i);
  }
  return a.length - b.length;
}

const SLASH = 0x2f;

function grow<T extends Float64Array | Int32Array>(array: T): T {
  const bigger = new (array.constructor as new (length: number) => T)(array.length * 2 + 16);
  bigger.set(array);
  return bigger;
}
