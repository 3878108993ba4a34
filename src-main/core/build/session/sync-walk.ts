/**
 * The walk fsutil's sender makes (fsutil.NewFS + NewFilterFS + Send): every path below a directory in
 * filepath.WalkDir order (names compared as bytes, so a directory's children follow it), filtered by include
 * and exclude patterns as filterFS does, with a directory that is itself left out but holds a path that is
 * kept sent just before that path (the receiver requires every parent before its children). Each path is
 * described as fsutil's mkstat does: Go's FileMode, uid/gid, size, mtime in nanoseconds, link target, device
 * numbers and extended attributes; a second path to an inode becomes a hard link (regular mode, linkname set,
 * size 0). Sockets are left out, as the build context's tar leaves them out.
 */
import { lstatSync, readdirSync, readlinkSync, type BigIntStats, type Dirent } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { abortError } from '../../context/context-errors';
import type { MatchInfo, PatternMatcher } from '../../context/dockerignore-matcher';
import type { SyncStat } from './fsutil-wire';

// Go's os.FileMode bits.
export const GoMode = {
  dir: 2 ** 31,
  symlink: 2 ** 27,
  device: 2 ** 26,
  namedPipe: 2 ** 25,
  socket: 2 ** 24,
  setuid: 2 ** 23,
  setgid: 2 ** 22,
  charDevice: 2 ** 21,
  sticky: 2 ** 20,
  irregular: 2 ** 19,
} as const;
const MODE_TYPE =
  GoMode.dir + GoMode.symlink + GoMode.namedPipe + GoMode.socket + GoMode.device + GoMode.charDevice + GoMode.irregular;

/** fsutil's fileCanRequestData: only regular files (hard links included) have content to ask for. */
export function canRequestData(goMode: number): boolean {
  // Every type bit is at 2^19 or above: compare those bits as a small integer.
  return (Math.floor(goMode / 2 ** 19) & Math.floor(MODE_TYPE / 2 ** 19)) === 0;
}

/** Go's fillFileStatFromSys: a Unix st_mode as os.FileMode. */
export function goFileMode(unixMode: number): number {
  let mode = unixMode & 0o777;
  switch (unixMode & 0o170000) {
    case 0o060000:
      mode += GoMode.device;
      break;
    case 0o020000:
      mode += GoMode.device + GoMode.charDevice;
      break;
    case 0o040000:
      mode += GoMode.dir;
      break;
    case 0o010000:
      mode += GoMode.namedPipe;
      break;
    case 0o120000:
      mode += GoMode.symlink;
      break;
    case 0o140000:
      mode += GoMode.socket;
      break;
  }
  if (unixMode & 0o4000) mode += GoMode.setuid;
  if (unixMode & 0o2000) mode += GoMode.setgid;
  if (unixMode & 0o1000) mode += GoMode.sticky;
  return mode;
}

export interface SyncFilter {
  /** fsutil's IncludePatterns (plus FollowPaths and their link targets): only these paths, if given. */
  include?: PatternMatcher;
  /** fsutil's ExcludePatterns: the .dockerignore rules. */
  exclude?: PatternMatcher;
}

export interface SyncEntry {
  stat: SyncStat;
  /** Where to read a regular file's content from (bytes: names need not be UTF-8). */
  source?: Buffer;
}

export interface SyncWalkOptions extends SyncFilter {
  /** Absolute directory, symlinks resolved. */
  root: string;
  /** docker/cli sends the context with uid and gid reset to 0 (resetUIDAndGID), as its tar does. */
  resetOwner?: boolean;
  signal?: AbortSignal;
}

type ListAttributes = (p: string) => string[];
type GetAttribute = (p: string, name: string) => Buffer | null;
let xattrAddon: { list: ListAttributes; get: GetAttribute } | null | undefined;

function loadXattrs(): { list: ListAttributes; get: GetAttribute } | null {
  if (xattrAddon !== undefined) return xattrAddon;
  xattrAddon = null;
  if (process.platform === 'linux') {
    try {
      const addon = createRequire(import.meta.url)('@napi-rs/xattr') as typeof import('@napi-rs/xattr');
      xattrAddon = { list: addon.listAttributesSync, get: addon.getAttributeSync };
    } catch {
      // No binary for this CPU or libc: paths go without extended attributes.
    }
  }
  return xattrAddon;
}

/** fsutil's loadXattr: every attribute but Apple's. UTF-8 names only (the addon takes strings). */
function readXattrs(file: Buffer): Map<string, Buffer> | undefined {
  const addon = loadXattrs();
  const name = file.toString('utf8');
  if (!addon || !Buffer.from(name, 'utf8').equals(file)) return undefined;
  let keys: string[];
  try {
    keys = addon.list(name);
  } catch {
    return undefined;
  }
  let out: Map<string, Buffer> | undefined;
  for (const key of keys) {
    if (key.startsWith('com.apple.')) continue;
    try {
      const value = addon.get(name, key);
      if (value) (out ??= new Map()).set(key, value);
    } catch {
      // Unreadable attribute (e.g. a trusted.* one without privilege): fsutil skips it too.
    }
  }
  return out;
}

// Go's (not glibc's) major/minor, as fsutil's stat_unix.go computes them.
const goMajor = (rdev: bigint): number => Number((rdev >> 8n) & 0xfffn);
const goMinor = (rdev: bigint): number => Number((rdev & 0xffn) | ((rdev >> 12n) & 0xfff00n));

/** patternWithoutTrailingGlob: the pattern without a trailing `/**` or `/*`. */
function withoutTrailingGlob(pattern: string): string {
  if (pattern.endsWith('/**')) return pattern.slice(0, -3);
  if (pattern.endsWith('/*')) return pattern.slice(0, -2);
  return pattern;
}
const PATTERN_CHARS = /[*[\]?^\\]/;

