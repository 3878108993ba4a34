import { createHash } from 'node:crypto';
import type { Hash } from 'node:crypto';
import { cleanImagePath } from './image-path';
import type { EntryKind, LayerEntry } from './layer-entry';
import { TarHeaderParser } from './tar-header-parser';
import type { TarBodySink, TarHeader } from './tar-header-parser';

export interface LayerScannerOptions {
  /** Hash regular files' contents so a rewrite with equal metadata still shows as modified (dive compares contents too). */
  readonly contentDigest: boolean;
}

/** Reads the headers of one uncompressed layer tar as its bytes stream by, keeping only metadata. */
export class LayerScanner {
  readonly entries: LayerEntry[] = [];
  sizeBytes = 0;
  private readonly parser: TarHeaderParser;
  private readonly contentDigest: boolean;

  constructor(options: LayerScannerOptions) {
    this.contentDigest = options.contentDigest;
    this.parser = new TarHeaderParser({ onEntry: (header) => this.onEntry(header) });
  }

  push(chunk: Uint8Array): void {
    this.parser.push(chunk);
  }

  end(): void {
    this.parser.end();
  }

  private onEntry(header: TarHeader): TarBodySink | undefined {
    const path = cleanImagePath(header.name);
    // Go's path.Clean turns "./" into "."; dive skips such entries (size included), so do we.
    if (path === '/' && !header.name.startsWith('/')) return undefined;
    this.sizeBytes += header.size;
    // An absolute "/" entry describes the root itself: dive counts its size but it is no file.
    if (path === '/') return undefined;
    const base = {
      path,
      kind: header.kind,
      size: header.size,
      mode: header.mode & 0o7777,
      uid: header.uid,
      gid: header.gid,
      mtime: header.mtime,
    };
    const linkname = hasLink(header.kind) ? header.linkname : undefined;
    if (!this.contentDigest || header.kind !== 'file') {
      this.entries.push(linkname === undefined ? base : { ...base, linkname });
      return undefined;
    }
    const index = this.entries.length;
    this.entries.push(base);
    return new DigestSink(createHash('sha1'), (digest) => {
      this.entries[index] = { ...base, contentDigest: digest };
    });
  }
}

function hasLink(kind: EntryKind): boolean {
  return kind === 'symlink' || kind === 'hardlink';
}

class DigestSink implements TarBodySink {
  constructor(
    private readonly hash: Hash,
    private readonly done: (digest: string) => void,
  ) {}

  write(chunk: Uint8Array): void {
    this.hash.update(chunk);
  }

  end(): void {
    this.done(this.hash.digest('base64'));
  }
}
