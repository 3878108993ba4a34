import { baseName, parentPath, whiteoutMeaning } from './image-path';
import { compareGoStrings } from '$shared/go/string-order';
import type { LayerEntry } from './layer-entry';
import { computeSnapshot } from './layer-snapshot';
import type { LayerSnapshot } from './layer-snapshot';

/** A node's state reference: an index into `entries`, or one of these. */
export const ABSENT = -1;
/** A directory that exists only because something was added under it (no tar header of its own). */
export const IMPLICIT = -2;

/** Per-node history: what each layer did to the path, in layer order (compressed row storage). */
export interface NodeEvents {
  /** Events of node n are at indices evStart[n] .. evStart[n+1]-1. */
  readonly evStart: Int32Array;
  readonly evLayer: Int32Array;
  readonly evRef: Int32Array;
  /** 1 when the layer's own tar lists the path (an entry, a whiteout of it, or an opaque marker in it). */
  readonly evDirect: Uint8Array;
}

export interface LayerFileTreeInput {
  readonly layers: readonly { readonly entries: readonly LayerEntry[] }[];
}

/**
 * Every path of every layer in one table, with what each layer did to it, so the tree "as it stands after
 * layer N" (with added / modified / removed marks against layer N-1) is computed on demand for any N.
 * Whiteouts and opaque directories follow the OCI image spec, as overlayfs and containerd apply them.
 */
export class LayerFileTree {
  readonly layerCount: number;
  /** All entries of all layers; `entryLayer[i]` tells which layer entry i came from. */
  readonly entries: readonly LayerEntry[];
  readonly entryLayer: Int32Array;
  /** Node of each entry, or -1 for whiteouts, opaque markers and aufs metadata. */
  readonly entryNode: Int32Array;
  /** Node 0 is the root "/"; a node's parent always has a smaller id. */
  readonly nodePath: readonly string[];
  readonly nodeName: readonly string[];
  readonly nodeParent: Int32Array;
  /** Children of each node in Go string order (dive's order). */
  readonly nodeChildren: readonly Int32Array[];
  readonly events: NodeEvents;
  private readonly pathIds: ReadonlyMap<string, number>;
  private readonly snapshots = new Map<number, LayerSnapshot>();

  constructor(input: LayerFileTreeInput) {
    const built = buildTree(input.layers);
    this.layerCount = input.layers.length;
    this.entries = built.entries;
    this.entryLayer = built.entryLayer;
    this.entryNode = built.entryNode;
    this.nodePath = built.nodePath;
    this.nodeName = built.nodePath.map((path) => (path === '/' ? '/' : baseName(path)));
    this.nodeParent = built.nodeParent;
    this.nodeChildren = built.nodeChildren;
    this.events = built.events;
    this.pathIds = built.pathIds;
  }

  get nodeCount(): number {
    return this.nodePath.length;
  }

  /** The node id of an absolute path, if any layer ever had it. */
  nodeId(path: string): number | undefined {
    return this.pathIds.get(path);
  }

  /** State of every node after `layer`, compared with the layer below (a few are cached). */
  snapshot(layer: number): LayerSnapshot {
    if (!Number.isInteger(layer) || layer < 0 || layer >= this.layerCount) {
      throw new RangeError(`layer ${layer} does not exist (image has ${this.layerCount})`);
    }
    const cached = this.snapshots.get(layer);
    if (cached) {
      this.snapshots.delete(layer);
      this.snapshots.set(layer, cached);
      return cached;
    }
    const snapshot = computeSnapshot(this, layer);
    this.snapshots.set(layer, snapshot);
    if (this.snapshots.size > 4) {
      const oldest = this.snapshots.keys().next().value;
      if (oldest !== undefined) this.snapshots.delete(oldest);
    }
    return snapshot;
  }

  /** The entry a node refers to after its latest event at or below `layer` (ABSENT, IMPLICIT or an entry id). */
  refAt(node: number, layer: number): number {
    const { evStart, evLayer, evRef } = this.events;
    let ref = ABSENT;
    for (let i = evStart[node] ?? 0, end = evStart[node + 1] ?? 0; i < end; i++) {
      if ((evLayer[i] ?? 0) > layer) break;
      ref = evRef[i] ?? ABSENT;
    }
    return ref;
  }
}

interface Built {
  entries: LayerEntry[];
  entryLayer: Int32Array;
  entryNode: Int32Array;
  nodePath: string[];
  nodeParent: Int32Array;
  nodeChildren: Int32Array[];
  events: NodeEvents;
  pathIds: Map<string, number>;
}

