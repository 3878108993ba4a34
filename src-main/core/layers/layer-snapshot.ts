import type { LayerEntry } from './layer-entry';
import type { LayerFileTree } from './layer-file-tree';

const ABSENT = -1;
const IMPLICIT = -2;

/** How a path changed in a layer compared with the layer below. */
export type ChangeStatus = 'unchanged' | 'added' | 'modified' | 'removed';

/** Status codes in `LayerSnapshot.status`; HIDDEN means the path exists neither after this layer nor before it. */
export const STATUS = { hidden: 0, unchanged: 1, added: 2, modified: 3, removed: 4 } as const;
export const STATUS_NAMES: readonly (ChangeStatus | undefined)[] = [
  undefined,
  'unchanged',
  'added',
  'modified',
  'removed',
];

/** The whole tree after one layer, as flat arrays indexed by node id. */
export interface LayerSnapshot {
  readonly layer: number;
  /** Entry id (or ABSENT / IMPLICIT) of each node after this layer, and after the layer below. */
  readonly ref: Int32Array;
  readonly prevRef: Int32Array;
  /** STATUS code per node. A directory is "modified" when anything under it changed, as dive marks it. */
  readonly status: Uint8Array;
  /** File size, or the total of the files under a folder; for a removed path, its size before removal. */
  readonly size: Float64Array;
  /** 1 when this layer's own tar lists the path (entry, whiteout or opaque marker). */
  readonly direct: Uint8Array;
  /** Non-directory paths added, modified and removed by this layer. */
  readonly counts: { readonly added: number; readonly modified: number; readonly removed: number };
}

/** Computes the state of every path after `layer` from each node's event list. */
export function computeSnapshot(tree: LayerFileTree, layer: number): LayerSnapshot {
  const count = tree.nodeCount;
  const { evStart, evLayer, evRef, evDirect } = tree.events;
  const ref = new Int32Array(count).fill(ABSENT);
  const prevRef = new Int32Array(count).fill(ABSENT);
  const direct = new Uint8Array(count);
  ref[0] = IMPLICIT;
  prevRef[0] = IMPLICIT;

  for (let node = 1; node < count; node++) {
    let now = ABSENT;
    let before = ABSENT;
    for (let i = evStart[node] ?? 0, end = evStart[node + 1] ?? 0; i < end; i++) {
      const at = evLayer[i] ?? 0;
      if (at > layer) break;
      now = evRef[i] ?? ABSENT;
      if (at < layer) before = now;
      else if (evDirect[i]) direct[node] = 1;
    }
    ref[node] = now;
    prevRef[node] = before;
  }

  const status = new Uint8Array(count);
  const size = new Float64Array(count);
  const prevSize = new Float64Array(count);
  const entries = tree.entries;
  let added = 0;
  let modified = 0;
  let removed = 0;
  for (let node = count - 1; node >= 0; node--) {
    const now = ref[node] ?? ABSENT;
    const before = prevRef[node] ?? ABSENT;
    let code: number = STATUS.hidden;
    if (now !== ABSENT && before === ABSENT) code = STATUS.added;
    else if (now === ABSENT && before !== ABSENT) code = STATUS.removed;
    else if (now !== ABSENT) code = sameState(entries, now, before) ? STATUS.unchanged : STATUS.modified;
    // Children have larger ids, so by now they have already raised this node to "modified" if they changed.
    if (code === STATUS.unchanged && status[node] === STATUS.modified) code = STATUS.modified;
    status[node] = code;
    if (now !== ABSENT) size[node] = (size[node] ?? 0) + fileBytes(entries, now);
    if (before !== ABSENT) prevSize[node] = (prevSize[node] ?? 0) + fileBytes(entries, before);
    if (code !== STATUS.hidden && code !== STATUS.unchanged && !isDirectory(entries, now === ABSENT ? before : now)) {
      if (code === STATUS.added) added++;
      else if (code === STATUS.modified) modified++;
      else removed++;
    }
    const parent = tree.nodeParent[node] ?? -1;
    if (parent < 0) continue;
    size[parent] = (size[parent] ?? 0) + (size[node] ?? 0);
    prevSize[parent] = (prevSize[parent] ?? 0) + (prevSize[node] ?? 0);
    if (code !== STATUS.hidden && code !== STATUS.unchanged && status[parent] === 0) status[parent] = STATUS.modified;
  }
  for (let node = 0; node < count; node++) {
    if (status[node] === STATUS.removed) size[node] = prevSize[node] ?? 0;
  }
  return { layer, ref, prevRef, status, size, direct, counts: { added, modified, removed } };
}

function fileBytes(entries: readonly LayerEntry[], ref: number): number {
  if (ref < 0) return 0;
  const entry = entries[ref];
  return entry?.kind === 'file' ? entry.size : 0;
}

function isDirectory(entries: readonly LayerEntry[], ref: number): boolean {
  return ref === IMPLICIT || entries[ref]?.kind === 'directory';
}

// Compares what a path was before and after: type, permissions, owner, link target and contents.
function sameState(entries: readonly LayerEntry[], now: number, before: number): boolean {
  if (now === before) return true;
  if (now === IMPLICIT || before === IMPLICIT) return isDirectory(entries, now) && isDirectory(entries, before);
  const a = entries[now];
  const b = entries[before];
  if (!a || !b) return false;
  if (a.kind !== b.kind || a.mode !== b.mode || a.uid !== b.uid || a.gid !== b.gid) return false;
  if (a.kind === 'directory') return true;
  if (a.linkname !== b.linkname || a.size !== b.size) return false;
  if (a.kind !== 'file') return true;
  if (a.contentDigest !== undefined && b.contentDigest !== undefined) return a.contentDigest === b.contentDigest;
  return a.mtime === b.mtime;
}
