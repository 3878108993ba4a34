import { FlatteningCache, flattenTree, rowWindow, type TreeOrder } from '../files/tree-rows';
import type { ContextChange, ContextNode, ContextNodeKind, ContextRule, ContextTree } from './context-tree';

/** Which paths the tree shows besides the search. */
export type ContextTreeShow = 'all' | 'sent' | 'excluded' | 'changed';

/** What the context tree view asks for: a search, a view, the folders opened, and a window of rows. */
export interface ContextTreeQuery {
  /** A path substring (case-insensitive) or a glob (`*`, `**`, `?`); matches are shown with their folders. */
  readonly filter?: string;
  readonly show?: ContextTreeShow;
  /** Folders shown open. With a search or the "changed" view every folder that holds a match is open. */
  readonly expanded?: readonly string[];
  readonly offset?: number;
  readonly limit?: number;
}

/** One visible line of the context tree. */
export interface ContextTreeRow {
  readonly path: string;
  readonly name: string;
  /** 0 for entries at the top of the context. */
  readonly depth: number;
  readonly kind: ContextNodeKind;
  /** The path's own tar entry is sent. */
  readonly sent: boolean;
  /** The rule that excluded it, or (sent) the `!` rule that re-included it. */
  readonly rule?: ContextRule;
  /** The excluded folder above it that Docker never enters. */
  readonly skippedBy?: string;
  /** A `!` rule that matches it but is never reached, since Docker does not enter the folder above. */
  readonly unreached?: ContextRule;
  /** False for a file the last build sent that is gone. */
  readonly onDisk: boolean;
  readonly change?: ContextChange;
  /** A file's size; for a folder, the bytes of the files below it. */
  readonly sentBytes: number;
  readonly excludedBytes: number;
  readonly sentFiles: number;
  readonly excludedFiles: number;
  /** Files at or below it added, changed or removed since the last build. */
  readonly changes: number;
  readonly hasChildren: boolean;
  readonly expanded: boolean;
  /** Position of the row of the folder holding it among all the rows; absent at the top. */
  readonly parentIndex?: number;
}

export interface ContextTreePage {
  /** Rows in the whole flattened tree under this query. */
  readonly total: number;
  /** Paths that match the search and view themselves (not counting the folders shown around them). */
  readonly matches: number;
  readonly offset: number;
  readonly rows: readonly ContextTreeRow[];
}

interface Flattened extends TreeOrder {
  readonly keep: Uint8Array;
  readonly open: (node: number) => boolean;
  readonly matches: number;
}

const cache = new FlatteningCache<ContextTree, Flattened>();

