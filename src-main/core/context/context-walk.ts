import { accessSync, constants, lstatSync, readdirSync, readlinkSync, type Dirent, type Stats } from 'node:fs';
import path from 'node:path';
import type { ContextEntry } from './context-entry';
import { abortError, ContextError } from './context-errors';
import { BadPatternError, type DockerignorePattern } from './dockerignore-pattern';
import { DockerignoreError, type MatchInfo, type PatternMatcher, type WalkMatch } from './dockerignore-matcher';
import { loadCapabilityReader, readCapability } from './security-xattr';
import { windowsTarMode } from './tar-layout';

/** What to walk and how. */
export interface WalkOptions {
  /** Absolute context directory (symlinks already resolved). */
  contextDir: string;
  matcher: PatternMatcher;
  /** Name of the ignore file, for error messages. */
  ignoreFileName?: string;
  /** Normalise permissions as go-archive does on a Windows client. */
  windowsPermissions?: boolean;
  signal?: AbortSignal;
  /** Told of every path the walk decides on, sent or excluded, in walk order (the context tree listens). */
  observe?: (path: WalkedPath) => void;
  /**
   * Told of every tar entry as soon as it is final, in order, before anything else sees it (it may rewrite
   * it). A promise it returns is awaited before the walk goes on: a consumer that falls behind holds it.
   */
  onEntry?: (entry: ContextEntry) => Promise<void> | undefined;
  /** Keep the entries in the result (default true). A consumer of onEntry that needs none lets them go. */
  keepEntries?: boolean;
  /** Milliseconds of walking between two turns of the event loop (default SLICE_MS). */
  sliceMs?: number;
  /**
   * Check that every regular file can be read (default true), so that an unreadable one fails the walk
   * before anything is sent. A consumer that opens each file as the walk goes on leaves it to its open.
   */
  checkReadable?: boolean;
}

/** One path as the walk decided it. */
export interface WalkedPath {
  rel: string;
  absBytes: Buffer;
  isDir: boolean;
  excluded: boolean;
  /** An excluded folder the walk does not enter (Docker never looks inside it). */
  skipped: boolean;
  /** The tar entry, for a sent path (absent for a socket, which a tar cannot hold). */
  entry?: ContextEntry;
}

/** Everything the walk found: the tar entries in order and what the ignore rules left out. */
export interface WalkResult {
  entries: ContextEntry[];
  /** Paths excluded by the ignore rules; an excluded directory that is not descended counts once. */
  excluded: number;
  /** For each pattern that excluded something, how many paths it decided. */
  excludedBy: Map<DockerignorePattern, number>;
  /** Sockets found and left out (Go's archive/tar cannot store them). */
  skippedSockets: string[];
}

// Work between two yields to the event loop. The walk makes one or two small syscalls per path;
// doing them synchronously is several times faster than through libuv's thread pool, and yielding every
// few milliseconds keeps the process (the Electron main process among others) responsive.
const SLICE_MS = 8;

/** An error found checking a path of the context, worded as docker/cli's ValidateContextDirectory words it. */
export function checkError(abs: string, rel: string, err: unknown, action: 'stat' | 'read'): ContextError {
  const code = (err as NodeJS.ErrnoException).code;
  // Messages as docker/cli's ValidateContextDirectory words them.
  if (code === 'EACCES' || code === 'EPERM') {
    const what = action === 'stat' ? `can't stat '${abs}'` : `no permission to read from '${abs}'`;
    return new ContextError('forbidden', `error checking context: ${what}`, { path: rel });
  }
  if (code === 'ENOENT') {
    return new ContextError(
      'not-found',
      `error checking context: file ('${abs}') not found or excluded by .dockerignore`,
      { path: rel },
    );
  }
  return new ContextError(
    'invalid-input',
    `error checking context: can't ${action} '${abs}': ${(err as Error).message}`,
    { path: rel },
  );
}

interface Candidate {
  /** For matching and display: the bytes decoded as UTF-8 (invalid bytes become U+FFFD, as Go's regexp sees them). */
  rel: string;
  abs: string;
  /**
   * The name's own bytes, only when it or a parent is not valid UTF-8 (file names are bytes, and then
   * every file operation and the tar use these). Absent, `rel` and `abs` are exact.
   */
  relBytes?: Buffer;
  absBytes?: Buffer;
  isDir: boolean;
  /** False for an excluded directory descended only because an exception may re-include something. */
  include: boolean;
  info: MatchInfo;
}

/** A directory being walked: its paths, and their bytes when they are not valid UTF-8. */
interface WalkDir {
  abs: string;
  rel: string;
  absBytes?: Buffer;
  relBytes?: Buffer;
}

interface Inspected {
  stats: Stats;
  linkname?: Buffer;
  /** dev:ino for files with more than one link. */
  inode?: string;
}

const SLASH = Buffer.from('/');
const SEP = Buffer.from(path.sep);

