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
import { walkContext } from './context-walk';
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
 */
function addOutsideDockerfile(
  entries: ContextEntry[],
  dockerfile: Buffer,
  ignore: { name: string; content: Buffer } | null,
): void {
  const name = '.dockerfile.' + randomBytes(10).toString('hex');
  const mtime = Math.floor(Date.now() / 1000);
  const ignoreName = ignore?.name ?? '.dockerignore';
  const existing = entries.find((e) => e.path === ignoreName);
  if (existing) {
    const content = Buffer.concat([ignore?.content ?? Buffer.alloc(0), Buffer.from(`\n${name}\n`)]);
    Object.assign(existing, { type: 'file', size: content.length, content });
    delete existing.source;
    delete existing.linkname;
  }
  entries.push({ path: name, type: 'file', size: dockerfile.length, mode: 0o600, mtime, content: dockerfile });
  if (!existing) {
    const content = Buffer.from(`${ignoreName}\n${name}\n`);
    entries.push({ path: ignoreName, type: 'file', size: content.length, mode: 0o600, mtime, content });
  }
}

/** Walk a resolved context and summarise it. */
export async function scanBuildFiles(
  files: BuildFiles,
  options: Omit<ScanContextOptions, keyof BuildFilesOptions> = {},
): Promise<ContextScan> {
  const walked = await walkContext({
    contextDir: files.contextDir,
    matcher: files.matcher,
    windowsPermissions: options.windowsPermissions ?? process.platform === 'win32',
    ...(files.ignoreFile ? { ignoreFileName: path.basename(files.ignoreFile.path) } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const entries = walked.entries;
  if (files.builder === 'classic' && !files.dockerfileInContext) {
    // Outside the context only the context's own ignore files apply (classic: .dockerignore; Buildah: that or .containerignore).
    const ignore = files.ignoreFile
      ? { name: path.basename(files.ignoreFile.path), content: files.ignoreFile.content }
      : null;
    addOutsideDockerfile(entries, await readRegularFile(files.dockerfilePath), ignore);
  }

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
