import { z } from 'zod';
import type { FileVersion } from '../../core/files/file-version';
import type { SavedTextFile, TextFile } from '../../core/files/text-file';
import { channel, ok } from './define';

const path = z.string().min(1).max(4096);
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 in hex');
const lineEnding = z.enum(['lf', 'crlf']);

/**
 * Dockerfiles on disk for the editor. Paths are absolute or start with `~` (core/files/user-path). A save names the version it loaded
 * (`expectedSha256`, null for a new file) and fails with `conflict` (details.reason changed | deleted |
 * exists) when the disk moved on, unless `overwrite`. Changes by other programs to the paths given to
 * `watch` arrive as `files.changed` events.
 */
export const files = {
  read: channel(z.object({ path }).strict(), z.custom<TextFile>()),
  save: channel(
    z
      .object({
        path,
        text: z.string().max(1024 * 1024),
        eol: lineEnding.default('lf'),
        bom: z.boolean().default(false),
        expectedSha256: sha256.nullable(),
        overwrite: z.boolean().default(false),
      })
      .strict(),
    z.custom<SavedTextFile>(),
  ),
  /** Watch exactly these files and folders (replaces the previous set). */
  watch: channel(z.object({ paths: z.array(path).max(32) }).strict(), ok),
};

/** core/files' own types (responses are core types). */
export type TextFileDto = TextFile;
export type FileVersionDto = FileVersion;
