import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { resolveBuildFiles, type BuildFiles, type BuildFilesOptions, type ContextBuilder } from './context-build-files';
import type { ContextEntry } from './context-entry';
import {
  contextWarnings,
  largestDirs,
  largestFiles,
  type ContextWarning,
  type SizedDir,
  type SizedPath,
} from './context-summary';
import { walkContext, type WalkResult } from './context-walk';
import { TAR_END_BYTES, tarEntryBytes } from './tar-layout';
import { readRegularFile } from '../files/user-path';

/** Options for scanning a context: which files, which builder, how much detail. */
export interface ScanContextOptions extends BuildFilesOptions {
  signal?: AbortSignal;
  /** Normalise permissions as a Windows client does. Default: true on Windows. */
  windowsPermissions?: boolean;
  /** How many largest files and folders to report. Default 10. */
  top?: number;
}

/** A pattern of the ignore file and how many paths it excluded. */
export interface ExcludingRule {
  pattern: string;
  line?: number;
  count: number;
}

/** Exactly what a build of a context would send, and what was left out. */
export interface ContextScan {
  builder: ContextBuilder;
  contextDir: string;
  dockerfile: { path: string; relPath: string; inContext: boolean; sent: boolean };
  /** The ignore file in effect (BuildKit prefers `<Dockerfile>.dockerignore`). */
  ignoreFile: { path: string; kind: 'dockerfile-specific' | 'context' } | null;
  /** The patterns in effect, including the exceptions docker/cli appends. */
  patterns: string[];
  forcedPatterns: string[];
  /** Every tar entry, in the order it is sent. */
  entries: ContextEntry[];
  fileCount: number;
  dirCount: number;
  /** Bytes of file content (sum of regular file sizes). */
  contentBytes: number;
  /** Exact size of the tar: headers, padded content and the end-of-archive blocks. */
  totalBytes: number;
  /** Paths left out by the ignore rules (an excluded folder that is not descended counts once). */
  excluded: number;
  excludedBy: ExcludingRule[];
  largestFiles: SizedPath[];
  largestDirs: SizedDir[];
  warnings: ContextWarning[];
}

/**
 * docker/cli's AddDockerfileToBuildContext for a Dockerfile outside the context (classic builder):
 * the Dockerfile travels as `.dockerfile.<20 hex>` and `.dockerignore` gains a line naming it so the
 * daemon removes both again. For Buildah the line goes into the ignore file it reads (`.containerignore`
 * when there is one), so that `COPY .` leaves the Dockerfile out there too.
 *
 * Worked out before the walk, so that a tar written while the walk goes on (`onEntry`) carries the
 * rewritten ignore file as it passes, and the entries added at the end.
 */
function outsideDockerfile(
  dockerfile: Buffer,
  ignore: { name: string; content: Buffer } | null,
): { rewrite: (entry: ContextEntry) => void; added: () => ContextEntry[] } {
  const name = '.dockerfile.' + randomBytes(10).toString('hex');
  const mtime = Math.floor(Date.now() / 1000);
  const ignoreName = ignore?.name ?? '.dockerignore';
  let rewritten = false;
  return {
    rewrite(entry) {
      if (entry.path !== ignoreName) return;
      const content = Buffer.concat([ignore?.content ?? Buffer.alloc(0), Buffer.from(`\n${name}\n`)]);
      Object.assign(entry, { type: 'file', size: content.length, content });
      delete entry.source;
      delete entry.linkname;
      rewritten = true;
    },
    added() {
      const out: ContextEntry[] = [
        { path: name, type: 'file', size: dockerfile.length, mode: 0o600, mtime, content: dockerfile },
      ];
      if (!rewritten) {
        const content = Buffer.from(`${ignoreName}\n${name}\n`);
        out.push({ path: ignoreName, type: 'file', size: content.length, mode: 0o600, mtime, content });
      }
      return out;
    },
  };
}

/** How to walk a resolved context: walkContext's hooks, passed through. */
export interface WalkBuildFilesOptions {
  signal?: AbortSignal;
  /** Normalise permissions as a Windows client does. Default: true on Windows. */
  windowsPermissions?: boolean;
  /** Told of every tar entry in order, the builder's additions included; a promise it returns holds the walk. */
  onEntry?: (entry: ContextEntry) => Promise<void> | undefined;
  /** Keep the entries in the result (default true). */
  keepEntries?: boolean;
  /** Milliseconds of walking between two turns of the event loop (the walk's default when absent). */
  sliceMs?: number;
  /** Check each file can be read as the walk goes (default true); see walkContext. */
  checkReadable?: boolean;
}

