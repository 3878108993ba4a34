import { describe, expect, it } from 'vitest';
import { treeGridAction, type TreeGridKey } from '../../../src-renderer/lib/tree-grid-keys';

const folder = (open: boolean) => ({ hasChildren: true, open });
const file = { hasChildren: false, open: false };
/** The focus on row 10 of 100, a screen of 8 rows, on the given row. */
const press = (key: string, row?: TreeGridKey['row'], at: Partial<TreeGridKey> = {}) =>
  treeGridAction({ key, index: 10, total: 100, pageRows: 8, row, ...at });

describe('the keys of a tree grid (the layer file tree and the build context tree)', () => {
  it('moves a row with the arrows, a screen with PageUp and PageDown, to the ends with Home and End', () => {
    expect(press('ArrowDown', file)).toEqual({ move: 11 });
    expect(press('ArrowUp', file)).toEqual({ move: 9 });
    expect(press('PageDown', file)).toEqual({ move: 18 });
    expect(press('PageUp', file)).toEqual({ move: 2 });
    expect(press('Home', file)).toEqual({ move: 0 });
    expect(press('End', file)).toEqual({ move: 99 });
  });

  it('stops at the first and last rows', () => {
    expect(press('ArrowUp', file, { index: 0 })).toEqual({ move: 0 });
    expect(press('PageUp', file, { index: 3 })).toEqual({ move: 0 });
    expect(press('ArrowDown', file, { index: 99 })).toEqual({ move: 99 });
    expect(press('PageDown', file, { index: 95 })).toEqual({ move: 99 });
    expect(press('End', undefined, { index: 0, total: 0 })).toEqual({ move: 0 });
  });

  it('moves even while the focused row’s page is still on its way', () => {
    expect(press('ArrowDown', undefined)).toEqual({ move: 11 });
    expect(press('Enter', undefined)).toBeUndefined();
  });

  it('opens a closed folder with Right, closes an open one with Left, and toggles with Enter and Space', () => {
    expect(press('ArrowRight', folder(false))).toEqual({ toggle: true });
    expect(press('ArrowLeft', folder(true))).toEqual({ toggle: true });
    expect(press('Enter', folder(true))).toEqual({ toggle: true });
    expect(press(' ', folder(false))).toEqual({ toggle: true });
  });

  it('leaves the key alone where it means nothing: Right on an open folder, Left on a closed one, a file', () => {
    expect(press('ArrowRight', folder(true))).toBeUndefined();
    expect(press('ArrowLeft', folder(false))).toBeUndefined();
    for (const key of ['ArrowRight', 'ArrowLeft', 'Enter', ' ']) expect(press(key, file)).toBeUndefined();
  });

  it('leaves every other key to the page (Tab, letters, Escape)', () => {
    for (const key of ['Tab', 'a', 'Escape', 'F2']) expect(press(key, folder(false))).toBeUndefined();
  });
});
