/**
 * What the Files view's layer tree and the Build view's context tree share: both page a tree to a virtual list
 * as rows, depth first, leaving out the nodes a search hides and the contents of closed folders.
 */

/**
 * A tree laid out as rows: node ids in display order, each row's depth (0 under the root), and the row of the
 * folder holding it (-1 under the root), so a view can go to a row's folder without having its rows at hand.
 */
export interface TreeOrder {
  readonly nodes: Int32Array;
  readonly depths: Uint16Array;
  readonly parents: Int32Array;
}

/**
 * Depth first from the root (node 0, itself no row): each kept child is a row, followed by its own rows when
 * it is open. `children` lists a node's children in display order.
 */
export function flattenTree(
  children: (node: number) => readonly number[],
  keep: Uint8Array,
  open: (node: number) => boolean,
): TreeOrder {
  const nodes: number[] = [];
  const depths: number[] = [];
  const parents: number[] = [];
  // An explicit stack: a deep tree must not overflow the call stack. Each entry: node, depth, parent's row.
  const stack: [number, number, number][] = [];
  const pushChildren = (node: number, depth: number, row: number): void => {
    const list = children(node);
    for (let i = list.length - 1; i >= 0; i--) {
      const child = list[i] as number;
      if (keep[child]) stack.push([child, depth, row]);
    }
  };
  pushChildren(0, 0, -1);
  while (stack.length > 0) {
    const [node, depth, parent] = stack.pop() as [number, number, number];
    const row = nodes.length;
    nodes.push(node);
    depths.push(depth);
    parents.push(parent);
    if (open(node)) pushChildren(node, depth + 1, row);
  }
  return { nodes: Int32Array.from(nodes), depths: Uint16Array.from(depths), parents: Int32Array.from(parents) };
}

/** The last 8 flattenings of each tree, by query: paging through a tree must not flatten it again per page. */
export class FlatteningCache<Tree extends object, Flat> {
  readonly #byTree = new WeakMap<Tree, Map<string, Flat>>();

  get(tree: Tree, key: string, make: () => Flat): Flat {
    let perTree = this.#byTree.get(tree);
    if (!perTree) {
      perTree = new Map();
      this.#byTree.set(tree, perTree);
    }
    const hit = perTree.get(key);
    if (hit) return hit;
    const flat = make();
    perTree.set(key, flat);
    if (perTree.size > 8) perTree.delete(perTree.keys().next().value as string);
    return flat;
  }
}

const DEFAULT_LIMIT = 200;
const MAX_LIMIT = 5000;

/** The window of rows a page asks for: 200 rows from the top unless told, never more than 5000. */
export function rowWindow(query: { readonly offset?: number; readonly limit?: number }): {
  offset: number;
  limit: number;
} {
  return {
    offset: Math.max(0, Math.trunc(query.offset ?? 0)),
    limit: Math.min(MAX_LIMIT, Math.max(0, Math.trunc(query.limit ?? DEFAULT_LIMIT))),
  };
}
