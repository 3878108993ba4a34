import { baseName } from './image-path';
import type { LayerEntry } from './layer-entry';
import { ABSENT, replayLayers } from './layer-replay';
import type { ReplayEvents } from './layer-replay';
import { computeSnapshot } from './layer-snapshot';
import type { LayerSnapshot } from './layer-snapshot';
import { PathTable } from './path-table';

export { ABSENT, IMPLICIT } from './layer-replay';

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
  /** The entry each node refers to after the last layer (ABSENT, IMPLICIT or an entry id). */
  readonly finalRef: Int32Array;
  /** Node 0 is the root "/"; a node's parent always has a smaller id. */
  readonly nodePath: readonly string[];
  readonly nodeName: readonly string[];
  readonly nodeParent: Int32Array;
  /** Children of each node in Go string order (dive's order). */
  readonly nodeChildren: readonly Int32Array[];
  readonly events: NodeEvents;
  private readonly table: PathTable;
  private readonly snapshots = new Map<number, LayerSnapshot>();

  constructor(input: LayerFileTreeInput) {
    const built = buildTree(input.layers);
    this.layerCount = input.layers.length;
    this.entries = built.entries;
    this.entryLayer = built.entryLayer;
    this.entryNode = built.entryNode;
    this.finalRef = built.finalRef;
    this.nodePath = built.nodePath;
    this.nodeName = built.nodeName;
    this.nodeParent = built.nodeParent;
    this.nodeChildren = built.nodeChildren;
    this.events = built.events;
    this.table = built.table;
  }

  get nodeCount(): number {
    return this.nodePath.length;
  }

  /** The node id of an absolute path, if any layer ever had it. */
  nodeId(path: string): number | undefined {
    return this.table.lookup(path);
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
  entries: readonly LayerEntry[];
  entryLayer: Int32Array;
  entryNode: Int32Array;
  finalRef: Int32Array;
  nodePath: string[];
  nodeName: string[];
  nodeParent: Int32Array;
  nodeChildren: Int32Array[];
  events: NodeEvents;
  table: PathTable;
}

/** The replay's events in the order they happen, grouped by node once the replay is done. */
class EventLog implements ReplayEvents {
  readonly node: number[] = [];
  readonly layer: number[] = [];
  readonly ref: number[] = [];
  readonly direct: number[] = [];

  record(node: number, layer: number, ref: number, direct: boolean): void {
    this.node.push(node);
    this.layer.push(layer);
    this.ref.push(ref);
    this.direct.push(direct ? 1 : 0);
  }

  hasEventAt(node: number, layer: number): boolean {
    for (let i = this.node.length - 1; i >= 0 && (this.layer[i] ?? -1) === layer; i--) {
      if (this.node[i] === node) return true;
    }
    return false;
  }
}

function buildTree(layers: LayerFileTreeInput['layers']): Built {
  const table = new PathTable();
  const log = new EventLog();
  const replay = replayLayers(layers, table, log);
  const nodePath = table.paths;
  // The last element of each path, as the Files view shows it.
  const nodeName = nodePath.map((path) => (path === '/' ? '/' : baseName(path)));
  return {
    ...replay,
    nodePath,
    nodeName,
    nodeParent: Int32Array.from(table.parent),
    nodeChildren: table.sortedChildren() as Int32Array[],
    events: toRowStorage(nodePath.length, log.node, log.layer, log.ref, log.direct),
    table,
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
