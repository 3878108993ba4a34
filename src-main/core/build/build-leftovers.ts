import type Docker from 'dockerode';
import { readJsonFile, writeDataFile } from '../settings/json-file';

interface Leftover {
  /** The engine's address (as Strata connected to it): a container is removed only from the engine that ran it. */
  address: string;
  containerId: string;
}

/**
 * The classic builder's step containers a build left behind when the engine died under it: the engine keeps
 * them (`Exited (137)`) when it restarts, since the build request that would have removed them is gone.
 * Remembered in the app's data folder (so a restart of Strata does not forget them) and removed as soon as
 * Strata is connected to that engine again. Only containers a build named (` ---> Running in <id>`).
 */
export class BuildLeftovers {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly file: string) {}

  remember(address: string, containerIds: readonly string[]): Promise<void> {
    return this.serial(async () => {
      const list = await this.load();
      for (const containerId of containerIds) {
        if (!list.some((l) => l.address === address && l.containerId === containerId))
          list.push({ address, containerId });
      }
      await writeDataFile(this.file, JSON.stringify(list, null, 2));
    });
  }

  /** Remove what is remembered for the engine at `address`; returns the IDs removed (or already gone). */
  removeFrom(docker: Docker, address: string): Promise<string[]> {
    return this.serial(async () => {
      const list = await this.load();
      const done: string[] = [];
      const kept: Leftover[] = [];
      for (const leftover of list) {
        if (leftover.address !== address) {
          kept.push(leftover);
          continue;
        }
        try {
          await docker.getContainer(leftover.containerId).remove({ force: true });
          done.push(leftover.containerId);
        } catch (err) {
          // 404: already gone; 409: its removal is under way. Anything else (the engine went away again): later.
          const status = (err as { statusCode?: number }).statusCode;
          if (status === 404 || status === 409) done.push(leftover.containerId);
          else kept.push(leftover);
        }
      }
      if (done.length) await writeDataFile(this.file, JSON.stringify(kept, null, 2));
      return done;
    });
  }

  private async load(): Promise<Leftover[]> {
    const list = await readJsonFile<unknown>(this.file, []);
    if (!Array.isArray(list)) return [];
    return list.filter(
      (l): l is Leftover =>
        typeof l === 'object' &&
        l !== null &&
        typeof (l as Leftover).address === 'string' &&
        typeof (l as Leftover).containerId === 'string' &&
        /^[0-9a-f]{12,64}$/.test((l as Leftover).containerId),
    );
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }
}
