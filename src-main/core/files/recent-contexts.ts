import path from 'node:path';
import { readJsonFile, writeDataFile } from '../settings/json-file';

/** A build context folder the person opened, newest first in the list. */
export interface RecentContext {
  contextDir: string;
  /** The Dockerfile last opened with it (relative to the context, or absolute when outside). */
  dockerfile?: string;
  openedAt: number;
}

const LIMIT = 12;

/** Recently opened build contexts, kept as one JSON file in the app's data folder. */
export class RecentContextsStore {
  readonly path: string;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(dataDir: string) {
    this.path = path.join(dataDir, 'recent-contexts.json');
  }

  /** Newest first. A damaged file reads as empty. */
  async list(): Promise<RecentContext[]> {
    const stored = await readJsonFile<unknown>(this.path, []);
    if (!Array.isArray(stored)) return [];
    return stored.filter(
      (r): r is RecentContext =>
        !!r &&
        typeof r === 'object' &&
        typeof (r as RecentContext).contextDir === 'string' &&
        typeof (r as RecentContext).openedAt === 'number',
    );
  }

  /** Put a context at the top (once), remembering its Dockerfile. */
  remember(entry: { contextDir: string; dockerfile?: string; now?: number }): Promise<RecentContext[]> {
    return this.serially(async () => {
      const others = (await this.list()).filter((r) => r.contextDir !== entry.contextDir);
      const top: RecentContext = {
        contextDir: entry.contextDir,
        ...(entry.dockerfile ? { dockerfile: entry.dockerfile } : {}),
        openedAt: entry.now ?? Date.now(),
      };
      const next = [top, ...others].slice(0, LIMIT);
      await writeDataFile(this.path, JSON.stringify(next, null, 2));
      return next;
    });
  }

  /** Drop a context from the list. */
  forget(contextDir: string): Promise<RecentContext[]> {
    return this.serially(async () => {
      const next = (await this.list()).filter((r) => r.contextDir !== contextDir);
      await writeDataFile(this.path, JSON.stringify(next, null, 2));
      return next;
    });
  }

  // Two quick opens must not lose one another's entry: read-modify-write one at a time.
  private serially<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
