import type { ContentHasher } from './content-hasher';
import { cleanImagePath } from './image-path';
import type { EntryKind, LayerEntry } from './layer-entry';
import { TarHeaderParser } from './tar-header-parser';
import type { TarBodySink, TarHeader } from './tar-header-parser';

export interface LayerScannerOptions {
  /**
   * Hashes regular files' contents so a rewrite with equal metadata still shows as modified (dive compares
   * contents too); the digests arrive when the hasher finishes. Without it, no contents are hashed.
   */
  readonly hasher?: ContentHasher;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Reads the headers of one uncompressed layer tar as its bytes stream by, keeping only metadata. */
export class LayerScanner {
  readonly entries: LayerEntry[] = [];
  sizeBytes = 0;
  private readonly parser: TarHeaderParser;
  private readonly hasher: ContentHasher | undefined;

  constructor(options: LayerScannerOptions = {}) {
    this.hasher = options.hasher;
    this.parser = new TarHeaderParser({ onEntry: (header) => this.onEntry(header) });
  }

  push(chunk: Uint8Array): void {
    this.parser.push(chunk);
  }

  end(): void {
    this.parser.end();
  }

  /** Bytes of file contents ahead that nothing reads (none while contents are hashed). */
  skippable(): number {
    return this.parser.skippable();
  }

  skip(count: number): void {
    this.parser.skip(count);
  }

  private onEntry(header: TarHeader): TarBodySink | undefined {
    const path = cleanImagePath(header.name);
    // Go's path.Clean turns "./" into "."; dive skips such entries (size included), so do we.
    if (path === '/' && !header.name.startsWith('/')) return undefined;
    this.sizeBytes += header.size;
    // An absolute "/" entry describes the root itself: dive counts its size but it is no file.
    if (path === '/') return undefined;
    const base: Mutable<LayerEntry> = {
      path,
      kind: header.kind,
      size: header.size,
      mode: header.mode & 0o7777,
      uid: header.uid,
      gid: header.gid,
      mtime: header.mtime,
    };
    const linkname = hasLink(header.kind) ? header.linkname : undefined;
    if (linkname !== undefined) base.linkname = linkname;
    this.entries.push(base);
    if (!this.hasher || header.kind !== 'file') return undefined;
    const hasher = this.hasher;
    const file = hasher.begin((digest) => (base.contentDigest = digest));
    return { write: (chunk) => hasher.write(file, chunk), end: () => hasher.end(file) };
  }
}

function hasLink(kind: EntryKind): boolean {
  return kind === 'symlink' || kind === 'hardlink';
}
