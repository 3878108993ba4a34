import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** The names Strata gives the files it writes before renaming them into place. */
const OWN_PARTIAL_NAME = /\.partial-[0-9a-f]{12}$|^\.[^/\\]+\.[0-9a-f]{12}\.tmp$/;

interface Entry {
  path: string;
  pid: number;
  /** Which run of Strata wrote it: a pid alone can be reused by the next run. */
  run?: string;
}

const THIS_RUN = randomBytes(8).toString('hex');

export interface PartialCleanup {
  /** Partial files deleted. */
  removed: string[];
  /** Entries left for later: the process writing them is still running. */
  kept: string[];
}

/**
 * Remembers the half-written files Strata creates in the user's folders (a save's `<name>.partial-<hex>`), so
 * a save cut short by the app's own death leaves no debris: startup deletes what the journal still lists.
 * One small entry file per partial in the app's data folder (no shared file to rewrite, so concurrent saves
 * never race), written before the partial exists and removed once it is renamed or deleted. Only paths the
 * journal names are ever deleted — nothing is scanned — and only if they carry Strata's own partial name.
 */
export class PartialJournal {
  constructor(private readonly dir: string) {}

  /** Record `file` before creating it. Returns the function that forgets it once it is renamed or removed. */
  async track(file: string): Promise<() => Promise<void>> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const entryFile = path.join(this.dir, `${randomBytes(8).toString('hex')}.json`);
    const entry: Entry = { path: path.resolve(file), pid: process.pid, run: THIS_RUN };
    await writeFile(entryFile, JSON.stringify(entry), { mode: 0o600, flag: 'wx' });
    return () => rm(entryFile, { force: true });
  }

  /** At startup: delete the partials of processes that are gone, and their entries. */
  async cleanUp(): Promise<PartialCleanup> {
    const result: PartialCleanup = { removed: [], kept: [] };
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return result;
    }
    for (const name of names.filter((n) => n.endsWith('.json'))) {
      const entryFile = path.join(this.dir, name);
      const entry = await readEntry(entryFile);
      // Still being written: by this very run (a save started before the cleanup got here), or another process.
      if (entry && (entry.run === THIS_RUN || (entry.pid !== process.pid && isRunning(entry.pid)))) {
        result.kept.push(entry.path);
        continue;
      }
      if (entry && path.isAbsolute(entry.path) && OWN_PARTIAL_NAME.test(path.basename(entry.path))) {
        try {
          await unlink(entry.path);
          result.removed.push(entry.path);
        } catch {
          // Already gone (renamed into place just before the end), a folder now, or not ours to delete.
        }
      }
      await rm(entryFile, { force: true });
    }
    return result;
  }
}

async function readEntry(file: string): Promise<Entry | undefined> {
  try {
    const value = JSON.parse(await readFile(file, 'utf8')) as Partial<Entry>;
    if (typeof value.path === 'string' && Number.isInteger(value.pid)) return value as Entry;
  } catch {
    // damaged: dropped below
  }
  return undefined;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
