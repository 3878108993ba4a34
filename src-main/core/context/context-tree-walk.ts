import { lstatSync, readdirSync, type Stats } from 'node:fs';
import path from 'node:path';
import type { BuildFiles } from './context-build-files';
import type { ContextEntry, ContextEntryType } from './context-entry';
import { abortError } from './context-errors';
import { decidingRule, ruleMatches, unreachedException, type RuleMatches } from './dockerignore-attribution';
import { ContextTree, type ContextNodeKind, type ContextRule } from './context-tree';
import { walkContext, type WalkedPath } from './context-walk';

/** The context tree and the tar entries of the same walk (for fingerprints). */
export interface WalkedContextTree {
  tree: ContextTree;
  entries: ContextEntry[];
}

const SLASH = Buffer.from('/');
const SEP = Buffer.from(path.sep);
const SLICE_MS = 8;

function kindOfEntry(type: ContextEntryType): ContextNodeKind {
  if (type === 'file' || type === 'hardlink') return 'file';
  if (type === 'dir' || type === 'symlink') return type;
  return 'other';
}

function kindOfStats(stats: Stats | undefined, isDir: boolean): ContextNodeKind {
  if (isDir) return 'dir';
  if (!stats) return 'other';
  if (stats.isFile()) return 'file';
  if (stats.isSymbolicLink()) return 'symlink';
  return 'other';
}

function statOrUndefined(abs: Buffer): Stats | undefined {
  try {
    return lstatSync(abs);
  } catch {
    return undefined;
  }
}

/** The rules in effect, in the matcher's order, each with its line or marked as added by the client. */
export function contextRules(files: BuildFiles): ContextRule[] {
  const forced = new Set(files.forcedPatterns);
  return files.matcher.patterns.map((p) => {
    const pattern = p.toString();
    return {
      pattern,
      ...(p.line !== undefined ? { line: p.line } : {}),
      forced: p.line === undefined && forced.has(pattern),
    };
  });
}

/**
 * Walk a context exactly as the build packs it (the same walkContext, so "sent" is what the tar holds) and
 * also list what it leaves out: each excluded path with the last rule that matches it, each re-included path
 * with its `!` rule, and the contents of excluded folders Docker never enters (for their sizes), marked
 * with the folder that hides them.
 */
export async function walkContextTree(
  files: BuildFiles,
  options: { signal?: AbortSignal } = {},
): Promise<WalkedContextTree> {
  const patterns = files.matcher.patterns;
  const tree = new ContextTree(contextRules(files));
  const folderMatches = new Map<string, RuleMatches>([['', new Uint8Array(patterns.length)]]);
  const skipped: Array<{ rel: Buffer; abs: Buffer; path: string; rule: number | undefined }> = [];

  const observe = (walked: WalkedPath): void => {
    const slash = walked.rel.lastIndexOf('/');
    const parent = folderMatches.get(slash < 0 ? '' : walked.rel.slice(0, slash));
    const matches = ruleMatches(patterns, walked.rel, parent);
    if (walked.isDir) folderMatches.set(walked.rel, matches);
    const rule = decidingRule(patterns, matches, walked.excluded);
    const ruled = rule !== undefined ? { rule } : {};
    if (!walked.excluded) {
      const entry = walked.entry;
      if (!entry) return;
      tree.add({ path: walked.rel, kind: kindOfEntry(entry.type), sent: true, size: entry.size, ...ruled });
      return;
    }
    const stats = walked.isDir ? undefined : statOrUndefined(walked.absBytes);
    const kind = kindOfStats(stats, walked.isDir);
    tree.add({ path: walked.rel, kind, sent: false, size: kind === 'file' ? (stats?.size ?? 0) : 0, ...ruled });
    if (walked.skipped) {
      const rel = Buffer.from(walked.rel);
      skipped.push({ rel, abs: walked.absBytes, path: walked.rel, rule });
    }
  };

  const walked = await walkContext({
    contextDir: files.contextDir,
    matcher: files.matcher,
    observe,
    ...(files.ignoreFile ? { ignoreFileName: path.basename(files.ignoreFile.path) } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });

  // Inside excluded folders Docker does not enter: listed for their sizes, never sent whatever a `!` says.
  let sliceStart = performance.now();
  const listInside = async (dir: { rel: Buffer; abs: Buffer; path: string }, hiddenBy: string, rule?: number) => {
    let names: Buffer[];
    try {
      // Synchronous, sliced with yields, as walkContext does: several times faster than the thread pool.
      names = readdirSync(dir.abs, { encoding: 'buffer' });
    } catch {
      return; // Unreadable: Docker would not read it either.
    }
    names.sort(Buffer.compare);
    for (const name of names) {
      if (performance.now() - sliceStart > SLICE_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        sliceStart = performance.now();
        if (options.signal?.aborted) throw abortError();
      }
      const rel = Buffer.concat([dir.rel, SLASH, name]);
      const abs = Buffer.concat([dir.abs, SEP, name]);
      const relText = rel.toString('utf8');
      const stats = statOrUndefined(abs);
      const isDir = stats?.isDirectory() ?? false;
      const kind = kindOfStats(stats, isDir);
      const slash = relText.lastIndexOf('/');
      const matches = ruleMatches(patterns, relText, folderMatches.get(relText.slice(0, slash)));
      if (isDir) folderMatches.set(relText, matches);
      const unreached = unreachedException(patterns, matches);
      tree.add({
        path: relText,
        kind,
        sent: false,
        size: kind === 'file' ? (stats?.size ?? 0) : 0,
        skippedBy: hiddenBy,
        ...(rule !== undefined ? { rule } : {}),
        ...(unreached !== undefined ? { unreached } : {}),
      });
      if (isDir) await listInside({ rel, abs, path: relText }, hiddenBy, rule);
    }
  };
  for (const dir of skipped) await listInside(dir, dir.path, dir.rule);
  folderMatches.clear();
  return { tree, entries: walked.entries };
}