// Replays the layers in order, like an overlay apply, recording an event whenever a path's state changes.
function buildTree(layers: LayerFileTreeInput['layers']): Built {
  const pathIds = new Map<string, number>([['/', 0]]);
  const nodePath: string[] = ['/'];
  const parent: number[] = [-1];
  const children: number[][] = [[]];
  const current: number[] = [IMPLICIT];
  const touched: number[] = [-1];
  const evNode: number[] = [];
  const evLayer: number[] = [];
  const evRef: number[] = [];
  const evDirect: number[] = [];
  const entries: LayerEntry[] = [];
  const entryLayer: number[] = [];
  const entryNode: number[] = [];

  const intern = (path: string): number => {
    const known = pathIds.get(path);
    if (known !== undefined) return known;
    const parentId = intern(parentPath(path));
    const id = nodePath.length;
    pathIds.set(path, id);
    nodePath.push(path);
    parent.push(parentId);
    children.push([]);
    current.push(ABSENT);
    touched.push(-1);
    children[parentId]?.push(id);
    return id;
  };
  const record = (node: number, layer: number, ref: number, direct: boolean): void => {
    evNode.push(node);
    evLayer.push(layer);
    evRef.push(ref);
    evDirect.push(direct ? 1 : 0);
    current[node] = ref;
  };
  const kill = (node: number, layer: number, direct: boolean): void => {
    if (current[node] === ABSENT) return;
    record(node, layer, ABSENT, direct);
    for (const child of children[node] ?? []) kill(child, layer, false);
  };
  const touch = (node: number, layer: number): void => {
    for (let n = node; n >= 0 && touched[n] !== layer; n = parent[n] ?? -1) touched[n] = layer;
  };
  const revive = (node: number, layer: number): void => {
    const dead: number[] = [];
    for (let n = parent[node] ?? -1; n > 0 && current[n] === ABSENT; n = parent[n] ?? -1) dead.push(n);
    for (let i = dead.length - 1; i >= 0; i--) record(dead[i] as number, layer, IMPLICIT, false);
  };
  // An opaque directory keeps only what this layer put in it.
  const clearUntouched = (node: number, layer: number): void => {
    for (const child of children[node] ?? []) {
      if (current[child] === ABSENT) continue;
      if (touched[child] === layer) clearUntouched(child, layer);
      else kill(child, layer, false);
    }
  };

  layers.forEach((layer, layerIndex) => {
    const opaque: number[] = [];
    for (const entry of layer.entries) {
      const entryId = entries.length;
      entries.push(entry);
      entryLayer.push(layerIndex);
      const meaning = whiteoutMeaning(entry.path);
      if (meaning.type === 'metadata') {
        entryNode.push(-1);
        continue;
      }
      if (meaning.type === 'whiteout') {
        entryNode.push(-1);
        const target = pathIds.get(meaning.target);
        if (target !== undefined) kill(target, layerIndex, true);
        continue;
      }
      if (meaning.type === 'opaque') {
        entryNode.push(-1);
        const dir = intern(meaning.directory);
        revive(dir, layerIndex);
        touch(dir, layerIndex);
        if (current[dir] === ABSENT) record(dir, layerIndex, IMPLICIT, true);
        opaque.push(dir);
        continue;
      }
      const node = intern(entry.path);
      entryNode.push(node);
      revive(node, layerIndex);
      touch(node, layerIndex);
      if (entry.kind !== 'directory') for (const child of children[node] ?? []) kill(child, layerIndex, false);
      record(node, layerIndex, entryId, true);
    }
    for (const dir of opaque) {
      if (!hasEventAt(dir, layerIndex)) record(dir, layerIndex, current[dir] ?? IMPLICIT, true);
      clearUntouched(dir, layerIndex);
    }
  });

  function hasEventAt(node: number, layer: number): boolean {
    for (let i = evNode.length - 1; i >= 0 && (evLayer[i] ?? -1) === layer; i--) {
      if (evNode[i] === node) return true;
    }
    return false;
  }

  const nodeCount = nodePath.length;
  const nodeChildren = children.map((list) =>
    Int32Array.from(list.sort((a, b) => compareGoStrings(baseName(nodePath[a] ?? ''), baseName(nodePath[b] ?? '')))),
  );
  return {
    entries,
    entryLayer: Int32Array.from(entryLayer),
    entryNode: Int32Array.from(entryNode),
    nodePath,
    nodeParent: Int32Array.from(parent),
    nodeChildren,
    events: toRowStorage(nodeCount, evNode, evLayer, evRef, evDirect),
    pathIds,
  };
}

// Groups events by node, keeping each node's events in the order they happened.
function toRowStorage(
  nodeCount: number,
  evNode: number[],
  evLayer: number[],
  evRef: number[],
  evDirect: number[],
): NodeEvents {
  const evStart = new Int32Array(nodeCount + 1);
  for (const node of evNode) evStart[node + 1] = (evStart[node + 1] ?? 0) + 1;
  for (let n = 0; n < nodeCount; n++) evStart[n + 1] = (evStart[n + 1] ?? 0) + (evStart[n] ?? 0);
  const fill = evStart.slice(0, nodeCount);
  const layerOut = new Int32Array(evNode.length);
  const refOut = new Int32Array(evNode.length);
  const directOut = new Uint8Array(evNode.length);
  evNode.forEach((node, i) => {
    const at = fill[node] ?? 0;
    fill[node] = at + 1;
    layerOut[at] = evLayer[i] ?? 0;
    refOut[at] = evRef[i] ?? ABSENT;
    directOut[at] = evDirect[i] ?? 0;
  });
  return { evStart, evLayer: layerOut, evRef: refOut, evDirect: directOut };
}
