import type { BuildFiles } from '../context/context-build-files';
import type { ContextEntry } from '../context/context-entry';
import type { ContextDiff } from '../context/context-tree';
import type { BuildHistoryStore } from './build-history-store';
import { diffFiles } from './cache-miss-reasons';
import { contextFingerprints } from './context-fingerprints';

/** What changed in a context since the build the next build will be compared with. */
export interface ContextSinceLastBuild {
  /** When that build hashed its files (epoch ms): about when it started. */
  builtAt: number;
  diff: ContextDiff;
}

/**
 * The files added, changed and removed since the last successful build of this context, Dockerfile and
 * builder: the same baseline and the same fingerprints the cache-miss reasons use, so the tree and the
 * reasons agree. Only files whose size or mtime moved (or that were written while that build hashed) are
 * read again. Undefined when there is no such build, or it kept no fingerprints.
 */
export async function contextSinceLastBuild(options: {
  history: BuildHistoryStore;
  files: BuildFiles;
  entries: readonly ContextEntry[];
}): Promise<ContextSinceLastBuild | undefined> {
  const earlier = await options.history
    .previousFiles({
      contextDir: options.files.contextDir,
      dockerfile: options.files.dockerfileRelPath,
      options: { builder: options.files.builder },
    })
    .catch(() => undefined);
  if (!earlier) return undefined;
  const now = await contextFingerprints(options.entries, earlier);
  return { builtAt: earlier.hashedAt, diff: diffFiles(earlier.files, now) };
}
