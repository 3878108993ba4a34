/*
 * Tar headers exactly as Go's archive/tar writes them for go-archive (Format PAX requested): a plain
 * ustar header whenever the entry fits (long ASCII names split into prefix/name at the last `/` that
 * fits), otherwise a PAX extended header (`<dir>/PaxHeaders.0/<file>`, records sorted by key) followed
 * by a header with ASCII-only, truncated fields. Written by hand rather than with tar-stream because
 * tar-stream chooses differently in edge cases (link targets over 100 bytes or non-ASCII, directories
 * whose last segment is 100+ bytes), which would make our tar, and so the "Sending build context"
 * figure, differ from Docker's.
 *
 * Names are handled as byte strings (one char per byte, 'latin1'): file names are bytes and need not
 * be UTF-8, and Go's writer counts, splits and filters them byte by byte.
 */
import type { ContextEntry } from './context-entry';

/** Two zero blocks end every tar. */
export const TAR_END_BYTES = 1024;
export const BLOCK = 512;

const NAME_SIZE = 100;
const PREFIX_SIZE = 155;
const OCTAL_12_LIMIT = 2 ** 33; // largest value an 11-digit octal field holds, plus one

/** Zero bytes needed after `size` bytes of content to reach a block boundary. */
export function tarPadding(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK;
}

/** The name written in the tar: directories get a trailing `/`, as go-archive's canonicalTarName does. */
export function tarName(entry: Pick<ContextEntry, 'path' | 'type'>): string {
  return entry.type === 'dir' ? entry.path + '/' : entry.path;
}

/** A byte string (one char per byte) of a name's exact bytes. */
function bytesOf(text: string, bytes: Buffer | undefined): string {
  // ASCII is its own byte string (the usual name): no round trip through a buffer.
  if (bytes === undefined && isAscii(text)) return text;
  return (bytes ?? Buffer.from(text, 'utf8')).toString('latin1');
}

/** tarName as a byte string of the exact bytes written. */
function tarNameBytes(entry: ContextEntry): string {
  return bytesOf(entry.path, entry.pathBytes) + (entry.type === 'dir' ? '/' : '');
}

function linkBytes(entry: ContextEntry): string {
  return entry.linkname === undefined ? '' : bytesOf(entry.linkname, entry.linknameBytes);
}

const TYPEFLAGS: Record<ContextEntry['type'], string> = {
  file: '0',
  hardlink: '1',
  symlink: '2',
  'char-device': '3',
  'block-device': '4',
  dir: '5',
  fifo: '6',
};

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80 || c === 0) return false;
  }
  return true;
}

/** archive/tar toASCII on a byte string: every byte of a multi-byte or invalid sequence is >= 0x80 and dropped. */
function toAscii(s: string): string {
  return isAscii(s)
    ? s
    : Array.from(s)
        .filter((c) => c.charCodeAt(0) < 0x80 && c !== '\0')
        .join('');
}

/** archive/tar splitUSTARPath: prefix and name at the last `/` that leaves both fitting. */
function splitUstarPath(name: string): [string, string] | null {
  let length = name.length;
  if (length <= NAME_SIZE || !isAscii(name)) return null;
  if (length > PREFIX_SIZE + 1) length = PREFIX_SIZE + 1;
  else if (name[length - 1] === '/') length--;
  const i = name.lastIndexOf('/', length - 1);
  const nlen = name.length - i - 1;
  if (i <= 0 || nlen > NAME_SIZE || nlen === 0 || i > PREFIX_SIZE) return null;
  return [name.slice(0, i), name.slice(i + 1)];
}

/** archive/tar formatPAXRecord on byte strings: "<len> <key>=<value>\n" where len counts itself. */
function paxRecord(key: string, value: string): string {
  let size = key.length + value.length + 3;
  size += String(size).length;
  let record = `${size} ${key}=${value}\n`;
  if (record.length !== size) {
    size = record.length;
    record = `${size} ${key}=${value}\n`;
  }
  return record;
}

/** The PAX records Go's writer needs for an entry, or an empty list when a ustar header fits. */
function paxRecords(entry: ContextEntry): [string, string][] {
  const name = tarNameBytes(entry);
  const records: [string, string][] = [];
  let ustar = true;
  if (!isAscii(name) || name.length > NAME_SIZE) {
    if (!splitUstarPath(name)) ustar = false;
    records.push(['path', name]);
  }
  const link = linkBytes(entry);
  if (link !== '' && (!isAscii(link) || link.length > NAME_SIZE)) {
    ustar = false;
    records.push(['linkpath', link]);
  }
  const size = entry.type === 'file' ? entry.size : 0;
  if (size >= OCTAL_12_LIMIT) {
    ustar = false;
    records.push(['size', String(size)]);
  }
  if (entry.mtime < 0 || entry.mtime >= OCTAL_12_LIMIT) {
    ustar = false;
    records.push(['mtime', String(entry.mtime)]);
  }
  if (entry.capability) {
    ustar = false;
    records.push(['SCHILY.xattr.security.capability', entry.capability.toString('latin1')]);
  }
  if (ustar) return [];
  return records.sort((a, b) => (a[0] < b[0] ? -1 : 1));
}

