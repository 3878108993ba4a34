import { afterEach, describe, expect, it } from 'vitest';
import { resolveBuildFiles } from '../../../src-main/core/context/context-build-files';
import { scanContext } from '../../../src-main/core/context/context-scan';
import { ContextTree, type ContextNode } from '../../../src-main/core/context/context-tree';
import { walkContextTree } from '../../../src-main/core/context/context-tree-walk';
import { decidingRule, ruleMatches } from '../../../src-main/core/context/dockerignore-attribution';
import { readDockerignoreLines } from '../../../src-main/core/context/dockerignore-file';
import { PatternMatcher } from '../../../src-main/core/context/dockerignore-matcher';
import { removeTrees, tempTree } from './temp-tree';

afterEach(removeTrees);

/** The rule behind Docker's decision for a path, as `<line>:<pattern>`, found the way a walk finds it. */
function ruleOf(ignore: string, file: string): { excluded: boolean; rule?: string } {
  const matcher = PatternMatcher.create(readDockerignoreLines(ignore));
  const excluded = matcher.matchesOrParentMatches(file);
  const rule = decidingRule(matcher.patterns, ruleMatches(matcher.patterns, file), excluded);
  const p = rule === undefined ? undefined : matcher.patterns[rule];
  return { excluded, ...(p ? { rule: `${p.line}:${p.toString()}` } : {}) };
}

describe('which rule decided a path: the last matching pattern, as Docker documents it', () => {
  it('names the last exclusion that matches, not the first', () => {
    expect(ruleOf('*.log\ndebug.log\n', 'debug.log')).toEqual({ excluded: true, rule: '2:debug.log' });
    expect(ruleOf('*.log\ndebug.log\n', 'app.log')).toEqual({ excluded: true, rule: '1:*.log' });
    expect(ruleOf('*.log\n', 'app.txt')).toEqual({ excluded: false });
  });

  it('names the `!` rule that re-included a path, and a later rule that excluded it again', () => {
    const ignore = '*.md\n!README*.md\nREADME-secret.md\n';
    expect(ruleOf(ignore, 'README.md')).toEqual({ excluded: false, rule: '2:!README*.md' });
    expect(ruleOf(ignore, 'README-secret.md')).toEqual({ excluded: true, rule: '3:README-secret.md' });
    expect(ruleOf(ignore, 'notes.md')).toEqual({ excluded: true, rule: '1:*.md' });
  });

  it('counts a folder pattern as matching everything below the folder', () => {
    const ignore = '# comment\ndocs\n!docs/README.md\n';
    expect(ruleOf(ignore, 'docs/deep/other.md')).toEqual({ excluded: true, rule: '2:docs' });
    expect(ruleOf(ignore, 'docs/README.md')).toEqual({ excluded: false, rule: '3:!docs/README.md' });
  });

  it('leaves a sent path that only a `!` rule matches without a rule (nothing excluded it)', () => {
    expect(ruleOf('tmp\n!keep.txt\n', 'keep.txt')).toEqual({ excluded: false });
  });
});

function node(tree: ContextTree, path: string): ContextNode {
  tree.sum();
  const id = tree.nodeId(path);
  if (id === undefined) throw new Error(`no node ${path}`);
  return tree.nodes[id] as ContextNode;
}

const ruleText = (tree: ContextTree, n: ContextNode): string | undefined => {
  const r = n.rule === undefined ? undefined : tree.rules[n.rule];
  return r && `${r.line ?? '-'}:${r.pattern}`;
};

