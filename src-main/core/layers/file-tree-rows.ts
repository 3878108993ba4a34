import { FlatteningCache, flattenTree, rowWindow, type TreeOrder } from '../files/tree-rows';
import type { EntryKind } from './layer-entry';
import { ABSENT, IMPLICIT } from './layer-file-tree';
import type { LayerFileTree } from './layer-file-tree';
import { STATUS, STATUS_NAMES } from './layer-snapshot';
import type { ChangeStatus, LayerSnapshot } from './layer-snapshot';

/** What the Files view asks for: one layer, a few toggles, and a window of rows. */
export interface FileTreeQuery {
  readonly layer: number;
  /** Case-insensitive text the path must contain; ancestors of matches are shown too. */
  readonly filter?: string;
  /** Only added, modified and removed paths (and the folders that hold them). */
  readonly changesOnly?: boolean;
  /** Only paths this layer's own tar lists (entries and whiteouts). */
  readonly layerEntriesOnly?: boolean;
  /** Folders shown closed: their contents are left out of the rows. */
  readonly collapsed?: readonly string[];
  /** Siblings by name (dive's order) or by size, largest first. */
  readonly sortBy?: 'name' | 'size';
  readonly offset?: number;
  readonly limit?: number;
}

/** One visible line of the tree. */
export interface FileTreeRow {
  readonly path: string;
  readonly name: string;
  /** 0 for entries directly under "/". */
  readonly depth: number;
  readonly kind: EntryKind;
  readonly status: ChangeStatus;
  /** File size, or the total of the files in a folder (before removal, for a removed path). */
  readonly size: number;
  readonly mode?: number;
  readonly uid?: number;
  readonly gid?: number;
  readonly linkTarget?: string;
  readonly mtime?: number;
  /** True when the folder has rows under it under the current toggles. */
  readonly hasChildren: boolean;
  readonly collapsed: boolean;
  /** True when this layer's own tar lists the path. */
  readonly inLayer: boolean;
  /** Position of the row of the folder holding it among all the rows; absent at the top and in a folder's listing. */
  readonly parentIndex?: number;
}

export interface FileTreePage {
  readonly layer: number;
  /** Number of rows in the whole flattened tree under these toggles. */
  readonly total: number;
  readonly offset: number;
  readonly rows: readonly FileTreeRow[];
}

interface Flattened extends TreeOrder {
  readonly keep: Uint8Array;
  readonly collapsed: ReadonlySet<number>;
}

const cache = new FlatteningCache<LayerFileTree, Flattened>();

/** A window of the flattened, sorted rows of a layer's tree: what a virtual list renders. */
export function listFileTreeRows(tree: LayerFileTree, query: FileTreeQuery): FileTreePage {
  const snapshot = tree.snapshot(query.layer);
  const flat = flatten(tree, snapshot, query);
  const { offset, limit } = rowWindow(query);
  const rows: FileTreeRow[] = [];
  for (let i = offset; i < Math.min(flat.nodes.length, offset + limit); i++) {
    const row = describeRow(tree, snapshot, flat, flat.nodes[i] ?? 0, flat.depths[i] ?? 0);
    const parent = flat.parents[i] ?? -1;
    rows.push(parent >= 0 ? { ...row, parentIndex: parent } : row);
  }
  return { layer: query.layer, total: flat.nodes.length, offset, rows };
}

/** The direct children of one folder under the same toggles, for trees that open folders lazily. */
export function listFolderRows(tree: LayerFileTree, query: FileTreeQuery & { readonly folder: string }): FileTreePage {
  const snapshot = tree.snapshot(query.layer);
  const flat = flatten(tree, snapshot, { ...query, collapsed: [] });
  const folder = tree.nodeId(query.folder);
  const { offset, limit } = rowWindow(query);
  if (folder === undefined || (folder !== 0 && !flat.keep[folder]))
    return { layer: query.layer, total: 0, offset, rows: [] };
  const depth = folder === 0 ? 0 : query.folder.split('/').length - 1;
  const children = sortedChildren(tree, snapshot, folder, query.sortBy).filter((child) => flat.keep[child]);
  const rows = children.slice(offset, offset + limit).map((child) => describeRow(tree, snapshot, flat, child, depth));
  return { layer: query.layer, total: children.length, offset, rows };
}