function writeString(blk: Buffer, offset: number, length: number, s: string): void {
  const bytes = Buffer.from(s, 'latin1');
  bytes.copy(blk, offset, 0, Math.min(length, bytes.length));
  // Go replaces a trailing slash cut by truncation with NUL, for readers that would see a directory.
  if (bytes.length > length && blk[offset + length - 1] === 0x2f) {
    const n = s.slice(0, length - 1).replace(/\/+$/, '').length;
    blk[offset + n] = 0;
  }
}

function writeOctal(blk: Buffer, offset: number, length: number, value: number): void {
  const fits = value >= 0 && value < 8 ** (length - 1);
  const s = (fits ? value : 0).toString(8).padStart(length - 1, '0');
  blk.write(s, offset, 'ascii');
}

function finishBlock(blk: Buffer): Buffer {
  blk.write('ustar\0', 257, 'ascii');
  blk.write('00', 263, 'ascii');
  blk.fill(0x20, 148, 156);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += blk[i] as number;
  blk.fill(0, 148, 156);
  writeOctal(blk, 148, 7, sum);
  blk[155] = 0x20;
  return blk;
}

function mainHeader(entry: ContextEntry, pax: boolean, blk: Buffer = Buffer.alloc(BLOCK)): Buffer {
  let name = tarNameBytes(entry);
  let prefix = '';
  if (!pax) {
    const split = splitUstarPath(name);
    if (split) [prefix, name] = split;
  }
  const str = (s: string): string => (pax ? toAscii(s) : s);
  writeString(blk, 0, NAME_SIZE, str(name));
  writeOctal(blk, 100, 8, entry.mode);
  writeOctal(blk, 108, 8, 0);
  writeOctal(blk, 116, 8, 0);
  writeOctal(blk, 124, 12, entry.type === 'file' ? entry.size : 0);
  writeOctal(blk, 136, 12, entry.mtime);
  blk.write(TYPEFLAGS[entry.type], 156, 'ascii');
  writeString(blk, 157, NAME_SIZE, str(linkBytes(entry)));
  writeOctal(blk, 329, 8, entry.devmajor ?? 0);
  writeOctal(blk, 337, 8, entry.devminor ?? 0);
  if (prefix) writeString(blk, 345, PREFIX_SIZE, prefix);
  return finishBlock(blk);
}

function paxHeaderName(name: string): string {
  const slash = name.lastIndexOf('/');
  const dir = name.slice(0, slash + 1);
  const file = name.slice(slash + 1);
  const joined = [dir.replace(/\/+$/, ''), 'PaxHeaders.0', file].filter((s) => s !== '').join('/');
  return toAscii(joined).slice(0, NAME_SIZE).replace(/\/+$/, '');
}

/** Every byte written before an entry's content: the PAX extended header if needed, then the header. */
export function tarHeaderBlocks(entry: ContextEntry): Buffer {
  const records = paxRecords(entry);
  if (records.length === 0) return mainHeader(entry, false);
  const data = Buffer.from(records.map(([k, v]) => paxRecord(k, v)).join(''), 'latin1');
  const ext = Buffer.alloc(BLOCK);
  writeString(ext, 0, NAME_SIZE, paxHeaderName(tarNameBytes(entry)));
  writeOctal(ext, 100, 8, 0);
  writeOctal(ext, 108, 8, 0);
  writeOctal(ext, 116, 8, 0);
  writeOctal(ext, 124, 12, data.length);
  writeOctal(ext, 136, 12, 0);
  ext.write('x', 156, 'ascii');
  finishBlock(ext);
  return Buffer.concat([ext, data, Buffer.alloc(tarPadding(data.length)), mainHeader(entry, true)]);
}

// The usual header: an ASCII name and link target of at most 100 bytes, numbers that fit their fields,
// nothing for PAX. Everything but the variable fields is the same in every such header: written once.
const OCTAL_8_LIMIT = 8 ** 7;
const TEMPLATE = ((): { block: Buffer; sum: number } => {
  const block = mainHeader({ path: '', type: 'file', size: 0, mode: 0, mtime: 0 }, false);
  // Clear the fields written per entry (name, mode, size, mtime, checksum, type): left as zeros.
  block.fill(0, 0, NAME_SIZE);
  for (const [at, length] of [
    [100, 8],
    [124, 12],
    [136, 12],
    [148, 8],
    [156, 1],
  ] as const)
    block.fill(0, at, at + length);
  let sum = 8 * 0x20; // the checksum field counts as spaces
  for (let i = 0; i < BLOCK; i++) sum += block[i] as number;
  return { block, sum };
})();
const TYPEFLAG_BYTES: Record<ContextEntry['type'], number> = {
  file: 0x30,
  hardlink: 0x31,
  symlink: 0x32,
  'char-device': 0x33,
  'block-device': 0x34,
  dir: 0x35,
  fifo: 0x36,
};