describe('the context tree of a folder', () => {
  it('sends exactly what the scan sends, with each excluded path’s rule and line', async () => {
    const dir = await tempTree({
      Dockerfile: 'FROM scratch\n',
      '.dockerignore': 'docs\n!docs/README.md\n*.md\n!README*.md\nREADME-secret.md\nnode_modules\n!**/keep.txt\n',
      'docs/README.md': 'docs readme',
      'docs/other.md': 'other!',
      'README.md': 'readme',
      'README-secret.md': 'secret',
      'notes.md': 'notes',
      'src/app.js': 'app',
      'node_modules/a/index.js': '12345',
      'node_modules/a/keep.txt': 'kept?',
    });
    const files = await resolveBuildFiles({ contextDir: dir, builder: 'buildkit' });
    const { tree, entries } = await walkContextTree(files);
    const scan = await scanContext({ contextDir: dir, builder: 'buildkit' });
    expect(entries.map((e) => e.path)).toEqual(scan.entries.map((e) => e.path));
    const sent = tree.nodes.filter((n) => n.sent && n.path !== '').map((n) => n.path);
    expect(sent.sort()).toEqual(scan.entries.map((e) => e.path).sort());

    expect(node(tree, 'docs')).toMatchObject({ sent: false, kind: 'dir' });
    expect(ruleText(tree, node(tree, 'docs'))).toBe('1:docs');
    // `*.md` matches at the top only (`*` never crosses `/`): line 2 re-includes it.
    expect(node(tree, 'docs/README.md').sent).toBe(true);
    expect(ruleText(tree, node(tree, 'docs/README.md'))).toBe('2:!docs/README.md');
    expect(ruleText(tree, node(tree, 'docs/other.md'))).toBe('1:docs');
    expect(ruleText(tree, node(tree, 'README.md'))).toBe('4:!README*.md');
    expect(node(tree, 'README.md').sent).toBe(true);
    expect(ruleText(tree, node(tree, 'README-secret.md'))).toBe('5:README-secret.md');
    expect(node(tree, 'src/app.js')).toMatchObject({ sent: true });
    expect(node(tree, 'src/app.js').rule).toBeUndefined();
    expect(tree.reincluded).toBe(2);
  });

  it('lists what is inside an excluded folder Docker never enters, which no `!` rule can bring back', async () => {
    const dir = await tempTree({
      Dockerfile: 'FROM scratch\n',
      '.dockerignore': 'node_modules\n!**/keep.txt\n',
      'node_modules/a/index.js': '12345',
      'node_modules/a/keep.txt': 'kept?',
      'src/keep.txt': 'yes',
    });
    const { tree } = await walkContextTree(await resolveBuildFiles({ contextDir: dir }));
    const keep = node(tree, 'node_modules/a/keep.txt');
    expect(keep).toMatchObject({ sent: false, skippedBy: 'node_modules', kind: 'file', size: 5 });
    expect(ruleText(tree, keep)).toBe('1:node_modules');
    expect(tree.rules[keep.unreached ?? -1]).toEqual({ pattern: '!**/keep.txt', line: 2, forced: false });
    // Outside the folder the same `!` rule matches, but nothing excluded the file: it is simply sent.
    expect(node(tree, 'src/keep.txt')).toMatchObject({ sent: true });
    expect(node(tree, 'node_modules/a').skippedBy).toBe('node_modules');
  });

  it('sums sent and excluded bytes and files per folder', async () => {
    const dir = await tempTree({
      Dockerfile: 'FROM scratch\n', // 13 bytes
      '.dockerignore': '**/*.tmp\nbig\n', // 13 bytes
      'src/a.js': 'aaaa',
      'src/b.tmp': 'bbbbbbbbbb',
      'src/lib/c.js': 'cc',
      'big/blob': 'x'.repeat(1000),
    });
    const { tree } = await walkContextTree(await resolveBuildFiles({ contextDir: dir }));
    expect(node(tree, 'src')).toMatchObject({ sentBytes: 6, excludedBytes: 10, sentFiles: 2, excludedFiles: 1 });
    expect(node(tree, 'big')).toMatchObject({ sentBytes: 0, excludedBytes: 1000, sent: false });
    expect(tree.root).toMatchObject({ sentBytes: 13 + 13 + 6, excludedBytes: 1010, sentFiles: 4, excludedFiles: 2 });
  });

  it('marks the Dockerfile the classic builder keeps although .dockerignore excludes it (docker/cli adds the rule)', async () => {
    const dir = await tempTree({ Dockerfile: 'FROM scratch\n', '.dockerignore': 'Dockerfile\n.dockerignore\n' });
    const { tree } = await walkContextTree(await resolveBuildFiles({ contextDir: dir, builder: 'classic' }));
    const df = node(tree, 'Dockerfile');
    expect(df.sent).toBe(true);
    expect(tree.rules[df.rule ?? -1]).toEqual({ pattern: '!Dockerfile', forced: true });
  });
});

describe('changes since the last build', () => {
  it('marks added and changed files, adds removed ones back as ghosts, and counts them per folder', () => {
    const tree = new ContextTree([]);
    tree.add({ path: 'src', kind: 'dir', sent: true, size: 0 });
    tree.add({ path: 'src/b.js', kind: 'file', sent: true, size: 2 });
    tree.add({ path: 'src/d.js', kind: 'file', sent: true, size: 3 });
    tree.add({ path: 'x.txt', kind: 'file', sent: false, size: 4 });
    tree.markChanges({ added: ['src/d.js'], changed: ['src/b.js'], removed: ['src/a.js', 'gone/deep.txt', 'x.txt'] });
    expect(node(tree, 'src/a.js')).toMatchObject({ onDisk: false, change: 'removed', sent: false });
    expect(node(tree, 'src').children.map((id) => tree.nodes[id]?.name)).toEqual(['a.js', 'b.js', 'd.js']);
    expect(node(tree, 'gone')).toMatchObject({ onDisk: false, kind: 'dir' });
    expect(node(tree, 'x.txt')).toMatchObject({ change: 'removed', onDisk: true });
    tree.sum();
    expect(node(tree, 'src')).toMatchObject({ changes: 3, sentBytes: 5, sentFiles: 2 });
    expect(tree.root).toMatchObject({ changes: 5, excludedBytes: 4, excludedFiles: 1 });
  });
});