/** Position of a path among the rows (to scroll to it), or -1 when the toggles hide it. */
export function findFileTreeRow(tree: LayerFileTree, query: FileTreeQuery, path: string): number {
  const node = tree.nodeId(path);
  if (node === undefined) return -1;
  const flat = flatten(tree, tree.snapshot(query.layer), query);
  return flat.nodes.indexOf(node);
}

function flatten(tree: LayerFileTree, snapshot: LayerSnapshot, query: FileTreeQuery): Flattened {
  const key = JSON.stringify([
    query.layer,
    query.filter ?? '',
    Boolean(query.changesOnly),
    Boolean(query.layerEntriesOnly),
    [...(query.collapsed ?? [])].sort(),
    query.sortBy ?? 'name',
  ]);
  return cache.get(tree, key, () => {
    const keep = keepMask(tree, snapshot, query);
    const collapsed = new Set<number>();
    for (const path of query.collapsed ?? []) {
      const id = tree.nodeId(path);
      if (id !== undefined) collapsed.add(id);
    }
    const order = flattenTree(
      (node) => sortedChildren(tree, snapshot, node, query.sortBy),
      keep,
      (node) => !collapsed.has(node),
    );
    return { ...order, keep, collapsed };
  });
}

// A node is kept when it passes every toggle itself, or holds something that does.
function keepMask(tree: LayerFileTree, snapshot: LayerSnapshot, query: FileTreeQuery): Uint8Array {
  const count = tree.nodeCount;
  const keep = new Uint8Array(count);
  const filter = query.filter?.trim().toLowerCase() ?? '';
  for (let node = count - 1; node > 0; node--) {
    const status = snapshot.status[node] ?? STATUS.hidden;
    if (status === STATUS.hidden) continue;
    const matches =
      (!query.changesOnly || status !== STATUS.unchanged) &&
      (!query.layerEntriesOnly || snapshot.direct[node] === 1) &&
      (filter === '' || (tree.nodePath[node] ?? '').toLowerCase().includes(filter));
    if (matches) keep[node] = 1;
    if (keep[node]) {
      const parent = tree.nodeParent[node] ?? 0;
      if (parent > 0) keep[parent] = 1;
    }
  }
  return keep;
}

function sortedChildren(
  tree: LayerFileTree,
  snapshot: LayerSnapshot,
  node: number,
  sortBy: FileTreeQuery['sortBy'],
): number[] {
  const children = Array.from(tree.nodeChildren[node] ?? []);
  if (sortBy === 'size') {
    // Stable sort keeps name order among equal sizes.
    children.sort((a, b) => (snapshot.size[b] ?? 0) - (snapshot.size[a] ?? 0));
  }
  return children;
}

function describeRow(
  tree: LayerFileTree,
  snapshot: LayerSnapshot,
  flat: Flattened,
  node: number,
  depth: number,
): FileTreeRow {
  const now = snapshot.ref[node] ?? ABSENT;
  const ref = now === ABSENT ? (snapshot.prevRef[node] ?? ABSENT) : now;
  const entry = ref >= 0 ? tree.entries[ref] : undefined;
  const kind: EntryKind = ref === IMPLICIT ? 'directory' : (entry?.kind ?? 'directory');
  let hasChildren = false;
  for (const child of tree.nodeChildren[node] ?? []) {
    if (flat.keep[child]) {
      hasChildren = true;
      break;
    }
  }
  const row: FileTreeRow = {
    path: tree.nodePath[node] ?? '',
    name: tree.nodeName[node] ?? '',
    depth,
    kind,
    status: STATUS_NAMES[snapshot.status[node] ?? 0] ?? 'unchanged',
    size: snapshot.size[node] ?? 0,
    hasChildren,
    collapsed: flat.collapsed.has(node),
    inLayer: snapshot.direct[node] === 1,
  };
  if (!entry) return row;
  return {
    ...row,
    mode: entry.mode,
    uid: entry.uid,
    gid: entry.gid,
    mtime: entry.mtime,
    ...(entry.linkname !== undefined ? { linkTarget: entry.linkname } : {}),
  };
}
