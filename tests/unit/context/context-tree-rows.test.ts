import { describe, expect, it } from 'vitest';
import { ContextTree } from '../../../src-main/core/context/context-tree';
import { listContextTreeRows, pathMatcher } from '../../../src-main/core/context/context-tree-rows';

function sample(): ContextTree {
  const tree = new ContextTree([{ pattern: '*.log', line: 1, forced: false }]);
  tree.add({ path: 'Dockerfile', kind: 'file', sent: true, size: 10 });
  tree.add({ path: 'logs', kind: 'dir', sent: true, size: 0 });
  tree.add({ path: 'logs/a.log', kind: 'file', sent: false, size: 100, rule: 0 });
  tree.add({ path: 'src', kind: 'dir', sent: true, size: 0 });
  tree.add({ path: 'src/app.js', kind: 'file', sent: true, size: 7 });
  tree.add({ path: 'src/lib', kind: 'dir', sent: true, size: 0 });
  tree.add({ path: 'src/lib/util.js', kind: 'file', sent: true, size: 3 });
  tree.add({ path: 'src/lib/debug.log', kind: 'file', sent: false, size: 50, rule: 0 });
  return tree;
}

const paths = (page: { rows: readonly { path: string }[] }) => page.rows.map((r) => r.path);

describe('context tree rows', () => {
  it('opens only the top level until a folder is expanded, with folder sums on each row', () => {
    const tree = sample();
    const top = listContextTreeRows(tree, {});
    expect(paths(top)).toEqual(['Dockerfile', 'logs', 'src']);
    expect(top.rows[2]).toMatchObject({ hasChildren: true, expanded: false, sentBytes: 10, excludedBytes: 50 });
    const open = listContextTreeRows(tree, { expanded: ['src'] });
    expect(paths(open)).toEqual(['Dockerfile', 'logs', 'src', 'src/app.js', 'src/lib']);
    expect(open.rows[4]).toMatchObject({ depth: 1, expanded: false });
  });

  it('names the row of the folder holding each row, so Left can go there from anywhere below it', () => {
    const tree = sample();
    const rows = listContextTreeRows(tree, { expanded: ['logs', 'src', 'src/lib'] }).rows;
    expect(rows.map((row) => [row.path, row.parentIndex])).toEqual([
      ['Dockerfile', undefined],
      ['logs', undefined],
      ['logs/a.log', 1],
      ['src', undefined],
      ['src/app.js', 3],
      ['src/lib', 3],
      ['src/lib/util.js', 5],
      ['src/lib/debug.log', 5],
    ]);
    // A page far from the folder's row still names it.
    const page = listContextTreeRows(tree, { expanded: ['logs', 'src', 'src/lib'], offset: 6, limit: 2 });
    expect(page.rows.map((row) => row.parentIndex)).toEqual([5, 5]);
  });

  it('searches by substring or glob and shows each match with its folders open', () => {
    const tree = sample();
    expect(paths(listContextTreeRows(tree, { filter: 'UTIL' }))).toEqual(['src', 'src/lib', 'src/lib/util.js']);
    const logs = listContextTreeRows(tree, { filter: '*.log' });
    expect(paths(logs)).toEqual(['logs', 'logs/a.log', 'src', 'src/lib', 'src/lib/debug.log']);
    expect(logs.matches).toBe(2);
    expect(logs.rows[1]?.rule).toEqual({ pattern: '*.log', line: 1, forced: false });
    expect(paths(listContextTreeRows(tree, { filter: 'src/**/*.js' }))).toEqual([
      'src',
      'src/app.js',
      'src/lib',
      'src/lib/util.js',
    ]);
    expect(pathMatcher('src/*.js')('src/lib/util.js')).toBe(false);
    expect(pathMatcher('[ab]pp.js')('src/app.js')).toBe(true);
  });

  it('shows only what is excluded, sent or changed', () => {
    const tree = sample();
    expect(paths(listContextTreeRows(tree, { show: 'excluded', expanded: ['logs', 'src', 'src/lib'] }))).toEqual([
      'logs',
      'logs/a.log',
      'src',
      'src/lib',
      'src/lib/debug.log',
    ]);
    tree.markChanges({ added: [], changed: ['src/lib/util.js'], removed: [] });
    expect(paths(listContextTreeRows(tree, { show: 'changed' }))).toEqual(['src', 'src/lib', 'src/lib/util.js']);
  });

  it('pages through 50,000 rows without building them all', () => {
    const tree = new ContextTree([]);
    for (let d = 0; d < 50; d++) {
      tree.add({ path: `d${d}`, kind: 'dir', sent: true, size: 0 });
      for (let f = 0; f < 1000; f++) tree.add({ path: `d${d}/f${f}`, kind: 'file', sent: true, size: 1 });
    }
    const expanded = Array.from({ length: 50 }, (_, d) => `d${d}`);
    const page = listContextTreeRows(tree, { expanded, offset: 25_000, limit: 200 });
    expect(page.total).toBe(50_050);
    expect(page.rows).toHaveLength(200);
    expect(page.rows[0]?.path).toBe('d24/f975');
    expect(tree.root.sentFiles).toBe(50_000);
  });
});
