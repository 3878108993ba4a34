import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { fileKind } from '../core/files/user-path';
import { parseReference } from '$shared/images/reference';
import { ArchiveFile } from '../core/layers/archive-file';
import type { ArchiveSource } from '../core/layers/archive-source';

/** What `strata analyze <target>` reads: a local archive, an image in the engine, or nothing (and why). */
export type AnalyzeTarget =
  | { readonly kind: 'file'; readonly open: () => ArchiveSource; readonly totalBytes?: number }
  | { readonly kind: 'engine'; readonly ref: string }
  | { readonly kind: 'refused'; readonly message: string; readonly exitCode: 1 | 2 };

// An image ID as `docker save` takes it: a hex prefix of 12 or more, with or without "sha256:".
const IMAGE_ID = /^(sha256:)?[a-f0-9]{12,64}$/;
const ARCHIVE_NAME = /\.(tar|tgz|tar\.gz|tar\.zst|tar\.zstd)$/i;

/**
 * An argument that looks like a path is a path (never an image name sent to the engine): it starts with
 * "/", "./", "../" or "~", or names a tar archive. Docker's reference grammar allows none of the first.
 */
function looksLikePath(target: string): boolean {
  return /^(\/|\.\.?(\/|$)|~)/.test(target) || target.includes('\\') || ARCHIVE_NAME.test(target);
}

/** Decides what the argument names before anything is read, so every refusal is a sentence, not a stack. */
export async function resolveAnalyzeTarget(target: string): Promise<AnalyzeTarget> {
  let info: Stats | undefined;
  try {
    info = await stat(target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES') return refused(`cannot read "${target}": permission denied`);
    if (code !== 'ENOENT' && code !== 'ENOTDIR') return refused(`cannot read "${target}": ${(error as Error).message}`);
  }
  if (info) {
    if (info.isFile()) return { kind: 'file', open: () => new ArchiveFile(target), totalBytes: info.size };
    // A pipe is a stream of bytes like a file: `strata analyze <(docker save busybox)`.
    if (info.isFIFO()) return { kind: 'file', open: () => createReadStream(target, { highWaterMark: 1 << 20 }) };
    if (info.isDirectory()) return refused(`"${target}" is a folder, not an image archive`);
    return refused(`"${target}" is ${fileKind(info)}, not an image archive file`);
  }
  if (looksLikePath(target)) return refused(`no such file: ${target}`);
  if (IMAGE_ID.test(target)) return { kind: 'engine', ref: target };
  const reference = parseReference(target);
  if (!reference.ok) {
    return refused(`"${target}" is not a file, nor an image name the engine would take: ${reference.reason}`, 2);
  }
  return { kind: 'engine', ref: target };
}

function refused(message: string, exitCode: 1 | 2 = 1): AnalyzeTarget {
  return { kind: 'refused', message, exitCode };
}
