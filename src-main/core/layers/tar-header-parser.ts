import type { EntryKind } from './layer-entry';
import { decodeRawName } from '$shared/layers/raw-name';

/** A tar header after PAX and GNU long-name records have been applied to it. */
export interface TarHeader {
  /** The name's bytes as a string (see raw-name): names that differ in any byte differ here. */
  readonly name: string;
  /** The type flag as one character; an old-style '\0' regular file is reported as '0' or '5' as Go's reader does. */
  readonly typeflag: string;
  readonly kind: EntryKind;
  readonly size: number;
  /** The whole mode field (permission bits and, in some writers, file type bits). */
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly mtime: number;
  readonly linkname: string;
}

/** Receives an entry's body bytes; every call happens synchronously inside `push`. */
export interface TarBodySink {
  write(chunk: Uint8Array): void;
  end(): void;
  /** How many of the next bytes the sink would not look at, so a source may skip them unread (default 0). */
  skippable?(): number;
  /** Takes that many bytes as if written, unseen; never more than `skippable()` said. */
  skip?(count: number): void;
}

export interface TarHeaderParserOptions {
  /** Called for every real entry; return a sink to receive its body, or nothing to skip the body. */
  onEntry(header: TarHeader): TarBodySink | undefined | void;
}

const BLOCK = 512;

// Types whose body Go's archive/tar (and therefore Docker and dive) never reads, whatever the size field says.
const HEADER_ONLY = new Set(['1', '2', '3', '4', '5', '6']);

const KIND_BY_FLAG: Record<string, EntryKind> = {
  '0': 'file',
  '7': 'file',
  S: 'file',
  '1': 'hardlink',
  '2': 'symlink',
  '3': 'char-device',
  '4': 'block-device',
  '5': 'directory',
  D: 'directory',
  '6': 'fifo',
};

const NO_PAX: PaxRecords = Object.freeze({});

type State = 'header' | 'body' | 'meta' | 'padding' | 'sparse-ext' | 'done';

interface PaxRecords {
  path?: string;
  linkpath?: string;
  size?: number;
  uid?: number;
  gid?: number;
  mtime?: number;
}

/**
 * A streaming tar reader that only looks at headers: bodies are skipped, or handed to a sink,
 * without ever buffering an entry. Handles ustar, GNU (long names, base-256 numbers) and PAX.
 */
export class TarHeaderParser {
  private readonly onEntry: TarHeaderParserOptions['onEntry'];
  // Every header is read from this one block, 4-byte aligned: the code reading fields sees one kind of array
  // (a Buffer whatever the source gives), and the checksum adds four bytes at a time through `words`.
  private readonly block: Buffer;
  private readonly words: Int32Array;
  private blockFill = 0;
  private state: State = 'header';
  private remaining = 0;
  private padding = 0;
  private sink: TarBodySink | undefined;
  private metaType = '';
  private metaChunks: Uint8Array[] = [];
  private pax: PaxRecords = NO_PAX;
  private globalPax: PaxRecords = NO_PAX;
  private longName: string | undefined;
  private longLink: string | undefined;

  constructor(options: TarHeaderParserOptions) {
    this.onEntry = options.onEntry;
    const memory = new ArrayBuffer(BLOCK);
    this.block = Buffer.from(memory);
    this.words = new Int32Array(memory);
  }

  /** True once the end-of-archive marker has been seen. */
  get finished(): boolean {
    return this.state === 'done';
  }

  push(chunk: Uint8Array): void {
    let pos = 0;
    const length = chunk.length;
    while (pos < length && this.state !== 'done') {
      if (this.state === 'header' || this.state === 'sparse-ext') {
        const take = Math.min(BLOCK - this.blockFill, length - pos);
        // A view made directly (a Buffer's subarray goes through its species constructor, which is slower).
        this.block.set(new Uint8Array(chunk.buffer, chunk.byteOffset + pos, take), this.blockFill);
        this.blockFill += take;
        pos += take;
        if (this.blockFill === BLOCK) {
          this.blockFill = 0;
          this.onBlock();
        }
      } else if (this.state === 'body' || this.state === 'meta') {
        const take = Math.min(this.remaining, length - pos);
        // A copy for metadata (the source may reuse its chunk once this push returns); a view for a sink,
        // and nothing at all for a body nobody reads (most of them).
        if (this.state === 'meta') this.metaChunks.push(new Uint8Array(chunk.subarray(pos, pos + take)));
        else this.sink?.write(chunk.subarray(pos, pos + take));
        this.remaining -= take;
        pos += take;
        if (this.remaining === 0) this.finishBody();
      } else {
        const take = Math.min(this.padding, length - pos);
        this.padding -= take;
        pos += take;
        if (this.padding === 0) this.state = 'header';
      }
    }
  }

  /**
   * How many of the next bytes nothing would look at: the rest of a body no sink reads and its padding, or
   * what the body's sink can skip. A source that can seek may pass them to `skip` instead of reading them.
   */
  skippable(): number {
    if (this.state === 'padding') return this.padding;
    if (this.state !== 'body') return 0;
    if (!this.sink) return this.remaining + this.padding;
    return Math.min(this.sink.skippable?.() ?? 0, this.remaining);
  }

