/** Kinds of tar entry a build context holds. Sockets are never sent (Go's tar refuses them). */
export type ContextEntryType = 'file' | 'dir' | 'symlink' | 'hardlink' | 'fifo' | 'char-device' | 'block-device';

/** One entry of the build-context tar, in the order it is sent. */
export interface ContextEntry {
  /** Relative to the context, `/`-separated, no trailing slash; decoded as UTF-8 for display and matching. */
  path: string;
  /** The path's own bytes, when they are not valid UTF-8 (file names are bytes): what the tar carries. */
  pathBytes?: Buffer;
  type: ContextEntryType;
  /** Content bytes sent (regular files only; 0 for everything else, hard links included). */
  size: number;
  /** Permission bits plus setuid/setgid/sticky, as written in the tar header. */
  mode: number;
  /** Modification time in whole seconds (go-archive truncates to the second). */
  mtime: number;
  /** Symlink target, or for a hard link the path of the first entry with the same inode. */
  linkname?: string;
  /** The link target's own bytes, when they are not valid UTF-8. */
  linknameBytes?: Buffer;
  /** The `security.capability` extended attribute, sent as a PAX record as go-archive does. */
  capability?: Buffer;
  devmajor?: number;
  devminor?: number;
  /** Where to read the content from; absent for entries docker/cli synthesises. */
  source?: string | Buffer;
  /** Content of a synthesised entry (the classic builder's `.dockerfile.<id>` and rewritten `.dockerignore`). */
  content?: Buffer;
}
