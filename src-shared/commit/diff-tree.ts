/** How a path differs from the image the container was created from, as `docker diff` says: A, C or D. */
export type ChangeKind = 'added' | 'changed' | 'deleted';

export interface DiffEntry {
  path: string;
  kind: ChangeKind;
}

export interface DiffCounts {
  added: number;
  changed: number;
  deleted: number;
}

export interface DiffNode {
  /** Last path component; '' for the root. */
  name: string;
  /** Absolute path; '/' for the root. */
  path: string;
  /** The change reported for this very path; absent for a directory only present to hold changed children. */
  kind?: ChangeKind;
  /** Sorted by name. */
  children: DiffNode[];
  /** Changes in this node's subtree, itself included. */
  counts: DiffCounts;
}

/** The engine's numeric change kinds (`GET /containers/{id}/changes`). */
export const ENGINE_CHANGE_KINDS: Record<number, ChangeKind> = { 0: 'changed', 1: 'added', 2: 'deleted' };

/** Build the tree of changed paths with per-subtree counts from a flat `docker diff` list. */
export function buildDiffTree(entries: readonly DiffEntry[]): DiffNode {
  const root: DiffNode = { name: '', path: '/', children: [], counts: emptyCounts() };
  const index = new Map<string, DiffNode>([['/', root]]);
  for (const entry of entries) {
    const parts = entry.path.split('/').filter((p) => p !== '');
    let node = root;
    const chain: DiffNode[] = [root];
    let path = '';
    for (const part of parts) {
      path += `/${part}`;
      let child = index.get(path);
      if (!child) {
        child = { name: part, path, children: [], counts: emptyCounts() };
        index.set(path, child);
        node.children.push(child);
      }
      node = child;
      chain.push(child);
    }
    if (node.kind !== undefined) continue; // the engine never repeats a path; guard the counts if it did
    node.kind = entry.kind;
    for (const ancestor of chain) ancestor.counts[entry.kind]++;
  }
  sortTree(root);
  return root;
}

/** Total number of changed paths in a tree or counts. */
export function totalChanges(counts: DiffCounts): number {
  return counts.added + counts.changed + counts.deleted;
}

function sortTree(node: DiffNode): void {
  node.children.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const child of node.children) sortTree(child);
}

function emptyCounts(): DiffCounts {
  return { added: 0, changed: 0, deleted: 0 };
}