  /** Goes past `count` bytes as `push` would go past them unseen; `count` is at most `skippable()`. */
  skip(count: number): void {
    let left = count;
    while (left > 0) {
      if (this.state === 'body') {
        const take = Math.min(this.remaining, left);
        if (this.sink) this.sink.skip?.(take);
        this.remaining -= take;
        left -= take;
        if (this.remaining === 0) this.finishBody();
      } else if (this.state === 'padding') {
        const take = Math.min(this.padding, left);
        this.padding -= take;
        left -= take;
        if (this.padding === 0) this.state = 'header';
      } else {
        throw new Error(`cannot skip ${left} bytes of a tar stream that is at a header`);
      }
    }
  }

  /** Signals the end of input; throws if the stream stopped in the middle of an entry. */
  end(): void {
    if (this.state === 'done') return;
    if (this.state === 'header' && this.blockFill === 0) return;
    if (this.state === 'padding') return;
    throw new Error('unexpected end of tar stream (truncated archive)');
  }

  private onBlock(): void {
    const block = this.block;
    if (this.state === 'sparse-ext') {
      // Old GNU sparse headers chain extension blocks; byte 504 says whether another follows.
      if (block[504] === 0) this.beginBody();
      return;
    }
    if (isZeroWords(this.words)) {
      this.state = 'done';
      return;
    }
    if (!checksumMatches(block, this.words)) throw new Error('invalid tar header checksum');

    let typeflag = String.fromCharCode(block[156] ?? 0);
    const size = readNumeric(block, 124, 12);
    if (typeflag === 'x' || typeflag === 'g' || typeflag === 'L' || typeflag === 'K') {
      this.metaType = typeflag;
      this.metaChunks = [];
      this.remaining = size;
      this.padding = padFor(size);
      this.state = size > 0 ? 'meta' : 'header';
      if (size === 0) this.finishMeta();
      return;
    }

    let name = readString(block, 0, 100);
    if (isUstar(block)) {
      const prefix = readString(block, 345, 155);
      if (prefix) name = `${prefix}/${name}`;
    }
    if (typeflag === '\0') typeflag = name.endsWith('/') ? '5' : '0';
    // Most headers have no PAX records: no merged copy for them.
    const pax = this.pax === NO_PAX ? this.globalPax : { ...this.globalPax, ...this.pax };
    const header: TarHeader = {
      name: this.longName ?? pax.path ?? name,
      typeflag,
      kind: KIND_BY_FLAG[typeflag] ?? 'other',
      size: pax.size ?? size,
      mode: readNumeric(block, 100, 8),
      uid: pax.uid ?? readNumeric(block, 108, 8),
      gid: pax.gid ?? readNumeric(block, 116, 8),
      mtime: pax.mtime ?? readNumeric(block, 136, 12),
      linkname: this.longLink ?? pax.linkpath ?? readString(block, 157, 100),
    };
    this.pax = NO_PAX;
    this.longName = undefined;
    this.longLink = undefined;

    const bodySize = HEADER_ONLY.has(typeflag) ? 0 : header.size;
    // Go's reader refuses a body size that is negative or not a number (PAX "size=-5"), as Docker then does.
    if (!Number.isSafeInteger(header.size) || bodySize < 0) {
      throw new Error(`invalid tar header: ${header.name} has size ${String(header.size)}`);
    }
    this.sink = this.onEntry(header) ?? undefined;
    this.remaining = bodySize;
    this.padding = padFor(bodySize);
    if (typeflag === 'S' && block[482] !== 0) {
      this.state = 'sparse-ext';
      return;
    }
    this.beginBody();
  }

  private beginBody(): void {
    if (this.remaining > 0) {
      this.state = 'body';
    } else {
      this.finishBody();
    }
  }

  private finishBody(): void {
    if (this.state === 'meta') {
      this.finishMeta();
      return;
    }
    const sink = this.sink;
    this.sink = undefined;
    sink?.end();
    this.state = this.padding > 0 ? 'padding' : 'header';
  }

  private finishMeta(): void {
    const body = Buffer.concat(this.metaChunks);
    this.metaChunks = [];
    if (this.metaType === 'L') this.longName = decodeRawName(untilNul(body));
    else if (this.metaType === 'K') this.longLink = decodeRawName(untilNul(body));
    else if (this.metaType === 'x') this.pax = parsePax(body);
    else this.globalPax = { ...this.globalPax, ...parsePax(body) };
    this.state = this.padding > 0 ? 'padding' : 'header';
  }
}

/** True when a 512-byte block is a tar header (valid checksum) or the all-zero end marker of an empty tar. */
export function looksLikeTarBlock(block: Uint8Array): boolean {
  if (block.length < BLOCK) return false;
  const memory = new ArrayBuffer(BLOCK);
  const copy = Buffer.from(memory);
  copy.set(block.subarray(0, BLOCK));
  const words = new Int32Array(memory);
  return isZeroWords(words) || checksumMatches(copy, words);
}

function padFor(size: number): number {
  const rest = size % BLOCK;
  return rest === 0 ? 0 : BLOCK - rest;
}

