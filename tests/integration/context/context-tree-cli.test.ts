import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveBuildFiles } from '../../../src-main/core/context/context-build-files';
import type { ContextNode, ContextTree } from '../../../src-main/core/context/context-tree';
import { walkContextTree } from '../../../src-main/core/context/context-tree-walk';
import { readTar } from '../../unit/context/tar-read';
import { removeTrees, tempTree } from '../../unit/context/temp-tree';
import { captureDockerCliContext, dockerCliOrSkip } from './docker-cli-capture';
import { trickyContexts } from './tricky-contexts';

const cli = dockerCliOrSkip('context tree against the docker CLI');

afterEach(removeTrees);

/** The paths the docker CLI's classic build uploads (the daemon's view of the context). */
async function cliSent(contextDir: string, dockerfile?: string): Promise<Set<string>> {
  const { tar } = await captureDockerCliContext({
    contextDir,
    ...(dockerfile ? { dockerfile: path.join(contextDir, dockerfile) } : {}),
  });
  return new Set((await readTar(Readable.from([tar]))).entries.map((e) => e.name.replace(/\/$/, '')));
}

async function classicTree(contextDir: string, dockerfile?: string): Promise<ContextTree> {
  const files = await resolveBuildFiles({ contextDir, builder: 'classic', ...(dockerfile ? { dockerfile } : {}) });
  return (await walkContextTree(files)).tree.sum();
}

const walked = (tree: ContextTree): ContextNode[] => tree.nodes.filter((n) => n.path !== '' && n.onDisk);

describe.skipIf(!cli)(`the context tree says what the docker CLI sends, and why (${cli})`, () => {
  it.each(trickyContexts.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const dir = await tempTree(c.files);
    const tree = await classicTree(dir, c.dockerfile);
    const theirs = await cliSent(dir, c.dockerfile);

    // Sent in the tree exactly when the docker CLI uploads it; everything else on disk is excluded.
    const sent = walked(tree)
      .filter((n) => n.sent)
      .map((n) => n.path);
    expect(sent.sort()).toEqual([...theirs].sort());
    for (const n of walked(tree).filter((n) => !n.sent)) {
      // Every excluded path names the rule (with its line in .dockerignore) that excluded it.
      const rule = tree.rules[n.rule ?? -1];
      expect({ path: n.path, rule }).toMatchObject({ rule: { forced: false, line: expect.any(Number) } });
      expect(rule?.pattern.startsWith('!')).toBe(false);
    }
    // A path sent with a rule was re-included by a `!` rule (or kept by docker/cli's own `!`).
    for (const n of walked(tree).filter((n) => n.sent && n.rule !== undefined)) {
      expect(tree.rules[n.rule ?? -1]?.pattern.startsWith('!')).toBe(true);
    }
    // The folder sums are the bytes of the files below (sent ones as the CLI sends them).
    expect(tree.root.sentFiles).toBe(walked(tree).filter((n) => n.sent && n.kind === 'file').length);
  });

  it('names the last matching line: dropping it is what changes what the docker CLI sends', async () => {
    const ignore = '*.md\n!README*.md\nREADME-secret.md\ndocs\n!docs/keep.md\n';
    const dir = await tempTree({
      Dockerfile: 'FROM scratch\n',
      '.dockerignore': ignore,
      'README.md': 'r',
      'README-secret.md': 's',
      'notes.md': 'n',
      'docs/keep.md': 'k',
      'docs/other.txt': 'o',
    });
    const tree = await classicTree(dir);
    const lines = ignore.trimEnd().split('\n');
    const decided = walked(tree)
      .filter((n) => n.rule !== undefined && !tree.rules[n.rule]?.forced)
      .map((n) => ({ path: n.path, sent: n.sent, line: tree.rules[n.rule ?? -1]?.line as number }));
    expect(decided.map((d) => `${d.path}:${d.line}`).sort()).toEqual(
      ['README-secret.md:3', 'README.md:2', 'docs:4', 'docs/keep.md:5', 'docs/other.txt:4', 'notes.md:1'].sort(),
    );
    // Oracle: with every line after the named one removed, the docker CLI still decides the path the same
    // way (the line decides it on its own account), and with the named line removed too, it decides it the
    // other way whenever no earlier line of the same kind matches.
    for (const d of decided.filter((x) => ['README.md', 'README-secret.md', 'docs/keep.md'].includes(x.path))) {
      await writeFile(path.join(dir, '.dockerignore'), lines.slice(0, d.line).join('\n') + '\n');
      expect({ path: d.path, sent: (await cliSent(dir)).has(d.path) }).toEqual({ path: d.path, sent: d.sent });
      await writeFile(path.join(dir, '.dockerignore'), lines.slice(0, d.line - 1).join('\n') + '\n');
      expect({ path: d.path, sent: (await cliSent(dir)).has(d.path) }).toEqual({ path: d.path, sent: !d.sent });
    }
    expect(await readFile(path.join(dir, 'docs/keep.md'), 'utf8')).toBe('k');
  });
});
