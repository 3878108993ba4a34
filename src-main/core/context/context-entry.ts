/** Kinds of tar entry a build context holds. Sockets are never sent (Go's tar refuses them). */
export type ContextEntryType = 'file' | 'dir' | 'symlink' | 'hardlink' | 'fifo' | 'char-device' | 'block-device';

/** One entry of the build-context tar, in the order it is sent. */
export interface ContextEntry {
  /** Relative to the context, `/`-separated, no trailing slash. */
  path: string;
  type: ContextEntryType;
  /** Content bytes sent (regular files only; 0 for everything else, hard links included). */
  size: number;
  /** Permission bits plus setuid/setgid/sticky, as written in the tar header. */
  mode: number;
  /** Modification time in whole seconds (go-archive truncates to the second). */
  mtime: number;
  /** Symlink target, or for a hard link the path of the first entry with the same inode. */
  linkname?: string;
  devmajor?: number;
  devminor?: number;
  /** Where to read the content from; absent for entries docker/cli synthesises. */
  source?: string;
  /** Content of a synthesised entry (the classic builder's `.dockerfile.<id>` and rewritten `.dockerignore`). */
  content?: Buffer;
}
