import type Docker from 'dockerode';
import { containerFailure } from '../containers/container-failure';
import { buildDiffTree, ENGINE_CHANGE_KINDS, type DiffEntry, type DiffNode } from '$shared/commit/diff-tree';

export interface ContainerDiff {
  /** Flat list as `docker diff` prints it, sorted by path. */
  entries: DiffEntry[];
  tree: DiffNode;
}

export interface ContainerDiffOptions {
  /** Container name or ID. */
  container: string;
  signal?: AbortSignal;
}

/** The container's filesystem changes against its image (`docker diff`), flat and as a tree with counts. */
export async function containerDiff(docker: Docker, options: ContainerDiffOptions): Promise<ContainerDiff> {
  let raw: unknown;
  try {
    raw = await docker.getContainer(options.container).changes(options.signal ? { abortSignal: options.signal } : {});
  } catch (err) {
    throw containerFailure(err, { action: 'list the changes of', container: options.container });
  }
  // The engine answers `null`, not [], when nothing changed.
  const list = Array.isArray(raw) ? (raw as { Path: string; Kind: number }[]) : [];
  const entries = list
    .map((c) => ({ path: c.Path, kind: ENGINE_CHANGE_KINDS[c.Kind] ?? 'changed' }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { entries, tree: buildDiffTree(entries) };
}
