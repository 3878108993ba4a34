import { stat } from 'node:fs/promises';
import path from 'node:path';
import { StrataError } from '$shared/engine/errors';
import { writeFileAtomic } from './atomic-write';
import type { PartialJournal } from './partial-journal';
import { fileVersion, sha256Hex, type FileVersion } from './file-version';
import { openRegularFile, saveTarget, userPath } from './user-path';

/** Dockerfiles are small; anything larger is not what the editor is for. */
const MAX_TEXT_FILE_BYTES = 1024 * 1024;

/** Line ending a file used, so saving writes it back the same way. */
export type LineEnding = 'lf' | 'crlf';

/** A text file as the editor holds it: `\n` line endings, no BOM, and how to write it back. */
export interface TextFile {
  path: string;
  text: string;
  eol: LineEnding;
  bom: boolean;
  version: FileVersion;
}

/** What to save, and the version the editor loaded (null for a file the editor created). */
export interface SaveTextFileOptions {
  path: string;
  text: string;
  eol?: LineEnding;
  bom?: boolean;
  /** SHA-256 of the file as loaded; null when the editor believes the file does not exist yet. */
  expectedSha256: string | null;
  /** Write even if the file changed on disk (the person chose to overwrite). */
  overwrite?: boolean;
  /** Where the half-written temp file is recorded (see PartialJournal). */
  journal?: PartialJournal;
}

export interface SavedTextFile {
  path: string;
  version: FileVersion;
}

function errnoCode(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException).code;
}

/** Split bytes into the editor's text and how the file wrote it. */
export function decodeText(bytes: Buffer): { text: string; eol: LineEnding; bom: boolean } {
  let text = bytes.toString('utf8');
  const bom = text.startsWith('\uFEFF');
  if (bom) text = text.slice(1);
  const crlf = text.includes('\r\n');
  return { text: crlf ? text.replace(/\r\n/g, '\n') : text, eol: crlf ? 'crlf' : 'lf', bom };
}

/** The bytes of editor text written with a line ending and BOM. */
export function encodeText(text: string, options: { eol?: LineEnding; bom?: boolean } = {}): Buffer {
  const lf = text.replace(/\r\n/g, '\n');
  const body = options.eol === 'crlf' ? lf.replace(/\n/g, '\r\n') : lf;
  return Buffer.from((options.bom ? '\uFEFF' : '') + body, 'utf8');
}

/** The bytes of a regular file, or null when it does not exist (never waits on a FIFO). */
async function readIfExists(file: string): Promise<Buffer | null> {
  let handle;
  try {
    handle = await openRegularFile(file);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return null;
    throw err;
  }
  try {
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

/** Read a Dockerfile (or any small text file) for the editor; refuses folders, binaries and large files. */
export async function readTextFile(options: { path: string; maxBytes?: number }): Promise<TextFile> {
  const file = userPath(options.path, { kind: 'file' });
  const maxBytes = options.maxBytes ?? MAX_TEXT_FILE_BYTES;
  let handle;
  try {
    handle = await openRegularFile(file);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT' || errnoCode(err) === 'ENOTDIR') {
      throw new StrataError('not-found', `There is no file at ${file}.`, { path: file });
    }
    throw err;
  }
  let info, bytes;
  try {
    info = await handle.stat();
    if (info.size > maxBytes) {
      throw new StrataError(
        'invalid-input',
        `${file} is ${info.size} bytes: too large to be a Dockerfile (limit ${maxBytes}).`,
        { path: file, size: info.size },
      );
    }
    bytes = await handle.readFile();
  } finally {
    await handle.close();
  }
  if (bytes.includes(0))
    throw new StrataError('invalid-input', `${file} is a binary file, not a Dockerfile.`, { path: file });
  return { path: file, ...decodeText(bytes), version: fileVersion(bytes, info) };
}

/**
 * Save editor text atomically, but only over the version the editor loaded: if the file changed on disk
 * (or appeared, or vanished) since, refuse with a `conflict` whose details say how (`reason`:
 * changed | deleted | exists) so the person can reload or overwrite. The check and the rename are not
 * one atomic step; the window between them is the few microseconds of the write.
 */
export async function saveTextFile(options: SaveTextFileOptions): Promise<SavedTextFile> {
  const file = userPath(options.path, { kind: 'file' });
  const parent = await stat(path.dirname(file)).catch(() => undefined);
  if (!parent?.isDirectory()) {
    throw new StrataError('not-found', `The folder ${path.dirname(file)} does not exist.`, { path: file });
  }
  // Refuses a broken link, a folder or a FIFO before anything reads or writes it.
  const target = await saveTarget(file);
  if (!options.overwrite) {
    const current = await readIfExists(target);
    const diskSha256 = current ? sha256Hex(current) : null;
    const conflict = (reason: 'changed' | 'deleted' | 'exists', message: string) =>
      new StrataError('conflict', message, { path: file, reason, diskSha256 });
    if (options.expectedSha256 === null && current) {
      throw conflict('exists', `${file} already exists. Overwrite it?`);
    }
    if (options.expectedSha256 !== null && !current) {
      throw conflict('deleted', `${file} was deleted on disk since it was opened. Save anyway to create it again?`);
    }
    if (options.expectedSha256 !== null && diskSha256 !== options.expectedSha256) {
      throw conflict(
        'changed',
        `${file} was changed on disk since it was opened. Reload it, or overwrite the changes on disk?`,
      );
    }
  }
  const bytes = encodeText(options.text, {
    ...(options.eol ? { eol: options.eol } : {}),
    ...(options.bom ? { bom: true } : {}),
  });
  try {
    await writeFileAtomic({ path: target, data: bytes, ...(options.journal ? { journal: options.journal } : {}) });
  } catch (err) {
    const code = errnoCode(err);
    if (code === 'EISDIR') throw new StrataError('invalid-input', `${file} is a folder, not a file.`, { path: file });
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
      throw new StrataError('forbidden', `Cannot write ${file}: ${(err as Error).message}`, { path: file });
    }
    throw err;
  }
  const info = await stat(file);
  return { path: file, version: fileVersion(bytes, info) };
}
