import { META_WHITEOUT_PREFIX, WHITEOUT_PREFIX } from './image-path';
import { compareGoStrings } from '$shared/go/string-order';
import type { LayerEntry } from './layer-entry';

/**
 * A node of dive's own file tree model (`dive/filetree`), kept separate from Strata's layer view because dive's
 * figures depend on its quirks: opaque markers are ignored, parents without a tar header carry no size and are
 * not directories, and re-adding a path keeps the old node's children.
 */
export class DiveNode {
  children: Map<string, DiveNode> | undefined;
  size = 0;
  isDir = false;
  /** Children in Go order, kept until the children change: each layer tree is walked twice. */
  sorted: DiveNode[] | undefined;

  constructor(
    readonly name: string,
    readonly parent: DiveNode | undefined,
  ) {}

  get isLeaf(): boolean {
    return this.children === undefined || this.children.size === 0;
  }

  get isWhiteout(): boolean {
    return this.name.startsWith(WHITEOUT_PREFIX);
  }

  /** Children in Go's sort.Strings order, as every dive traversal visits them. */
  sortedChildren(): DiveNode[] {
    if (!this.children) return [];
    this.sorted ??= [...this.children.values()].sort((a, b) => compareGoStrings(a.name, b.name));
    return this.sorted;
  }

  copy(parent: DiveNode | undefined): DiveNode {
    const clone = new DiveNode(this.name, parent);
    clone.size = this.size;
    clone.isDir = this.isDir;
    if (this.children) {
      clone.children = new Map();
      for (const [name, child] of this.children) clone.children.set(name, child.copy(clone));
    }
    return clone;
  }
}

function stripWhiteout(name: string): string {
  return name.startsWith(WHITEOUT_PREFIX) ? name.slice(WHITEOUT_PREFIX.length) : name;
}

/** dive's FileTree: a root plus the number of nodes ever added (its per-layer "tree size"). */
export class DiveTree {
  root = new DiveNode('', undefined);
  nodeCount = 0;

  /** Builds one layer's tree from its entries in tar order. */
  static fromEntries(entries: readonly LayerEntry[]): DiveTree {
    const tree = new DiveTree();
    for (const entry of entries) {
      tree.addPath(entry.path, { size: entry.size, isDir: entry.kind === 'directory' });
    }
    return tree;
  }

  /** dive's AddPath: creates missing parents without data, stops at ".wh..wh." names, sets data on the last node. */
  addPath(path: string, info: { size: number; isDir: boolean }): void {
    const names = path.split('/').filter((name) => name !== '');
    let node = this.root;
    for (let i = 0; i < names.length; i++) {
      const name = names[i] as string;
      let child = node.children?.get(name);
      if (!child) {
        if (name.startsWith(META_WHITEOUT_PREFIX)) return;
        child = new DiveNode(name, node);
        node.children ??= new Map();
        node.children.set(name, child);
        node.sorted = undefined;
        this.nodeCount++;
      }
      node = child;
      if (i === names.length - 1) {
        node.size = info.size;
        node.isDir = info.isDir;
      }
    }
  }

  getNode(path: string): DiveNode | undefined {
    let node: DiveNode | undefined = this.root;
    for (const name of path.split('/')) {
      if (name === '') continue;
      node = node.children?.get(name);
      if (!node) return undefined;
    }
    return node;
  }

  removePath(path: string): void {
    const node = this.getNode(path);
    if (!node?.parent) return;
    node.parent.children?.delete(node.name);
    node.parent.sorted = undefined;
  }

  /**
   * dive's Stack: whiteouts remove their target, every other node (header or not) is added over the lower tree.
   * Walks both trees together instead of re-resolving each path from the root, in dive's visiting order.
   */
  stack(upper: DiveTree): void {
    stackChildren(upper.root, this.root);
  }

  copy(): DiveTree {
    const tree = new DiveTree();
    tree.nodeCount = this.nodeCount;
    tree.root = this.root.copy(undefined);
    return tree;
  }
}

function stackChildren(upper: DiveNode, lower: DiveNode): void {
  for (const child of upper.sortedChildren()) {
    if (child.isWhiteout) {
      const target = lower.children?.get(stripWhiteout(child.name));
      if (target) {
        lower.children?.delete(target.name);
        lower.sorted = undefined;
      }
      continue;
    }
    let target = lower.children?.get(child.name);
    if (!target) {
      target = new DiveNode(child.name, lower);
      lower.children ??= new Map();
      lower.children.set(child.name, target);
      lower.sorted = undefined;
    }
    stackChildren(child, target);
    target.size = child.size;
    target.isDir = child.isDir;
  }
}

/**
 * Depth-first, children before parent, siblings in Go string order, root never visited: dive's
 * VisitDepthChildFirst. The visitor returns false to abort the walk, as a Go visitor returning an error does.
 */
export function visitChildFirst(start: DiveNode, visit: (node: DiveNode) => boolean): boolean {
  for (const child of start.sortedChildren()) {
    if (!visitChildFirst(child, visit)) return false;
  }
  if (!start.parent) return true;
  return visit(start);
}

/** The same walk from the root, handing each node its dive Path() built on the way down. */
export function visitTreeChildFirst(tree: DiveTree, visit: (node: DiveNode, path: string) => boolean): boolean {
  return visitWithPath(tree.root, '', visit);
}

function visitWithPath(node: DiveNode, dir: string, visit: (node: DiveNode, path: string) => boolean): boolean {
  const own = node.parent ? `${dir}/${node.name}` : '';
  for (const child of node.sortedChildren()) {
    if (!visitWithPath(child, own, visit)) return false;
  }
  if (!node.parent) return true;
  // dive's FileNode.Path(): the whiteout prefix of the node's own name is dropped.
  return visit(node, `${dir}/${stripWhiteout(node.name)}`);
}
