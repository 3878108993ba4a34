import type Docker from 'dockerode';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PartialJournal } from '../files/partial-journal';
import { saveStream } from './engine-streams';
import { cancelled, engineFailure, imageProblem } from './image-errors';

export interface TransferProgress {
  /** Bytes moved so far. */
  bytes: number;
  /** Expected total when known (for save: the images' sizes, a close estimate of the tar). */
  totalBytes?: number;
}

export interface SaveOptions {
  /** Image references or IDs; tags given by name are recorded in the archive, IDs are saved untagged. */
  images: string[];
  /** The tar file to write. Written under a temporary name and renamed when complete. */
  destination: string;
  /** Replace an existing file at destination (default true: a save dialog has already asked). */
  overwrite?: boolean;
  signal?: AbortSignal;
  onProgress?: (progress: TransferProgress) => void;
  /** Records the partial file while it exists, so startup can remove it should the app die mid-save. */
  journal?: PartialJournal;
  /** Least time between two progress reports (default 100 ms); the last one is always sent. */
  progressIntervalMs?: number;
}

export interface SaveResult {
  destination: string;
  bytes: number;
  images: string[];
}

const TAIL_BYTES = 64 * 1024;

/** A Transform that counts bytes, keeps the tail of the stream, and reports progress at a steady pace. */
function progressCounter(report: (bytes: number, final: boolean) => void) {
  let bytes = 0;
  // The last chunks, enough to cover TAIL_BYTES, kept by reference (no copying per chunk).
  const recent: Buffer[] = [];
  let recentBytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      recent.push(chunk);
      recentBytes += chunk.length;
      while (recent.length > 1 && recentBytes - recent[0]!.length >= TAIL_BYTES) recentBytes -= recent.shift()!.length;
      report(bytes, false);
      callback(null, chunk);
    },
    flush(callback) {
      report(bytes, true);
      callback();
    },
  });
  return { counter, total: () => bytes, tail: () => Buffer.concat(recent) };
}

/**
 * A complete tar ends with two zero blocks. When `docker save` fails after it has started streaming,
 * the engine appends a JSON error to the stream instead, so check the end before trusting the file.
 */
export function tarTailProblem(tail: Buffer, total: number): string | undefined {
  const end = tail.subarray(Math.max(0, tail.length - 1024));
  if (total >= 1024 && total % 512 === 0 && end.length === 1024 && end.every((b) => b === 0)) return undefined;
  // The error is the last thing in the stream: the first `{"` from which the rest parses as JSON.
  const text = tail.subarray(Math.max(0, tail.length - 4096)).toString('utf8');
  for (let at = text.indexOf('{"'); at >= 0; at = text.indexOf('{"', at + 1)) {
    try {
      const json = JSON.parse(text.slice(at).trim()) as {
        errorDetail?: { message?: string };
        error?: string;
        message?: string;
      };
      const message = json.errorDetail?.message ?? json.error ?? json.message;
      if (message) return message;
    } catch {
      // not the start of the error object: keep looking
    }
  }
  return `the archive ended early after ${total} bytes`;
}

async function checkDestination(destination: string, overwrite: boolean): Promise<void> {
  const folder = path.dirname(destination);
  const folderStat = await stat(folder).catch(() => undefined);
  if (!folderStat?.isDirectory()) {
    throw imageProblem('invalid-input', `The folder ${folder} does not exist: choose an existing folder.`, {
      field: 'destination',
    });
  }
  const existing = await stat(destination).catch(() => undefined);
  if (existing?.isDirectory()) {
    throw imageProblem('invalid-input', `${destination} is a folder: choose a file name such as images.tar.`, {
      field: 'destination',
    });
  }
  if (existing && !overwrite) {
    throw imageProblem('conflict', `${destination} already exists: choose another name or allow replacing it.`, {
      field: 'destination',
    });
  }
}

/**
 * Save one or more images to a tar file (`docker save -o`), streamed to disk. Until the archive is
 * complete it lives under `<destination>.partial-<random>`; a cancelled or failed save removes it, so
 * the chosen name only ever holds a complete archive.
 */
export async function saveImages(docker: Docker, options: SaveOptions): Promise<SaveResult> {
  if (options.images.length === 0) throw imageProblem('invalid-input', 'Choose at least one image to save.');
  const destination = path.resolve(options.destination);
  await checkDestination(destination, options.overwrite ?? true);

  const seen = new Map<string, number>();
  for (const name of options.images) {
    try {
      const info = await docker.getImage(name).inspect();
      seen.set(info.Id, info.Size);
    } catch (err) {
      throw engineFailure(err, `Could not save ${name}`);
    }
  }
  const totalBytes = [...seen.values()].reduce((sum, size) => sum + size, 0);

  const interval = options.progressIntervalMs ?? 100;
  let lastReport = 0;
  const { counter, total, tail } = progressCounter((bytes, final) => {
    const now = Date.now();
    if (!options.onProgress || (!final && now - lastReport < interval)) return;
    lastReport = now;
    options.onProgress({ bytes, totalBytes });
  });

  const temporary = `${destination}.partial-${randomBytes(6).toString('hex')}`;
  const forget = options.journal ? await options.journal.track(temporary) : async () => undefined;
  try {
    if (options.signal?.aborted) throw cancelled('Saving images');
    let source;
    try {
      source = await saveStream(docker, {
        names: options.images,
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } catch (err) {
      throw engineFailure(err, `Could not save ${options.images.join(', ')}`);
    }
    await pipeline(source, counter, createWriteStream(temporary, { flags: 'wx' }), {
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const problem = tarTailProblem(tail(), total());
    if (problem) throw imageProblem('internal', `Saving ${options.images.join(', ')} failed: ${problem}.`);
    await rename(temporary, destination);
  } catch (err) {
    await rm(temporary, { force: true });
    if (options.signal?.aborted) throw cancelled('Saving images');
    throw err;
  } finally {
    await forget();
  }
  return { destination, bytes: total(), images: options.images };
}