/** NewFilterFS's shortcuts: whether only literal prefixes can bring back something below a directory. */
function prefixOnly(matcher: PatternMatcher | undefined, exclusion: boolean): boolean {
  return !matcher?.patterns.some(
    (p) => p.exclusion === exclusion && PATTERN_CHARS.test(withoutTrailingGlob(p.cleaned)),
  );
}
function somePatternBelow(matcher: PatternMatcher, dir: string, exclusion: boolean): boolean {
  const prefix = dir + '/';
  return matcher.patterns.some(
    (p) => p.exclusion === exclusion && (withoutTrailingGlob(p.cleaned) + '/').startsWith(prefix),
  );
}

const SLICE_MS = 8;

interface PendingDir {
  entry: SyncEntry;
  emitted: boolean;
}

/** Walk `root` as fsutil's filtered sender does, in send order. */
export async function syncWalk(options: SyncWalkOptions): Promise<SyncEntry[]> {
  const { include, exclude, signal } = options;
  const out: SyncEntry[] = [];
  const seenInodes = new Map<string, Buffer>();
  const onlyPrefixIncludes = prefixOnly(include, false);
  const onlyPrefixExceptions = prefixOnly(exclude, true);

  const describe = (abs: Buffer, rel: Buffer, st: BigIntStats): SyncEntry | null => {
    const unixMode = Number(st.mode);
    if ((unixMode & 0o170000) === 0o140000) return null;
    const isDir = (unixMode & 0o170000) === 0o040000;
    const stat: SyncStat = {
      path: rel,
      mode: goFileMode(unixMode),
      uid: options.resetOwner ? 0 : Number(st.uid),
      gid: options.resetOwner ? 0 : Number(st.gid),
      size: 0,
      modTime: st.mtimeNs,
      linkname: Buffer.alloc(0),
      devmajor: 0,
      devminor: 0,
    };
    const entry: SyncEntry = { stat };
    if (!isDir) {
      stat.size = Number(st.size);
      stat.devmajor = goMajor(st.rdev);
      stat.devminor = goMinor(st.rdev);
      if (st.nlink > 1n) {
        const key = `${st.dev}:${st.ino}`;
        const first = seenInodes.get(key);
        if (first) {
          stat.linkname = first;
          stat.size = 0;
        } else seenInodes.set(key, rel);
      }
      if ((unixMode & 0o170000) === 0o120000) stat.linkname = readlinkSync(abs, { encoding: 'buffer' });
      else if ((unixMode & 0o170000) === 0o100000) entry.source = abs;
    }
    if ((unixMode & 0o170000) !== 0o120000) {
      const xattrs = readXattrs(abs);
      if (xattrs) stat.xattrs = xattrs;
    }
    return entry;
  };

  let sliceStart = performance.now();
  const maybeYield = async (): Promise<void> => {
    if (performance.now() - sliceStart < SLICE_MS) return;
    await new Promise((resolve) => setImmediate(resolve));
    sliceStart = performance.now();
    if (signal?.aborted) throw abortError();
  };

  const emit = (entry: SyncEntry, parents: PendingDir[]): void => {
    for (const p of parents) {
      if (p.emitted) continue;
      p.emitted = true;
      out.push(p.entry);
    }
    out.push(entry);
  };

  const walkDir = async (
    abs: Buffer,
    rel: Buffer,
    includeInfo: MatchInfo,
    excludeInfo: MatchInfo,
    parents: PendingDir[],
  ): Promise<void> => {
    if (signal?.aborted) throw abortError();
    let dirents: Dirent<Buffer>[];
    try {
      dirents = readdirSync(abs, { withFileTypes: true, encoding: 'buffer' });
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    dirents.sort((a, b) => Buffer.compare(a.name, b.name));
    for (const d of dirents) {
      const childRel = rel.length ? Buffer.concat([rel, Buffer.from('/'), d.name]) : d.name;
      const childAbs = Buffer.concat([abs, Buffer.from(path.sep), d.name]);
      const relText = childRel.toString('utf8');
      const isDir = d.isDirectory();
      let skip = false;
      let childInclude = includeInfo;
      let childExclude = excludeInfo;
      if (include) {
        const m = include.matchesUsingParentResults(relText, includeInfo);
        childInclude = m.info;
        // An include matcher says "excluded" for what its patterns match: here that means "kept".
        if (!m.excluded) {
          if (isDir && onlyPrefixIncludes && !somePatternBelow(include, relText, false)) continue;
          skip = true;
        }
      }
      if (exclude) {
        const m = exclude.matchesUsingParentResults(relText, excludeInfo);
        childExclude = m.info;
        if (m.excluded) {
          if (isDir && onlyPrefixExceptions && (!exclude.exclusions || !somePatternBelow(exclude, relText, true)))
            continue;
          skip = true;
        }
      }
      if (skip && !isDir) continue;
      let st: BigIntStats;
      try {
        st = lstatSync(childAbs, { bigint: true });
      } catch (err) {
        if (isNotFound(err) || (skip && isPermission(err))) continue;
        throw err;
      }
      const entry = describe(childAbs, childRel, st);
      if (!entry) continue;
      if (!skip) emit(entry, parents);
      if (isDir) await walkDir(childAbs, childRel, childInclude, childExclude, [...parents, { entry, emitted: !skip }]);
      await maybeYield();
    }
  };

  const rootBytes = Buffer.from(options.root.endsWith(path.sep) ? options.root.slice(0, -1) : options.root, 'utf8');
  await walkDir(rootBytes, Buffer.alloc(0), { parentMatched: [] }, { parentMatched: [] }, []);
  return out;
}

function isNotFound(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
function isPermission(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'EACCES' || code === 'EPERM';
}
