/**
 * The arithmetic of a virtual list of fixed-height rows under a sticky header: which rows to render for a
 * scroll position, how far PageUp/PageDown moves, and where to scroll to bring a row into view. Pure, so it
 * is tested without a page.
 */

/** Row and header heights in pixels (the header sticks to the top of the scroller and hides what is under it). */
export interface RowGeometry {
  readonly rowHeight: number;
  readonly headerHeight: number;
}

/** Rows rendered above and below the ones in sight, so a quick scroll shows rows, not gaps. */
export const OVERSCAN = 15;

/** The rows to render, `first` to `last - 1`, for a scroll position and a viewport height. */
export function rowWindow(
  view: { readonly scrollTop: number; readonly viewportHeight: number; readonly total: number },
  geometry: RowGeometry,
): { first: number; last: number } {
  const first = Math.max(0, Math.floor(view.scrollTop / geometry.rowHeight) - OVERSCAN);
  const inSight = Math.ceil((view.scrollTop + view.viewportHeight - geometry.headerHeight) / geometry.rowHeight);
  return { first, last: Math.min(view.total, inSight + OVERSCAN) };
}

/** How many rows PageUp and PageDown move: one screen less a row, so the row left behind stays in sight. */
export function pageRows(viewportHeight: number, geometry: RowGeometry): number {
  return Math.max(1, Math.floor((viewportHeight - geometry.headerHeight) / geometry.rowHeight) - 1);
}

/**
 * The scroll position that shows row `index` whole below the header, moving as little as possible: unchanged
 * when it is already in sight, the row at the top when it is above, at the bottom when it is below.
 */
export function revealScrollTop(
  view: { readonly index: number; readonly scrollTop: number; readonly clientHeight: number },
  geometry: RowGeometry,
): number {
  const top = view.index * geometry.rowHeight;
  const room = view.clientHeight - geometry.headerHeight;
  if (top < view.scrollTop) return top;
  if (top + geometry.rowHeight > view.scrollTop + room) return top + geometry.rowHeight - room;
  return view.scrollTop;
}
