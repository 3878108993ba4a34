/**
 * What a key does in a tree grid whose rows take the focus (WAI-ARIA treegrid): Up and Down move a row,
 * PageUp and PageDown a screen, Home and End to the ends; Right opens a closed folder, Left closes an open
 * one, Enter and Space open or close it. Pure, so it is tested without a page.
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
  /** The focused row, once its page has arrived: a folder with something inside, and whether it is open. */
  readonly row?: { readonly hasChildren: boolean; readonly open: boolean };
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
  if (!row?.hasChildren) return undefined;
  if (key === 'Enter' || key === ' ') return { toggle: true };
  if (key === 'ArrowRight' && !row.open) return { toggle: true };
  if (key === 'ArrowLeft' && row.open) return { toggle: true };
  return undefined;
}
