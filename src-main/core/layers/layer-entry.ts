/** What a tar header says an entry is, in the words `tar` and Docker use. */
export type EntryKind =
  'file' | 'hardlink' | 'symlink' | 'directory' | 'char-device' | 'block-device' | 'fifo' | 'other';

/** One tar header of a layer, as read from the layer blob (no file contents are kept). */
export interface LayerEntry {
  /** Absolute, cleaned path inside the image ("/etc/passwd"); whiteout names are kept as written (".wh.x"). */
  readonly path: string;
  readonly kind: EntryKind;
  /** The header's size field: what dive sums for a layer's size (0 for links and directories in practice). */
  readonly size: number;
  /** Permission bits including setuid, setgid and sticky (mode & 0o7777). */
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  /** Symlink target, or the archive path a hardlink points at. */
  readonly linkname?: string;
  /** Modification time, seconds since the epoch. */
  readonly mtime: number;
  /** SHA-1 of a regular file's contents (base64), when the reader was asked to compute it. */
  readonly contentDigest?: string;
}

export type LayerCompression = 'none' | 'gzip' | 'zstd';
