import { describe, expect, it } from 'vitest';
import { buildDiffTree, totalChanges, type DiffNode } from '$shared/commit/diff-tree';

/** Compact view of a tree: path, kind and counts of every node, depth first. */
function flatten(node: DiffNode): string[] {
  const c = node.counts;
  const self = `${node.path} ${node.kind ?? '-'} ${c.added}/${c.changed}/${c.deleted}`;
  return [self, ...node.children.flatMap(flatten)];
}

describe('buildDiffTree', () => {
  it('nests paths as docker diff reports them, counting each subtree', () => {
    const tree = buildDiffTree([
      { path: '/root', kind: 'changed' },
      { path: '/root/.ash_history', kind: 'added' },
      { path: '/my-file', kind: 'added' },
      { path: '/etc', kind: 'changed' },
      { path: '/etc/motd', kind: 'deleted' },
      { path: '/etc/hosts', kind: 'changed' },
    ]);
    expect(flatten(tree)).toEqual([
      '/ - 2/3/1',
      '/etc changed 0/2/1',
      '/etc/hosts changed 0/1/0',
      '/etc/motd deleted 0/0/1',
      '/my-file added 1/0/0',
      '/root changed 1/1/0',
      '/root/.ash_history added 1/0/0',
    ]);
    expect(totalChanges(tree.counts)).toBe(6);
  });

  it('creates unreported parent directories without a kind', () => {
    const tree = buildDiffTree([{ path: '/a/b/c.txt', kind: 'added' }]);
    expect(flatten(tree)).toEqual(['/ - 1/0/0', '/a - 1/0/0', '/a/b - 1/0/0', '/a/b/c.txt added 1/0/0']);
  });

  it('sorts children by name in code-point order', () => {
    const tree = buildDiffTree([
      { path: '/b', kind: 'added' },
      { path: '/B', kind: 'added' },
      { path: '/a', kind: 'added' },
    ]);
    expect(tree.children.map((c) => c.name)).toEqual(['B', 'a', 'b']);
  });

  it('is an empty root when nothing changed', () => {
    const tree = buildDiffTree([]);
    expect(tree).toEqual({ name: '', path: '/', children: [], counts: { added: 0, changed: 0, deleted: 0 } });
  });

  it('does not count a repeated path twice', () => {
    const tree = buildDiffTree([
      { path: '/x', kind: 'added' },
      { path: '/x', kind: 'added' },
    ]);
    expect(tree.counts).toEqual({ added: 1, changed: 0, deleted: 0 });
  });
});
