import type { ContextEntry } from './context-entry';
import { contextSize } from '$shared/images/format';

/** A size-ranked path of the context. */
export interface SizedPath {
  path: string;
  size: number;
}

/** A directory of the context with the bytes and files sent from below it. */
export interface SizedDir extends SizedPath {
  files: number;
}

/** Something about the context worth telling the person before they build. */
export interface ContextWarning {
  code: 'context-large' | 'git-included' | 'node-modules-included' | 'dockerfile-not-sent' | 'sockets-skipped';
  message: string;
  /** A `.dockerignore` rule that would address it, when there is one. */
  suggestedRule?: string;
}

/** Docker's size warning threshold for build contexts in this app (decimal, like Docker's figures). */
const LARGE_CONTEXT_BYTES = 100_000_000;

/** The largest regular files, biggest first (ties by path). */
export function largestFiles(entries: readonly ContextEntry[], top: number): SizedPath[] {
  // The `top` largest kept in order as the entries go by: sorting every file for ten cost more than the
  // rest of the summary together.
  const best: SizedPath[] = [];
  if (top <= 0) return best;
  const before = (a: SizedPath, b: SizedPath): boolean => a.size > b.size || (a.size === b.size && a.path < b.path);
  for (const e of entries) {
    if (e.type !== 'file') continue;
    const candidate = { path: e.path, size: e.size };
    if (best.length === top && !before(candidate, best[top - 1] as SizedPath)) continue;
    let i = best.length === top ? top - 1 : best.length;
    while (i > 0 && before(candidate, best[i - 1] as SizedPath)) {
      best[i] = best[i - 1] as SizedPath;
      i--;
    }
    best[i] = candidate;
  }
  return best;
}

/** The directories holding the most bytes (counted recursively), biggest first. */
export function largestDirs(entries: readonly ContextEntry[], top: number): SizedDir[] {
  if (top <= 0) return [];
  // Each file is added to its own folder only; folders then pass their totals up, deepest first
  // (there are far fewer folders than files).
  const dirs = new Map<string, SizedDir>();
  const dirOf = (dir: string): SizedDir => {
    let d = dirs.get(dir);
    if (!d) dirs.set(dir, (d = { path: dir, size: 0, files: 0 }));
    return d;
  };
  for (const e of entries) {
    if (e.type !== 'file') continue;
    const slash = e.path.lastIndexOf('/');
    if (slash <= 0) continue;
    const d = dirOf(e.path.slice(0, slash));
    d.size += e.size;
    d.files++;
  }
  const own = [...dirs.values()].map((d) => ({ path: d.path, size: d.size, files: d.files }));
  for (const d of own) {
    for (let slash = d.path.lastIndexOf('/'); slash > 0; slash = d.path.lastIndexOf('/', slash - 1)) {
      const up = dirOf(d.path.slice(0, slash));
      up.size += d.size;
      up.files += d.files;
    }
  }
  return [...dirs.values()].sort((a, b) => b.size - a.size || (a.path < b.path ? -1 : 1)).slice(0, top);
}

/** The shallowest sent path that has a segment named `name`, if any. */
function shallowest(entries: readonly ContextEntry[], name: string): string | undefined {
  let best: string | undefined;
  let bestDepth = Infinity;
  for (const e of entries) {
    // Most paths do not hold the name at all: only those are split.
    if (!e.path.includes(name)) continue;
    const segments = e.path.split('/');
    const i = segments.indexOf(name);
    if (i >= 0 && i < bestDepth) {
      bestDepth = i;
      best = segments.slice(0, i + 1).join('/');
      if (i === 0) break;
    }
  }
  return best;
}

/** Warnings for a context: size over 100MB, `.git` or `node_modules` sent, Dockerfile not sent, sockets. */
export function contextWarnings(input: {
  entries: readonly ContextEntry[];
  totalBytes: number;
  dockerfileMissing?: { relPath: string };
  skippedSockets: readonly string[];
}): ContextWarning[] {
  const warnings: ContextWarning[] = [];
  if (input.totalBytes > LARGE_CONTEXT_BYTES) {
    warnings.push({
      code: 'context-large',
      message: `The build context is ${contextSize(input.totalBytes)}, over ${contextSize(LARGE_CONTEXT_BYTES)}: every build sends all of it.`,
    });
  }
  for (const [name, code] of [
    ['.git', 'git-included'],
    ['node_modules', 'node-modules-included'],
  ] as const) {
    const found = shallowest(input.entries, name);
    if (found === undefined) continue;
    warnings.push({
      code,
      message: `${found} is sent with the build context.`,
      suggestedRule: found === name ? name : `**/${name}`,
    });
  }
  if (input.dockerfileMissing) {
    warnings.push({
      code: 'dockerfile-not-sent',
      message:
        `${input.dockerfileMissing.relPath} is excluded by .dockerignore and will not be sent: docker/cli's check for it ` +
        `(the deprecated patternmatcher.Matches) misses this pattern, so the classic builder will fail to find the Dockerfile.`,
    });
  }
  if (input.skippedSockets.length > 0) {
    warnings.push({
      code: 'sockets-skipped',
      message: `${input.skippedSockets.length} socket(s) left out: a tar cannot hold sockets (${input.skippedSockets.slice(0, 3).join(', ')}).`,
    });
  }
  return warnings;
}