/** Whether a name's bytes differ from its UTF-8 decoding (not valid UTF-8), so the bytes must be kept. */
function needsBytes(decoded: string, bytes: Buffer): boolean {
  return decoded.includes('\uFFFD') && !Buffer.from(decoded, 'utf8').equals(bytes);
}

// Linux dev_t layout (glibc major()/minor()).
function major(rdev: number): number {
  return Number(((BigInt(rdev) >> 8n) & 0xfffn) | ((BigInt(rdev) >> 32n) & ~0xfffn));
}
function minor(rdev: number): number {
  return Number((BigInt(rdev) & 0xffn) | ((BigInt(rdev) >> 12n) & ~0xffn));
}

/**
 * Walk a build context as go-archive's TarWithOptions does: lexical order (filepath.WalkDir), each
 * path matched with MatchesUsingParentResults, excluded directories skipped unless an exception
 * pattern starts with them, symlinks stored as links, a second path to an inode stored as a hard link.
 * Like docker/cli's ValidateContextDirectory, every regular file to be sent is opened first, so an
 * unreadable file fails the walk before anything is sent.
 */
export async function walkContext(options: WalkOptions): Promise<WalkResult> {
  const { contextDir, matcher, signal } = options;
  const result: WalkResult = { entries: [], excluded: 0, excludedBy: new Map(), skippedSockets: [] };
  const getAttribute = loadCapabilityReader();
  const seenInodes = new Map<string, { path: string; bytes: Buffer }>();
  const keep = options.keepEntries ?? true;
  const checkReadable = options.checkReadable ?? true;

  const match = (rel: string, parent: MatchInfo): WalkMatch => {
    try {
      return matcher.matchesUsingParentResults(rel, parent);
    } catch (err) {
      if (err instanceof BadPatternError) {
        const pattern = matcher.patterns.find((p) => p.toString() === err.pattern);
        throw new DockerignoreError(
          `syntax error in pattern: ${JSON.stringify(err.pattern)}`,
          err.pattern,
          pattern?.line,
          options.ignoreFileName,
        );
      }
      throw err;
    }
  };

  const inspect = (c: Candidate): Inspected => {
    const abs = c.absBytes ?? c.abs;
    let stats: Stats;
    try {
      stats = lstatSync(abs);
    } catch (err) {
      throw checkError(c.abs, c.rel, err, 'stat');
    }
    const out: Inspected = { stats };
    if (stats.isSymbolicLink()) out.linkname = readlinkSync(abs, { encoding: 'buffer' });
    // go-archive has no hard links on Windows (hasHardlinks is false there): each path is a file.
    if (!stats.isDirectory() && stats.nlink > 1 && process.platform !== 'win32') {
      // Inode numbers can exceed 2^53: compare them exactly.
      const big = lstatSync(abs, { bigint: true });
      out.inode = `${big.dev}:${big.ino}`;
    }
    // docker/cli opens every file to be sent; access(R_OK) asks the kernel the same question (mode bits,
    // ACLs, the security module) in one system call instead of two, and without a file descriptor.
    if (checkReadable && stats.isFile()) {
      try {
        accessSync(abs, constants.R_OK);
      } catch (err) {
        throw checkError(c.abs, c.rel, err, 'read');
      }
    }
    return out;
  };

  const toEntry = (c: Candidate, found: Inspected): ContextEntry | null => {
    const st = found.stats;
    const mode = options.windowsPermissions ? windowsTarMode(st.mode & 0o7777) : st.mode & 0o7777;
    const entry: ContextEntry = { path: c.rel, type: 'file', size: 0, mode, mtime: Math.floor(st.mtimeMs / 1000) };
    const exact = c.relBytes === undefined || !needsBytes(c.rel, c.relBytes);
    if (!exact) entry.pathBytes = c.relBytes;
    if (st.isFile()) {
      entry.size = st.size;
      entry.source = exact ? c.abs : (c.absBytes as Buffer);
    } else if (st.isDirectory()) entry.type = 'dir';
    else if (st.isSymbolicLink()) {
      entry.type = 'symlink';
      const target = found.linkname ?? Buffer.alloc(0);
      entry.linkname = target.toString('utf8');
      if (needsBytes(entry.linkname, target)) entry.linknameBytes = target;
    } else if (st.isFIFO()) entry.type = 'fifo';
    else if (st.isCharacterDevice() || st.isBlockDevice()) {
      entry.type = st.isCharacterDevice() ? 'char-device' : 'block-device';
      entry.devmajor = major(st.rdev);
      entry.devminor = minor(st.rdev);
    } else {
      result.skippedSockets.push(c.rel);
      return null;
    }
    // The addon takes UTF-8 paths only: a name that is not UTF-8 cannot be asked (it goes without).
    if (getAttribute && exact) {
      const capability = readCapability(getAttribute, c.abs);
      if (capability) entry.capability = capability;
    }
    if (found.inode) {
      const first = seenInodes.get(found.inode);
      if (first !== undefined) {
        entry.type = 'hardlink';
        entry.linkname = first.path;
        if (needsBytes(first.path, first.bytes)) entry.linknameBytes = first.bytes;
        entry.size = 0;
        delete entry.source;
      } else {
        seenInodes.set(found.inode, { path: c.rel, bytes: c.relBytes ?? Buffer.from(c.rel, 'utf8') });
      }
    }
    return entry;
  };

  const sliceMs = options.sliceMs ?? SLICE_MS;
  let sliceStart = performance.now();
  let sinceCheck = 0;
  const maybeYield = async (): Promise<void> => {
    // Reading the clock costs as much as matching a path: look at it every few dozen paths.
    if (++sinceCheck < 32) return;
    sinceCheck = 0;
    if (performance.now() - sliceStart < sliceMs) return;
    await new Promise((resolve) => setImmediate(resolve));
    sliceStart = performance.now();
    if (signal?.aborted) throw abortError();
  };

  /** A directory's names, sorted as filepath.WalkDir sorts them (as bytes); as bytes only when needed. */
  const listDir = (dir: WalkDir): { names: string[]; bytes?: Buffer[]; dirs: boolean[] } => {
    const where = dir.absBytes ?? dir.abs;
    try {
      const dirents = readdirSync(where, { withFileTypes: true });
      // Names that are not valid UTF-8 decode with U+FFFD: read this folder again as bytes.
      if (dir.absBytes === undefined && !dirents.some((d) => d.name.includes('\uFFFD'))) {
        // UTF-16 order is byte order except between astral characters and U+E000..U+FFFF.
        const astral = dirents.some((d) => /[\uD800-\uFFFF]/.test(d.name));
        dirents.sort(
          astral
            ? (a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name))
            : (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
        );
        return { names: dirents.map((d) => d.name), dirs: dirents.map((d) => d.isDirectory()) };
      }
      const raw: Dirent<Buffer>[] = readdirSync(where, { withFileTypes: true, encoding: 'buffer' });
      raw.sort((a, b) => Buffer.compare(a.name, b.name));
      return {
        names: raw.map((d) => d.name.toString('utf8')),
        bytes: raw.map((d) => d.name),
        dirs: raw.map((d) => d.isDirectory()),
      };
    } catch (err) {
      throw checkError(dir.abs, dir.rel || '.', err, 'stat');
    }
  };

  const walkDir = async (dir: WalkDir, parent: MatchInfo): Promise<void> => {
    if (signal?.aborted) throw abortError();
    const { names, bytes, dirs } = listDir(dir);
    for (let i = 0; i < names.length; i++) {
      const name = names[i] as string;
      const rel = dir.rel.length ? `${dir.rel}/${name}` : name;
      const isDir = dirs[i] as boolean;
      const m = match(rel, parent);
      const abs = `${dir.abs}${path.sep}${name}`;
      let relBytes: Buffer | undefined;
      let absBytes: Buffer | undefined;
      if (bytes) {
        // Names as bytes: a name that is not valid UTF-8 must reach the tar unchanged (docker sends it).
        const nameBytes = bytes[i] as Buffer;
        const parentRel = dir.relBytes ?? Buffer.from(dir.rel, 'utf8');
        relBytes = parentRel.length ? Buffer.concat([parentRel, SLASH, nameBytes]) : nameBytes;
        absBytes = Buffer.concat([dir.absBytes ?? Buffer.from(dir.abs, 'utf8'), SEP, nameBytes]);
      }
      const exactAbs = (): Buffer => absBytes ?? Buffer.from(abs, 'utf8');
      if (m.excluded) {
        result.excluded++;
        if (m.rule) result.excludedBy.set(m.rule, (result.excludedBy.get(m.rule) ?? 0) + 1);
        const skip = !isDir || matcher.canSkipExcludedDir(rel);
        options.observe?.({ rel, absBytes: exactAbs(), isDir, excluded: true, skipped: isDir && skip });
        if (skip) continue;
      }
      const c: Candidate = { rel, abs, isDir, include: !m.excluded, info: m.info };
      if (relBytes && absBytes) {
        c.relBytes = relBytes;
        c.absBytes = absBytes;
      }
      if (c.include) {
        const entry = toEntry(c, inspect(c));
        if (entry) {
          const held = options.onEntry?.(entry);
          if (held) await held;
          if (keep) result.entries.push(entry);
        }
        if (options.observe) {
          options.observe({
            rel,
            absBytes: exactAbs(),
            isDir,
            excluded: false,
            skipped: false,
            ...(entry ? { entry } : {}),
          });
        }
      }
      if (c.isDir) {
        await walkDir(
          c.absBytes ? { abs: c.abs, rel: c.rel, absBytes: c.absBytes, relBytes: c.relBytes as Buffer } : c,
          c.info,
        );
      }
      await maybeYield();
    }
  };

  const root = contextDir.endsWith(path.sep) ? contextDir.slice(0, -1) : contextDir;
  await walkDir({ abs: root, rel: '' }, { parentMatched: [] });
  return result;
}
