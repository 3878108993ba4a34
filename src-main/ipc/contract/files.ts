import { z } from 'zod';
import { channel, ok } from './define';

const path = z.string().min(1).max(4096);
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 in hex');
const lineEnding = z.enum(['lf', 'crlf']);

/** core/files FileVersion: the hash decides whether the file changed; mtime and size are for display. */
export const fileVersion = z.object({ sha256: z.string(), mtimeMs: z.number(), size: z.number() });

export const textFile = z.object({
  path: z.string(),
  text: z.string(),
  eol: lineEnding,
  bom: z.boolean(),
  version: fileVersion,
});

/**
 * Dockerfiles on disk for the editor. Paths are absolute or start with `~` (core/files/user-path). A save names the version it loaded
 * (`expectedSha256`, null for a new file) and fails with `conflict` (details.reason changed | deleted |
 * exists) when the disk moved on, unless `overwrite`. Changes by other programs to the paths given to
 * `watch` arrive as `files.changed` events.
 */
export const files = {
  read: channel(z.object({ path }).strict(), textFile),
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
    z.object({ path: z.string(), version: fileVersion }),
  ),
  /** Watch exactly these files and folders (replaces the previous set). */
  watch: channel(z.object({ paths: z.array(path).max(32) }).strict(), ok),
};

export type TextFileDto = z.infer<typeof textFile>;
export type FileVersionDto = z.infer<typeof fileVersion>;
