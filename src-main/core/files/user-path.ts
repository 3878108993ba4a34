import { constants } from 'node:fs';
import { lstat, open, readlink, realpath, stat, type FileHandle } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { StrataError } from '$shared/engine/errors';

/** What a typed path must name: a file (a trailing separator is refused), a folder, or either. */
export type PathKind = 'file' | 'folder' | 'any';

export interface UserPathOptions {
  kind: PathKind;
  /** The home folder `~` stands for (default: the user's). */
  homeDir?: string;
}

function refuse(message: string, typed: string): StrataError {
  return new StrataError('invalid-input', message, { path: typed });
}

const endsWithSeparator = (p: string) => p.endsWith('/') || (path.sep === '\\' && p.endsWith('\\'));

/**
 * A path as a person typed it (or a dialog gave it), made absolute the one way every channel shares: spaces
 * around it dropped (a paste often brings a newline), `~` and `~/…` are the home folder, and anything else
 * must be absolute, since the folder main happens to run in means nothing to the person. A trailing
 * separator names a folder: refused where a file is wanted (it would otherwise create a file named like the
 * folder), dropped otherwise.
 */
export function userPath(typed: string, options: UserPathOptions): string {
  const trimmed = typed.trim();
  if (!trimmed) throw refuse('Type a path.', typed);
  if (trimmed.includes('\0')) throw refuse('A path cannot contain a NUL character.', typed);
  const home = options.homeDir ?? homedir();
  const tilde = trimmed === '~' || trimmed.startsWith('~/') || (path.sep === '\\' && trimmed.startsWith('~\\'));
  const expanded = tilde ? path.join(home, trimmed.slice(1)) : trimmed;
  if (!path.isAbsolute(expanded)) {
    throw refuse(`Type an absolute path (starting with / or ~/): "${trimmed}" is relative.`, typed);
  }
  const normalized = path.normalize(expanded);
  const root = path.parse(normalized).root;
  if (normalized === root) {
    if (options.kind === 'file') throw refuse(`${normalized} is a folder: add a file name.`, typed);
    return normalized;
  }
  if (endsWithSeparator(trimmed) || (tilde && trimmed === '~')) {
    if (options.kind === 'file')
      throw refuse(`"${trimmed}" ends with a separator, so it names a folder: add a file name.`, typed);
  }
  return endsWithSeparator(normalized) ? normalized.slice(0, -1) : normalized;
}

function code(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException).code;
}

/**
 * The file a save through `file` writes: a symlink is followed to its final target, so the link stays a link.
 * A dangling link is refused rather than followed, because following it would create a file wherever the link
 * points (possibly far from where the person thinks they are saving), and replacing it would silently turn
 * the link into a file. An existing folder, FIFO, socket or device is refused too: a save replaces only
 * regular files. Returns the target's path (the same path when it is no link).
 */
export async function saveTarget(file: string): Promise<string> {
  let target: string;
  try {
    target = await realpath(file);
  } catch (err) {
    if (code(err) !== 'ENOENT') throw err;
    const link = await lstat(file).catch(() => undefined);
    if (link?.isSymbolicLink()) {
      const to = await readlink(file).catch(() => '?');
      throw new StrataError(
        'invalid-input',
        `${file} is a link to ${to}, which does not exist. Strata does not save through a broken link: save to the target itself, or remove the link.`,
        { path: file, linkTarget: to },
      );
    }
    return path.resolve(file);
  }
  const info = await stat(target);
  if (info.isDirectory()) throw new StrataError('invalid-input', `${file} is a folder, not a file.`, { path: file });
  if (!info.isFile()) {
    throw new StrataError(
      'invalid-input',
      `${file} is not a regular file (a pipe, socket or device): Strata saves only to files.`,
      {
        path: file,
      },
    );
  }
  return target;
}

/**
 * Open a file for reading only if it is a regular file. The open itself does not wait: a FIFO would
 * otherwise block the open until a writer comes, holding one of Node's few file-system threads for good (four
 * such opens freeze every file operation of the process). The type is checked on the opened descriptor, so a
 * file swapped for a FIFO between a check and the open cannot slip through.
 */
export async function openRegularFile(path: string | Buffer): Promise<FileHandle> {
  const handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  // A name that is not valid UTF-8 (build context entries keep theirs as bytes) is shown decoded.
  const file = typeof path === 'string' ? path : path.toString('utf8');
  try {
    const info = await handle.stat();
    if (info.isDirectory()) throw new StrataError('invalid-input', `${file} is a folder, not a file.`, { path: file });
    if (!info.isFile()) {
      throw new StrataError('invalid-input', `${file} is ${fileKind(info)}, not a regular file.`, { path: file });
    }
    return handle;
  } catch (err) {
    await handle.close();
    throw err;
  }
}

/** The bytes of a regular file, read without ever waiting on a FIFO (see openRegularFile). */
export async function readRegularFile(file: string): Promise<Buffer> {
  const handle = await openRegularFile(file);
  try {
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

/** What a path that is not a regular file is, in words (for "X is a named pipe, not a regular file"). */
export function fileKind(info: {
  isFIFO(): boolean;
  isDirectory(): boolean;
  isSocket(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
}): string {
  if (info.isFIFO()) return 'a named pipe';
  if (info.isDirectory()) return 'a directory';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  return 'not a regular file';
}
