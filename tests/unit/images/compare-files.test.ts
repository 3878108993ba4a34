import { describe, expect, it } from 'vitest';
import { compareFiles, filterFileDifferences } from '../../../src-main/core/images/compare-files';
import type { LayerEntry } from '../../../src-main/core/layers/layer-entry';
import { LayerFileTree } from '../../../src-main/core/layers/layer-file-tree';

const dir = (path: string): LayerEntry => ({ path, kind: 'directory', size: 0, mode: 0o755, uid: 0, gid: 0, mtime: 1 });
const file = (path: string, size: number, mtime = 1): LayerEntry => ({
  path,
  kind: 'file',
  size,
  mode: 0o644,
  uid: 0,
  gid: 0,
  mtime,
});
const whiteout = (path: string): LayerEntry => file(path, 0);

const base = [dir('/etc'), file('/etc/a', 10), file('/etc/b', 20), dir('/bin'), file('/bin/sh', 100)];

function side(layers: LayerEntry[][], diffIds: string[]) {
  return { tree: new LayerFileTree({ layers: layers.map((entries) => ({ entries })) }), diffIds };
}

describe('file comparison of two images', () => {
  it('finds what B adds, modifies and removes on top of a shared base, and the layer of B that did it', () => {
    const a = side([base], ['sha256:base']);
    const b = side(
      [base, [file('/new-file', 6)], [dir('/etc'), file('/etc/a', 11, 2), whiteout('/etc/.wh.b')]],
      ['sha256:base', 'sha256:add', 'sha256:change'],
    );
    const result = compareFiles(a, b);
    expect(result.rows).toEqual([
      { path: '/etc/a', change: 'modified', sizeA: 10, sizeB: 11, kind: 'file', layerA: 0, layerB: 2 },
      { path: '/etc/b', change: 'removed', sizeA: 20, kind: 'file', layerA: 0, layerB: 2 },
      { path: '/new-file', change: 'added', sizeB: 6, kind: 'file', layerB: 1 },
    ]);
    expect(result.counts).toEqual({ added: 1, modified: 1, removed: 1 });
    expect(result.bytes).toEqual({ added: 6, modified: 11, removed: 20 });
  });

  it('sees no difference between an image and itself, nor in files rewritten identically', () => {
    const same = side([base], ['sha256:base']);
    expect(compareFiles(same, side([base], ['sha256:base'])).rows).toEqual([]);
    // Different layers with the same file (same size, mode, owner and time): not a change.
    const other = side([base.map((e) => ({ ...e }))], ['sha256:other']);
    expect(compareFiles(same, other).rows).toEqual([]);
  });

  it('filters by path and by kind of change', () => {
    const a = side([base], ['sha256:base']);
    const b = side([base, [file('/new-file', 6), file('/etc/c', 1)]], ['sha256:base', 'sha256:add']);
    const { rows } = compareFiles(a, b);
    expect(filterFileDifferences(rows, { text: 'NEW' }).map((r) => r.path)).toEqual(['/new-file']);
    expect(filterFileDifferences(rows, { changes: ['removed'] })).toEqual([]);
    expect(filterFileDifferences(rows, { changes: ['added'], text: 'etc' }).map((r) => r.path)).toEqual(['/etc/c']);
  });
});
