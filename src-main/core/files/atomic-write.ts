import { randomBytes } from 'node:crypto';
import type { Stats } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { PartialJournal } from './partial-journal';
import { saveTarget } from './user-path';

/** Where and what to write. */
export interface AtomicWriteOptions {
  path: string;
  data: string | Uint8Array;
  /** Mode for a new file (an existing file keeps its own). Default 0o644, less the umask; 0o600 for private data. */
  newFileMode?: number;
  /** Create the folder (and its parents) when missing, as the app's data folder may be on first run. */
  createFolder?: boolean;
  /** Records the temp file while it exists, so startup can remove it should the app die mid-write. */
  journal?: PartialJournal;
}

function isNotFound(err: unknown): boolean {
  return (err as NodeJS.ErrnoException).code === 'ENOENT';
}

/**
 * Replace a file so that readers see the old content or the new, never half of either: write a temp file
 * in the same directory (a rename is only atomic within one filesystem), flush it to disk, give it the old
 * file's mode (and owner, where allowed), then rename it over the file and flush the folder so the rename
 * itself survives a power cut. The one atomic write of the app: editor saves, ignore rules, settings and every
 * file in the data folder go through it. Returns the path written.
 */
export async function writeFileAtomic(options: AtomicWriteOptions): Promise<string> {
  if (options.createFolder) await mkdir(path.dirname(path.resolve(options.path)), { recursive: true });
  // A link is followed (the link stays a link); a broken link, a FIFO or a folder is refused.
  const target = await saveTarget(options.path);
  const dir = path.dirname(target);
  const existing = await stat(target).catch((err: unknown) => {
    if (isNotFound(err)) return undefined;
    throw err;
  });
  // A dot name keeps the temp file out of globs and out of the way of `COPY . .` should we crash mid-write.
  const temp = path.join(dir, `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  const mode = existing ? existing.mode & 0o7777 : (options.newFileMode ?? 0o644);
  const forget = options.journal ? await options.journal.track(temp) : async () => undefined;
  try {
    await writeAndRename(temp, target, mode, existing, options.data);
  } finally {
    await forget();
  }
  await syncDirectory(dir);
  return target;
}

async function writeAndRename(
  temp: string,
  target: string,
  mode: number,
  existing: Stats | undefined,
  data: string | Uint8Array,
): Promise<void> {
  const handle = await open(temp, 'wx', mode);
  try {
    try {
      await handle.writeFile(data);
      // open() applied the umask; an existing file's exact mode is what the person expects to keep.
      if (existing) {
        await handle.chmod(mode);
        await handle.chown(existing.uid, existing.gid).catch(() => undefined);
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}

/** Make the rename itself durable; not every platform lets a folder be opened for this, so it is best effort. */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Windows cannot open folders; the rename is still atomic there.
  }
}
