/**
 * What a key does in a tree grid whose rows take the focus (WAI-ARIA treegrid): Up and Down move a row,
 * PageUp and PageDown a screen, Home and End to the ends. Right opens a closed folder and, on an open one, goes
 * to its first child; Left closes an open folder and, on a file or a closed folder, goes to the folder holding
 * it. Enter and Space open or close a folder. Pure, so it is tested without a page.
 */

/** Move the focus to row `to` (already within the tree), or open/close the focused row's folder. */
export type TreeGridAction = { readonly move: number } | { readonly toggle: true };

export interface TreeGridKey {
  readonly key: string;
  /** The row the keyboard is on. */
  readonly index: number;
  /** Rows in the whole flattened tree. */
  readonly total: number;
  /** Rows PageUp and PageDown move (see `pageRows`). */
  readonly pageRows: number;
  /** The focused row, once its page has arrived. */
  readonly row?: {
    /** A folder with something inside. */
    readonly hasChildren: boolean;
    readonly open: boolean;
    /** The position of the folder holding it; none at the top of the tree. */
    readonly parent?: number | undefined;
    /** False where folders cannot be closed (a search opens every folder holding a match). */
    readonly canToggle?: boolean;
  };
}

/** The action for a key, or undefined when the tree grid leaves the key alone (Tab, letters, …). */
export function treeGridAction(input: TreeGridKey): TreeGridAction | undefined {
  const { key, index, total, pageRows, row } = input;
  const to = (target: number): TreeGridAction => ({ move: Math.max(0, Math.min(total - 1, target)) });
  switch (key) {
    case 'ArrowDown':
      return to(index + 1);
    case 'ArrowUp':
      return to(index - 1);
    case 'PageDown':
      return to(index + pageRows);
    case 'PageUp':
      return to(index - pageRows);
    case 'Home':
      return to(0);
    case 'End':
      return to(total - 1);
  }
  if (!row) return undefined;
  const toggles = row.hasChildren && row.canToggle !== false;
  const toggle: TreeGridAction = { toggle: true };
  switch (key) {
    case 'Enter':
    case ' ':
      return toggles ? toggle : undefined;
    case 'ArrowRight':
      if (!row.hasChildren) return undefined;
      // An open folder's first child is the row right after it.
      return row.open ? to(index + 1) : toggles ? toggle : undefined;
    case 'ArrowLeft':
      if (row.hasChildren && row.open && toggles) return toggle;
      return row.parent !== undefined && row.parent >= 0 && row.parent < index ? to(row.parent) : undefined;
  }
  return undefined;
}