/**
 * Walk a resolved context: every tar entry a build sends, in order, with the classic builder's rewritten
 * ignore file and `.dockerfile.<id>` when the Dockerfile is outside the context.
 */
export async function walkBuildFiles(files: BuildFiles, options: WalkBuildFilesOptions = {}): Promise<WalkResult> {
  // Outside the context only the context's own ignore files apply (classic: .dockerignore; Buildah: that or .containerignore).
  const outside =
    files.builder === 'classic' && !files.dockerfileInContext
      ? outsideDockerfile(
          await readRegularFile(files.dockerfilePath),
          files.ignoreFile ? { name: path.basename(files.ignoreFile.path), content: files.ignoreFile.content } : null,
        )
      : null;
  const { onEntry } = options;
  const keep = options.keepEntries ?? true;
  const walked = await walkContext({
    contextDir: files.contextDir,
    matcher: files.matcher,
    windowsPermissions: options.windowsPermissions ?? process.platform === 'win32',
    keepEntries: keep,
    ...(options.sliceMs !== undefined ? { sliceMs: options.sliceMs } : {}),
    ...(options.checkReadable !== undefined ? { checkReadable: options.checkReadable } : {}),
    ...(files.ignoreFile ? { ignoreFileName: path.basename(files.ignoreFile.path) } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(outside || onEntry
      ? {
          onEntry: (entry: ContextEntry) => {
            outside?.rewrite(entry);
            return onEntry?.(entry);
          },
        }
      : {}),
  });
  for (const entry of outside?.added() ?? []) {
    if (keep) walked.entries.push(entry);
    const held = onEntry?.(entry);
    if (held) await held;
  }
  return walked;
}

/** Walk a resolved context and summarise it. */
export async function scanBuildFiles(
  files: BuildFiles,
  options: Omit<ScanContextOptions, keyof BuildFilesOptions> = {},
): Promise<ContextScan> {
  const walked = await walkBuildFiles(files, {
    ...(options.windowsPermissions !== undefined ? { windowsPermissions: options.windowsPermissions } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const entries = walked.entries;

  let totalBytes = TAR_END_BYTES;
  let contentBytes = 0;
  let fileCount = 0;
  let dirCount = 0;
  for (const e of entries) {
    totalBytes += tarEntryBytes(e);
    if (e.type === 'file') {
      contentBytes += e.size;
      fileCount++;
    } else if (e.type === 'dir') dirCount++;
  }
  const sent = !files.dockerfileInContext
    ? files.builder === 'classic'
    : entries.some((e) => e.path === files.dockerfileRelPath);
  const top = options.top ?? 10;
  const excludedBy = [...walked.excludedBy.entries()]
    .map(([p, count]) => ({ pattern: p.toString(), ...(p.line !== undefined ? { line: p.line } : {}), count }))
    .sort((a, b) => b.count - a.count || (a.line ?? 0) - (b.line ?? 0));

  return {
    builder: files.builder,
    contextDir: files.contextDir,
    dockerfile: {
      path: files.dockerfilePath,
      relPath: files.dockerfileRelPath,
      inContext: files.dockerfileInContext,
      sent,
    },
    ignoreFile: files.ignoreFile ? { path: files.ignoreFile.path, kind: files.ignoreFile.kind } : null,
    patterns: files.matcher.patterns.map((p) => p.toString()),
    forcedPatterns: files.forcedPatterns,
    entries,
    fileCount,
    dirCount,
    contentBytes,
    totalBytes,
    excluded: walked.excluded,
    excludedBy,
    largestFiles: largestFiles(entries, top),
    largestDirs: largestDirs(entries, top),
    warnings: contextWarnings({
      entries,
      totalBytes,
      skippedSockets: walked.skippedSockets,
      ...(files.builder === 'classic' && files.dockerfileInContext && !sent
        ? { dockerfileMissing: { relPath: files.dockerfileRelPath } }
        : {}),
    }),
  };
}

/**
 * Work out exactly what a build of a context would send: every tar entry in order, the tar's size,
 * what the ignore rules excluded and by which rule, the largest files and folders, and warnings.
 * Fails (before anything could be sent) on a missing directory, a bad ignore file or an unreadable file.
 */
export async function scanContext(options: ScanContextOptions): Promise<ContextScan> {
  const files = await resolveBuildFiles(options);
  return scanBuildFiles(files, options);
}
