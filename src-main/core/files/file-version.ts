import { createHash } from 'node:crypto';
import type { Stats } from 'node:fs';

/**
 * What the editor remembers about the file it loaded, so a save can tell whether someone else changed
 * the file since. The hash decides; mtime and size are for display and a cheap first look.
 */
export interface FileVersion {
  /** Hex SHA-256 of the bytes on disk. */
  sha256: string;
  mtimeMs: number;
  size: number;
}

/** SHA-256 of some bytes, as lowercase hex. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The version of a file from its bytes and stats. */
export function fileVersion(bytes: Uint8Array, stats: Pick<Stats, 'mtimeMs'>): FileVersion {
  return { sha256: sha256Hex(bytes), mtimeMs: stats.mtimeMs, size: bytes.length };
}
