import { whiteoutMeaning } from './image-path';
import type { LayerEntry } from './layer-entry';
import type { PathTable } from './path-table';

/** A node's state reference: an index into the replay's entries, or one of these. */
export const ABSENT = -1;
/** A directory that exists only because something was added under it (no tar header of its own). */
export const IMPLICIT = -2;

/** Where a replay writes every change of a node's state, in the order they happen. */
export interface ReplayEvents {
  record(node: number, layer: number, ref: number, direct: boolean): void;
  /** True when `node` already has an event at `layer` (the newest events are the last ones recorded). */
  hasEventAt(node: number, layer: number): boolean;
}

/** What applying the layers in order leaves. */
export interface LayerReplay {
  /** All entries of all layers; `entryLayer[i]` tells which layer entry i came from. */
  readonly entries: readonly LayerEntry[];
  readonly entryLayer: Int32Array;
  /** Node of each entry, or -1 for whiteouts, opaque markers and aufs metadata. */
  readonly entryNode: Int32Array;
  /** The entry each node refers to after the last layer (ABSENT, IMPLICIT or an entry id), by node id. */
  readonly finalRef: Int32Array;
}

const NONE: readonly number[] = [];

/**
 * Replays the layers in order, like an overlay apply, as the OCI image spec says whiteouts and opaque
 * directories work (as overlayfs and containerd apply them), telling `events` whenever a path's state changes.
 * Paths come from `table`, which may already hold paths the replay has not reached (they stay ABSENT until
 * a layer adds them, as paths the table does not hold yet would).
 */
export function replayLayers(
  layers: readonly { readonly entries: readonly LayerEntry[] }[],
  table: PathTable,
  events?: ReplayEvents,
): LayerReplay {
  const { parent, children } = table;
  const current: number[] = [];
  const touched: number[] = [];
  const grow = (): void => {
    for (let node = current.length; node < table.size; node++) {
      current.push(node === 0 ? IMPLICIT : ABSENT);
      touched.push(-1);
    }
  };
  grow();
  const intern = (path: string): number => {
    const node = table.intern(path);
    if (node >= current.length) grow();
    return node;
  };
  const entries: LayerEntry[] = [];
  const entryLayer: number[] = [];
  const entryNode: number[] = [];

  const record = (node: number, layer: number, ref: number, direct: boolean): void => {
    events?.record(node, layer, ref, direct);
    current[node] = ref;
  };
  const kill = (node: number, layer: number, direct: boolean): void => {
    if (current[node] === ABSENT) return;
    record(node, layer, ABSENT, direct);
    for (const child of children[node] ?? NONE) kill(child, layer, false);
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
    for (const child of children[node] ?? NONE) {
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
        const target = table.lookup(meaning.target);
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
      if (entry.kind !== 'directory') for (const child of children[node] ?? NONE) kill(child, layerIndex, false);
      record(node, layerIndex, entryId, true);
    }
    for (const dir of opaque) {
      // The marker is an event of the directory itself even when the layer changes nothing else about it;
      // without an event log there is nothing to write (the state stays what it is).
      if (events && !events.hasEventAt(dir, layerIndex)) record(dir, layerIndex, current[dir] ?? IMPLICIT, true);
      clearUntouched(dir, layerIndex);
    }
  });

  return {
    entries,
    entryLayer: Int32Array.from(entryLayer),
    entryNode: Int32Array.from(entryNode),
    finalRef: Int32Array.from(current),
  };
}