/** An ASCII string (no NUL) of at most NAME_SIZE bytes, or -1. */
function plainNameLength(s: string, extra: number): number {
  const n = s.length + extra;
  if (n > NAME_SIZE) return -1;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80 || c === 0) return -1;
  }
  return n;
}

/** Octal digits of `value`, zero-padded to `digits`, at `at`; returns the sum of the bytes written. */
function putOctal(blk: Buffer, at: number, digits: number, value: number): number {
  let sum = 0;
  for (let i = at + digits - 1; i >= at; i--) {
    const digit = 0x30 + (value % 8);
    blk[i] = digit;
    sum += digit;
    value = Math.floor(value / 8);
  }
  return sum;
}

/**
 * The usual header straight into `target` at `offset` (no strings or buffers made): the same bytes
 * as mainHeader for an entry with no PAX records whose name needs no prefix split. False when the
 * entry is anything else.
 */
function isPlain(entry: ContextEntry): boolean {
  if (entry.pathBytes !== undefined || entry.linknameBytes !== undefined || entry.capability !== undefined)
    return false;
  if (plainNameLength(entry.path, entry.type === 'dir' ? 1 : 0) < 0) return false;
  if (entry.linkname !== undefined && plainNameLength(entry.linkname, 0) < 0) return false;
  const size = entry.type === 'file' ? entry.size : 0;
  const { mode, mtime } = entry;
  if (!(size >= 0 && size < OCTAL_12_LIMIT && mtime >= 0 && mtime < OCTAL_12_LIMIT)) return false;
  if (!(mode >= 0 && mode < OCTAL_8_LIMIT)) return false;
  return (entry.devmajor ?? 0) === 0 && (entry.devminor ?? 0) === 0;
}

function writePlainHeader(entry: ContextEntry, target: Buffer, offset: number): boolean {
  if (!isPlain(entry)) return false;
  const dir = entry.type === 'dir';
  const name = entry.path;
  const link = entry.linkname ?? '';
  const size = entry.type === 'file' ? entry.size : 0;
  const { mode, mtime } = entry;
  TEMPLATE.block.copy(target, offset);
  let sum = TEMPLATE.sum;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    target[offset + i] = c;
    sum += c;
  }
  if (dir) {
    target[offset + name.length] = 0x2f;
    sum += 0x2f;
  }
  for (let i = 0; i < link.length; i++) {
    const c = link.charCodeAt(i);
    target[offset + 157 + i] = c;
    sum += c;
  }
  sum += putOctal(target, offset + 100, 7, mode);
  sum += putOctal(target, offset + 124, 11, size);
  sum += putOctal(target, offset + 136, 11, mtime);
  const type = TYPEFLAG_BYTES[entry.type];
  target[offset + 156] = type;
  sum += type;
  putOctal(target, offset + 148, 6, sum);
  target[offset + 155] = 0x20;
  return true;
}

/**
 * Write an entry's header into `target` at `offset` when it is one plain ustar block (no PAX header:
 * the usual case), without allocating; returns the bytes written, or 0 when the entry needs
 * tarHeaderBlocks. `target` must hold BLOCK bytes from `offset`.
 */
export function writeUstarHeader(entry: ContextEntry, target: Buffer, offset: number): number {
  if (writePlainHeader(entry, target, offset)) return BLOCK;
  if (paxRecords(entry).length > 0) return 0;
  const blk = target.subarray(offset, offset + BLOCK);
  blk.fill(0);
  mainHeader(entry, false, blk);
  return BLOCK;
}

/** Bytes of tar for one entry: header blocks (with a PAX header when needed) plus padded content. */
export function tarEntryBytes(entry: ContextEntry): number {
  if (isPlain(entry)) return BLOCK + (entry.type === 'file' ? entry.size + tarPadding(entry.size) : 0);
  const records = paxRecords(entry);
  let bytes = BLOCK;
  if (records.length > 0) {
    const len = records.reduce((n, [k, v]) => n + paxRecord(k, v).length, 0);
    bytes += BLOCK + len + tarPadding(len);
  }
  if (entry.type === 'file') bytes += entry.size + tarPadding(entry.size);
  return bytes;
}

/**
 * go-archive's chmodTarEntry as run on a Windows client: drop group/world write, add execute
 * everywhere (0o644 → 0o755, 0o444 → 0o555). A no-op on Unix clients.
 */
export function windowsTarMode(mode: number): number {
  return (mode & 0o755) | 0o111;
}