/** A test for the search box: a glob when it has `*`, `?` or `[`, else a case-insensitive substring. */
export function pathMatcher(text: string): (path: string) => boolean {
  const needle = text.trim().replace(/^\.?\//, '');
  if (needle === '') return () => true;
  if (!/[*?[]/.test(needle)) {
    const lower = needle.toLowerCase();
    return (path) => path.toLowerCase().includes(lower);
  }
  let source = '';
  for (let i = 0; i < needle.length; i++) {
    const ch = needle[i] as string;
    if (ch === '*' && needle[i + 1] === '*') {
      // `**/` spans any number of folders, including none.
      const slash = needle[i + 2] === '/';
      source += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (ch === '*') source += '[^/]*';
    else if (ch === '?') source += '[^/]';
    else if (ch === '[') {
      const close = needle.indexOf(']', i + 2);
      if (close < 0) source += '\\[';
      else {
        const body = needle.slice(i + 1, close).replace(/\\/g, '\\\\');
        source += `[${body.startsWith('!') ? '^' + body.slice(1) : body}]`;
        i = close;
      }
    } else source += ch.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  const whole = new RegExp(`^${source}$`, 'i');
  // A glob without `/` names a file anywhere (as `*.log` in a search box means), else a path from the top.
  if (!needle.includes('/')) return (path) => whole.test(path.slice(path.lastIndexOf('/') + 1)) || whole.test(path);
  return (path) => whole.test(path);
}

function shows(node: ContextNode, show: ContextTreeShow): boolean {
  if (show === 'sent') return node.sent;
  if (show === 'excluded') return !node.sent && node.onDisk;
  if (show === 'changed') return node.change !== undefined;
  return true;
}

/** A window of the flattened rows of a context tree: what a virtual list renders. */
export function listContextTreeRows(tree: ContextTree, query: ContextTreeQuery): ContextTreePage {
  tree.sum();
  const flat = flatten(tree, query);
  const { offset, limit } = rowWindow(query);
  const rows: ContextTreeRow[] = [];
  for (let i = offset; i < Math.min(flat.nodes.length, offset + limit); i++) {
    const row = describeRow(tree, flat, flat.nodes[i] ?? 0, flat.depths[i] ?? 0);
    const parent = flat.parents[i] ?? -1;
    rows.push(parent >= 0 ? { ...row, parentIndex: parent } : row);
  }
  return { total: flat.nodes.length, matches: flat.matches, offset, rows };
}

function flatten(tree: ContextTree, query: ContextTreeQuery): Flattened {
  const show = query.show ?? 'all';
  const filter = query.filter?.trim() ?? '';
  const key = JSON.stringify([filter, show, [...(query.expanded ?? [])].sort()]);
  return cache.get(tree, key, () => flattenUncached(tree, filter, show, query.expanded ?? []));
}

function flattenUncached(
  tree: ContextTree,
  filter: string,
  show: ContextTreeShow,
  expandedPaths: readonly string[],
): Flattened {
  const test = pathMatcher(filter);
  const nodes = tree.nodes;
  const keep = new Uint8Array(nodes.length);
  let matches = 0;
  // Children come after their parents: one pass from the end carries each match up to its folders.
  for (let id = nodes.length - 1; id > 0; id--) {
    const node = nodes[id] as ContextNode;
    if (shows(node, show) && test(node.path)) {
      keep[id] = 1;
      matches++;
    }
    if (keep[id]) keep[node.parent] = 1;
  }
  const everyOpen = filter !== '' || show === 'changed';
  const expanded = new Set(expandedPaths);
  const open = (id: number): boolean => id === 0 || everyOpen || expanded.has((nodes[id] as ContextNode).path);

  const order = flattenTree((id) => (nodes[id] as ContextNode).children, keep, open);
  return { ...order, keep, open, matches };
}

function describeRow(tree: ContextTree, flat: Flattened, id: number, depth: number): ContextTreeRow {
  const node = tree.nodes[id] as ContextNode;
  const rule = node.rule !== undefined ? tree.rules[node.rule] : undefined;
  const unreached = node.unreached !== undefined ? tree.rules[node.unreached] : undefined;
  return {
    path: node.path,
    name: node.name,
    depth,
    kind: node.kind,
    sent: node.sent,
    ...(rule ? { rule } : {}),
    ...(node.skippedBy !== undefined ? { skippedBy: node.skippedBy } : {}),
    ...(unreached ? { unreached } : {}),
    onDisk: node.onDisk,
    ...(node.change ? { change: node.change } : {}),
    sentBytes: node.sentBytes,
    excludedBytes: node.excludedBytes,
    sentFiles: node.sentFiles,
    excludedFiles: node.excludedFiles,
    changes: node.changes,
    hasChildren: node.children.some((child) => flat.keep[child] === 1),
    expanded: flat.open(id),
  };
}

/** Position of a path among the rows (to scroll to it), or -1 when the query hides it. */
export function findContextTreeRow(tree: ContextTree, query: ContextTreeQuery, path: string): number {
  const id = tree.nodeId(path);
  if (id === undefined) return -1;
  return flatten(tree, query).nodes.indexOf(id);
}
