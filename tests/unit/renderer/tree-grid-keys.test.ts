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

  it('goes into an open folder with Right: to its first child, the row right after it', () => {
    expect(press('ArrowRight', folder(true))).toEqual({ move: 11 });
    expect(press('ArrowRight', { ...folder(true), parent: 3 })).toEqual({ move: 11 });
  });

  it('goes to the folder holding a file or a closed folder with Left, however far above it is', () => {
    expect(press('ArrowLeft', { ...file, parent: 9 })).toEqual({ move: 9 });
    expect(press('ArrowLeft', { ...folder(false), parent: 4 })).toEqual({ move: 4 });
    // A folder of 50,000 rows: its row is pages above, and Left still names it (the grid fetches it).
    expect(press('ArrowLeft', { ...file, parent: 0 }, { index: 50_000, total: 50_100 })).toEqual({ move: 0 });
  });

  it('where folders cannot close (a search opens them all), Left on an open folder goes to its own folder', () => {
    const searched = { ...folder(true), parent: 2, canToggle: false };
    expect(press('ArrowLeft', searched)).toEqual({ move: 2 });
    expect(press('ArrowRight', searched)).toEqual({ move: 11 });
    expect(press('Enter', searched)).toBeUndefined();
    expect(press('ArrowRight', { ...folder(false), canToggle: false })).toBeUndefined();
  });

  it('leaves the key alone where it means nothing: Right on a file, Left at the top of the tree', () => {
    expect(press('ArrowRight', { ...file, parent: 2 })).toBeUndefined();
    expect(press('ArrowLeft', folder(false))).toBeUndefined();
    expect(press('ArrowLeft', file)).toBeUndefined();
    expect(press('ArrowLeft', { ...file, parent: -1 })).toBeUndefined();
    for (const key of ['Enter', ' ']) expect(press(key, file)).toBeUndefined();
    for (const key of ['ArrowRight', 'ArrowLeft']) expect(press(key, undefined)).toBeUndefined();
  });

  it('leaves every other key to the page (Tab, letters, Escape)', () => {
    for (const key of ['Tab', 'a', 'Escape', 'F2']) expect(press(key, folder(false))).toBeUndefined();
  });
});
