import type { LayerEntry } from '../layers/layer-entry';
import { ABSENT, IMPLICIT, type LayerFileTree } from '../layers/layer-file-tree';

/** One path that differs between image A and image B (files, links and other non-folders). */
export interface FileDifference {
  path: string;
  change: 'added' | 'modified' | 'removed';
  /** Size in A (absent when added) and in B (absent when removed); 0 for links. */
  sizeA?: number;
  sizeB?: number;
  /** What the path is in B (or was in A, when removed). */
  kind: LayerEntry['kind'];
  /** The layer of B that made the change (0-based), when B has one: where the Files tab shows it. */
  layerB?: number;
  /** The layer of A the path came from, when it is in A. */
  layerA?: number;
}

export interface FileComparison {
  rows: FileDifference[];
  counts: { added: number; modified: number; removed: number };
  /** Bytes of the added files, of the modified files as they are in B, and of the removed files as they were in A. */
  bytes: { added: number; modified: number; removed: number };
}

/** The two sides: their per-layer file trees and diff IDs (equal diff IDs from the bottom = the same layers). */
export interface ComparedTree {
  tree: LayerFileTree;
  diffIds: readonly (string | undefined)[];
}

/**
 * Compare two images file by file, as they stand after their last layers: which paths B adds, changes and
 * removes against A. Layers both images share from the bottom up hold the same bytes, so a path both got
 * from the same shared layer is the same; otherwise type, permissions, owner, link target, size and (when
 * read) contents or modification time decide, as the Files tab's change marks do. Folders are left out:
 * a folder differs only through what is in it.
 */
export function compareFiles(a: ComparedTree, b: ComparedTree): FileComparison {
  const shared = sharedLayers(a.diffIds, b.diffIds);
  const finalA = finalState(a.tree);
  const finalB = finalState(b.tree);
  const rows: FileDifference[] = [];
  const counts = { added: 0, modified: 0, removed: 0 };
  const bytes = { added: 0, modified: 0, removed: 0 };

  for (const [path, refB] of finalB) {
    const entryB = b.tree.entries[refB]!;
    const layerB = b.tree.entryLayer[refB]!;
    const refA = finalA.get(path);
    if (refA === undefined) {
      rows.push({ path, change: 'added', sizeB: entryB.size, kind: entryB.kind, layerB });
      counts.added++;
      bytes.added += entryB.size;
      continue;
    }
    const entryA = a.tree.entries[refA]!;
    const layerA = a.tree.entryLayer[refA]!;
    const sameLayer = layerA === layerB && layerA < shared;
    if (sameLayer || sameEntry(entryA, entryB)) continue;
    rows.push({ path, change: 'modified', sizeA: entryA.size, sizeB: entryB.size, kind: entryB.kind, layerA, layerB });
    counts.modified++;
    bytes.modified += entryB.size;
  }
  for (const [path, refA] of finalA) {
    if (finalB.has(path)) continue;
    const entryA = a.tree.entries[refA]!;
    const layerB = removingLayer(b.tree, path);
    rows.push({
      path,
      change: 'removed',
      sizeA: entryA.size,
      kind: entryA.kind,
      layerA: a.tree.entryLayer[refA]!,
      ...(layerB !== undefined ? { layerB } : {}),
    });
    counts.removed++;
    bytes.removed += entryA.size;
  }
  rows.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
  return { rows, counts, bytes };
}

/** Filter a comparison's rows by a piece of the path (case-insensitive) and by the kinds of change wanted. */
export function filterFileDifferences(
  rows: readonly FileDifference[],
  options: { text?: string; changes?: ReadonlyArray<FileDifference['change']> },
): FileDifference[] {
  const text = (options.text ?? '').trim().toLowerCase();
  const changes = options.changes && options.changes.length > 0 ? new Set(options.changes) : undefined;
  return rows.filter((r) => (!changes || changes.has(r.change)) && (!text || r.path.toLowerCase().includes(text)));
}

function sharedLayers(a: readonly (string | undefined)[], b: readonly (string | undefined)[]): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] !== undefined && a[i] === b[i]) i++;
  return i;
}

/** Every non-folder path present after the last layer, with the entry it refers to. */
function finalState(tree: LayerFileTree): Map<string, number> {
  const last = tree.layerCount - 1;
  const present = new Map<string, number>();
  if (last < 0) return present;
  for (let node = 1; node < tree.nodeCount; node++) {
    const ref = tree.refAt(node, last);
    if (ref === ABSENT || ref === IMPLICIT) continue;
    const entry = tree.entries[ref];
    if (!entry || entry.kind === 'directory') continue;
    present.set(tree.nodePath[node]!, ref);
  }
  return present;
}

/** The layer of this tree that removed a path it had, if it ever had it. */
function removingLayer(tree: LayerFileTree, path: string): number | undefined {
  const node = tree.nodeId(path);
  if (node === undefined) return undefined;
  const { evStart, evLayer, evRef } = tree.events;
  let removedAt: number | undefined;
  let had = false;
  for (let i = evStart[node] ?? 0, end = evStart[node + 1] ?? 0; i < end; i++) {
    const ref = evRef[i] ?? ABSENT;
    if (ref === ABSENT) {
      if (had) removedAt = evLayer[i];
    } else {
      had = true;
      removedAt = undefined;
    }
  }
  return removedAt;
}

function sameEntry(a: LayerEntry, b: LayerEntry): boolean {
  if (a.kind !== b.kind || a.mode !== b.mode || a.uid !== b.uid || a.gid !== b.gid) return false;
  if (a.linkname !== b.linkname || a.size !== b.size) return false;
  if (a.kind !== 'file') return true;
  if (a.contentDigest !== undefined && b.contentDigest !== undefined) return a.contentDigest === b.contentDigest;
  return a.mtime === b.mtime;
}
