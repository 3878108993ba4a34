import { randomUUID } from 'node:crypto';
import type { Services } from '../services';
import { planBuild } from '../../core/build/build-plan';
import { contextSinceLastBuild } from '../../core/build/context-since-last-build';
import type { ContextBuilder } from '../../core/context/context-build-files';
import type { ContextTree } from '../../core/context/context-tree';
import { listContextTreeRows, type ContextTreePage, type ContextTreeQuery } from '../../core/context/context-tree-rows';
import { walkContextTree } from '../../core/context/context-tree-walk';
import { StrataError } from '$shared/engine/errors';
import { userPath } from '../../core/files/user-path';
import type { ContextTreeInfo } from '../contract/context';

/** The last few context trees, newest last: a tree of 50,000 paths stays in main, its rows go out by page. */
const KEEP = 3;
const trees = new WeakMap<Services, Map<string, ContextTree>>();

function treesOf(s: Services): Map<string, ContextTree> {
  let kept = trees.get(s);
  if (!kept) {
    kept = new Map();
    trees.set(s, kept);
  }
  return kept;
}

/** Walk the context with the build's own plan (the same builder and ignore file build.start uses) and keep the tree. */
export async function openContextTree(
  s: Services,
  request: { contextDir: string; dockerfile: string; builder: ContextBuilder | 'auto' },
): Promise<ContextTreeInfo> {
  const status = s.engine.status;
  const plan = await planBuild({
    contextDir: userPath(request.contextDir, { kind: 'folder', homeDir: s.homeDir }),
    dockerfile: request.dockerfile,
    requested: request.builder,
    engine: status.state === 'connected' ? status.engine : undefined,
  });
  const { tree, entries } = await walkContextTree(plan.files);
  const since = await contextSinceLastBuild({ history: s.builds, files: plan.files, entries });
  if (since) tree.markChanges(since.diff);
  const root = tree.root;
  const treeId = randomUUID();
  const kept = treesOf(s);
  kept.set(treeId, tree);
  while (kept.size > KEEP) kept.delete(kept.keys().next().value as string);
  const files = plan.files;
  return {
    treeId,
    contextDir: files.contextDir,
    builder: files.builder,
    ignoreFile: files.ignoreFile ? { path: files.ignoreFile.path, kind: files.ignoreFile.kind } : null,
    rules: [...tree.rules],
    sentFiles: root.sentFiles,
    sentBytes: root.sentBytes,
    excludedFiles: root.excludedFiles,
    excludedBytes: root.excludedBytes,
    reincluded: tree.reincluded,
    since: since
      ? {
          builtAt: since.builtAt,
          added: since.diff.added.length,
          changed: since.diff.changed.length,
          removed: since.diff.removed.length,
        }
      : null,
    ...(plan.note ? { builderNote: plan.note, builderNoteTone: plan.noteTone ?? 'info' } : {}),
  };
}

/** A page of a kept tree's rows; a tree no longer kept is `not-found` (open it again). */
export function contextTreeRows(s: Services, request: ContextTreeQuery & { treeId: string }): ContextTreePage {
  const tree = treesOf(s).get(request.treeId);
  if (!tree)
    throw new StrataError('not-found', 'This context tree is no longer kept: open the context files again.', {
      treeId: request.treeId,
    });
  return listContextTreeRows(tree, request);
}
