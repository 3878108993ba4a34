import { describe, expect, it } from 'vitest';
import { OVERSCAN, pageRows, revealScrollTop, rowWindow } from '../../../src-renderer/lib/virtual-rows';

// The layer file tree's geometry: 22-pixel rows under a 24-pixel header.
const geometry = { rowHeight: 22, headerHeight: 24 };

describe('a virtual list of fixed-height rows under a sticky header', () => {
  it('renders the rows in sight and OVERSCAN more on each side, within the list', () => {
    // 400 pixels high, less the header: 376 pixels, rows 0 to 17 (the 18th partly).
    expect(rowWindow({ scrollTop: 0, viewportHeight: 400, total: 1000 }, geometry)).toEqual({
      first: 0,
      last: 18 + OVERSCAN,
    });
    // Scrolled to row 100: rows 100 to 117 in sight.
    expect(rowWindow({ scrollTop: 2200, viewportHeight: 400, total: 1000 }, geometry)).toEqual({
      first: 100 - OVERSCAN,
      last: 118 + OVERSCAN,
    });
    expect(rowWindow({ scrollTop: 2200, viewportHeight: 400, total: 110 }, geometry).last).toBe(110);
    expect(rowWindow({ scrollTop: 0, viewportHeight: 400, total: 0 }, geometry)).toEqual({ first: 0, last: 0 });
  });

  it('pages by a screen less one row, and by at least one row', () => {
    expect(pageRows(400, geometry)).toBe(Math.floor(376 / 22) - 1);
    expect(pageRows(30, geometry)).toBe(1);
  });

  it('scrolls a row into view as little as needed, and not at all when it is in sight', () => {
    const view = { scrollTop: 2200, clientHeight: 400 };
    expect(revealScrollTop({ ...view, index: 105 }, geometry)).toBe(2200);
    // Above: the row at the top.
    expect(revealScrollTop({ ...view, index: 90 }, geometry)).toBe(90 * 22);
    // Below: the row's bottom at the bottom of the 376 pixels under the header.
    expect(revealScrollTop({ ...view, index: 120 }, geometry)).toBe(121 * 22 - 376);
    // The last row wholly in sight stays; the one after it scrolls by a row.
    expect(revealScrollTop({ ...view, index: 116 }, geometry)).toBe(2200);
    expect(revealScrollTop({ ...view, index: 117 }, geometry)).toBe(118 * 22 - 376);
  });
});
