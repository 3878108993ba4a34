import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import type { CommandId } from '$shared/commands';

/** What opening a path asks the renderer to do (sent as an `app.command` event). */
export interface OpenCommand {
  command: Extract<CommandId, 'open-build-context' | 'open-dockerfile' | 'open-image-archive'>;
  path: string;
}

/** A path that cannot be opened, with the sentence that tells the person why and what to do. */
export interface OpenProblem {
  path: string;
  reason: 'missing' | 'unreadable' | 'unsupported' | 'failed';
  message: string;
}

/** What the file system said about a path: enough to decide, with no file system in the decision. */
export type PathProbe =
  | { found: true; type: 'folder' | 'file' | 'other'; readable: boolean }
  | { found: false; code?: string; message: string };

const ARCHIVE = /\.(tar|tar\.gz|tgz|tar\.xz|txz|tar\.bz2|tbz2|tar\.zst|tzst)$/i;
const OPENABLE = 'a build context folder, a Dockerfile or an image archive (.tar, .tar.gz)';

/**
 * What a path given to the app opens as, or why it cannot be opened. A folder is a build context; an image
 * archive (tar, compressed or not) is loaded; any other file is taken as the Dockerfile (Dockerfile,
 * *.Dockerfile, Containerfile or any name: the user chose to open it with Strata).
 */
export function openTarget(path: string, probe: PathProbe): { command: OpenCommand } | { problem: OpenProblem } {
  const problem = (reason: OpenProblem['reason'], message: string) => ({ problem: { path, reason, message } });
  if (!probe.found) {
    if (probe.code === 'ENOENT' || probe.code === 'ENOTDIR')
      return problem(
        'missing',
        `Strata could not open ${path}: it does not exist. Check the path (a relative one is read from the folder the command ran in), then open it again.`,
      );
    if (probe.code === 'EACCES' || probe.code === 'EPERM') return unreadable(path);
    return problem('failed', `Strata could not open ${path}: ${probe.message}. Check the path, then open it again.`);
  }
  if (probe.type === 'other')
    return problem(
      'unsupported',
      `Strata cannot open ${path}: it is neither a file nor a folder (a pipe, socket or device). Open ${OPENABLE}.`,
    );
  if (!probe.readable) return unreadable(path);
  if (probe.type === 'folder') return { command: { command: 'open-build-context', path } };
  return { command: { command: ARCHIVE.test(path) ? 'open-image-archive' : 'open-dockerfile', path } };
}

function unreadable(path: string): { problem: OpenProblem } {
  return {
    problem: {
      path,
      reason: 'unreadable',
      message: `Strata cannot read ${path}: permission denied. Give your user read access to it (or copy it somewhere you can read), then open it again.`,
    },
  };
}

/** The two file-system calls a probe makes (tests give their own). */
export interface ProbeFs {
  stat(path: string): Promise<{ isDirectory(): boolean; isFile(): boolean }>;
  access(path: string, mode: number): Promise<void>;
}

/** Ask the file system about a path (following links): its type, and whether this user may read it. */
export async function probePath(path: string, fs: ProbeFs = { stat, access }): Promise<PathProbe> {
  try {
    const info = await fs.stat(path);
    const type = info.isDirectory() ? 'folder' : info.isFile() ? 'file' : 'other';
    // A folder is read by listing it (read) and entering it (execute).
    const mode = type === 'folder' ? constants.R_OK | constants.X_OK : constants.R_OK;
    const readable = await fs.access(path, mode).then(
      () => true,
      () => false,
    );
    return { found: true, type, readable };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return { found: false, ...(e.code ? { code: e.code } : {}), message: e.message ?? String(err) };
  }
}