function isZeroWords(words: Int32Array): boolean {
  for (let i = 0; i < BLOCK / 4; i++) if (words[i] !== 0) return false;
  return true;
}

// The checksum field (bytes 148..155, words 37 and 38) counts as eight spaces.
const CHECKSUM_WORDS_START = 37;
const CHECKSUM_WORDS_END = 39;

function checksumMatches(block: Buffer, words: Int32Array): boolean {
  // Four bytes at a time: two 16-bit lanes per sum (bytes 0 and 2, 1 and 3) cannot overflow in 128 words.
  // Two plain loops around the checksum field, in int32 arithmetic, are what V8 compiles tightest.
  let even = 0;
  let odd = 0;
  for (let i = 0; i < CHECKSUM_WORDS_START; i++) {
    const word = words[i] as number;
    even = (even + (word & 0x00ff00ff)) | 0;
    odd = (odd + ((word >>> 8) & 0x00ff00ff)) | 0;
  }
  for (let i = CHECKSUM_WORDS_END; i < BLOCK / 4; i++) {
    const word = words[i] as number;
    even = (even + (word & 0x00ff00ff)) | 0;
    odd = (odd + ((word >>> 8) & 0x00ff00ff)) | 0;
  }
  const unsigned = 8 * 0x20 + (even & 0xffff) + (even >>> 16) + (odd & 0xffff) + (odd >>> 16);
  const stored = readNumeric(block, 148, 8);
  if (stored === unsigned) return true;
  // Some old writers summed signed bytes: 256 less for each byte above 127.
  let high = 0;
  for (let i = 0; i < BLOCK; i++) if ((i < 148 || i >= 156) && (block[i] as number) >= 0x80) high++;
  return stored === unsigned - 256 * high;
}

function readString(block: Buffer, offset: number, length: number): string {
  let end = offset;
  const limit = offset + length;
  let ascii = true;
  for (; end < limit; end++) {
    const byte = block[end] as number;
    if (byte === 0) break;
    if (byte >= 0x80) ascii = false;
  }
  if (end === offset) return '';
  // ASCII (nearly every name) needs no UTF-8 decoder: as Latin-1 its bytes are its characters.
  if (ascii) return block.toString('latin1', offset, end);
  return decodeRawName(block.subarray(offset, end));
}

// POSIX "ustar\0" magic (old GNU's "ustar " has no prefix field), compared as bytes.
function isUstar(block: Uint8Array): boolean {
  return (
    block[257] === 0x75 &&
    block[258] === 0x73 &&
    block[259] === 0x74 &&
    block[260] === 0x61 &&
    block[261] === 0x72 &&
    block[262] === 0
  );
}

/** Octal text, or GNU base-256 when the high bit of the first byte is set. */
function readNumeric(block: Uint8Array, offset: number, length: number): number {
  const first = block[offset] ?? 0;
  if (first & 0x80) {
    const negative = (first & 0x40) !== 0;
    let value = first & 0x3f;
    if (negative) value = ~value & 0x3f;
    for (let i = 1; i < length; i++) {
      const byte = block[offset + i] ?? 0;
      value = value * 256 + (negative ? ~byte & 0xff : byte);
    }
    return negative ? -(value + 1) : value;
  }
  let value = 0;
  let i = offset;
  const limit = offset + length;
  while (i < limit && (block[i] === 0x20 || block[i] === 0)) i++;
  for (; i < limit; i++) {
    const c = block[i] ?? 0;
    if (c < 0x30 || c > 0x37) break;
    value = value * 8 + (c - 0x30);
  }
  return value;
}

function untilNul(bytes: Buffer): Buffer {
  const nul = bytes.indexOf(0);
  return nul === -1 ? bytes : bytes.subarray(0, nul);
}

// strconv.ParseInt(v, 10, 64): an optional sign and decimal digits, nothing else; NaN when it is not that.
function paxSize(value: string): number {
  return /^[+-]?[0-9]+$/.test(value) ? Number(value) : Number.NaN;
}

function parsePax(body: Buffer): PaxRecords {
  const records: PaxRecords = {};
  let pos = 0;
  while (pos < body.length) {
    const space = body.indexOf(0x20, pos);
    if (space === -1) break;
    const length = Number.parseInt(body.toString('latin1', pos, space), 10);
    if (!Number.isFinite(length) || length <= 0) break;
    const record = body.subarray(space + 1, pos + length - 1);
    pos += length;
    const eq = record.indexOf(0x3d);
    if (eq === -1) continue;
    const key = record.toString('latin1', 0, eq);
    const raw = record.subarray(eq + 1);
    const value = raw.toString('latin1');
    // Paths are bytes to Go's reader, like header names; numbers are ASCII.
    if (key === 'path') records.path = decodeRawName(raw);
    else if (key === 'linkpath') records.linkpath = decodeRawName(raw);
    else if (key === 'size') records.size = paxSize(value);
    else if (key === 'uid') records.uid = Number(value);
    else if (key === 'gid') records.gid = Number(value);
    else if (key === 'mtime') records.mtime = Math.floor(Number(value));
  }
  return records;
}
