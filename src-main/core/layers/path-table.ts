import { compareGoStrings } from '$shared/go/string-order';
import { parentPath } from './image-path';

/**
 * Every path of an image's layers, each once, numbered: node 0 is the root "/", and a node's parent always has
 * a smaller id. Paths are absolute and clean, as layer entries hold them. One table can serve several
 * computations over the same layers (dive's figures, the overlay replay), so each path is looked up once.
 */
export class PathTable {
  /** Absolute path of each node. */
  readonly paths: string[] = ['/'];
  /** Parent of each node (-1 for the root). */
  readonly parent: number[] = [-1];
  /** Children of each node in the order they were added; undefined until a node has one (most never do). */
  readonly children: (number[] | undefined)[] = [undefined];
  private readonly ids = new Map<string, number>([['/', 0]]);
  private sorted: Int32Array[] | undefined;
  private lastParent = 0;

  get size(): number {
    return this.paths.length;
  }

  /** The id of a path, if it has one. */
  lookup(path: string): number | undefined {
    return this.ids.get(path);
  }

  /** The id of a path, adding it (and its missing parents) if needed. */
  intern(path: string): number {
    const known = this.ids.get(path);
    if (known !== undefined) return known;
    // Layer tars list a folder's files one after another: their parent is usually the last one found.
    const slash = path.lastIndexOf('/');
    const lastParent = this.paths[this.lastParent] as string;
    let parentId = this.lastParent;
    if (slash <= 0) parentId = 0;
    else if (slash !== lastParent.length || !path.startsWith(lastParent)) {
      parentId = this.intern(parentPath(path));
      this.lastParent = parentId;
    }
    const id = this.paths.length;
    this.ids.set(path, id);
    this.paths.push(path);
    this.parent.push(parentId);
    this.children.push(undefined);
    const siblings = this.children[parentId];
    if (siblings) siblings.push(id);
    else this.children[parentId] = [id];
    this.sorted = undefined;
    return id;
  }

  /** Children of each node by name in Go's string order (sort.Strings, dive's order). */
  sortedChildren(): readonly Int32Array[] {
    if (this.sorted) return this.sorted;
    const { paths } = this;
    // Siblings' paths are their parent's path, a slash and their names: compared from there, they order by name.
    this.sorted = this.children.map((list, parent) => {
      if (list === undefined) return NO_CHILDREN;
      if (list.length === 1) return Int32Array.from(list);
      const from = parent === 0 ? 1 : (paths[parent] as string).length + 1;
      const byName = (a: number, b: number): number => compareGoStrings(paths[a] as string, paths[b] as string, from);
      // Layer tars list a folder's entries sorted by name already, as Go's filepath.Walk writes them.
      let sorted = true;
      for (let i = 1; i < list.length && sorted; i++) sorted = byName(list[i - 1] as number, list[i] as number) < 0;
      return Int32Array.from(sorted ? list : [...list].sort(byName));
    });
    return this.sorted;
  }
}

const NO_CHILDREN = new Int32Array(0);
