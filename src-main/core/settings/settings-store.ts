import { join } from 'node:path';
import { readJsonFile, writeFileAtomic } from './json-file';

export interface Settings {
  /** The engine the user chose (address); absent means automatic discovery. */
  engineAddress?: string;
  /** Engines the user added by address, remembered for the picker. */
  addedEngines: string[];
  theme: 'system' | 'light' | 'dark';
  window?: { x?: number; y?: number; width: number; height: number; maximized?: boolean };
}

const defaults: Settings = { addedEngines: [], theme: 'system' };

/** Settings kept as one JSON file in the app's data folder, written atomically. */
export class SettingsStore {
  private cache: Settings | undefined;
  readonly path: string;

  constructor(dataDir: string) {
    this.path = join(dataDir, 'settings.json');
  }

  async get(): Promise<Settings> {
    this.cache ??= { ...defaults, ...(await readJsonFile<Partial<Settings>>(this.path, {})) };
    return this.cache;
  }

  async update(change: Partial<Settings>): Promise<Settings> {
    const next = { ...(await this.get()), ...change };
    for (const key of Object.keys(next) as Array<keyof Settings>) if (next[key] === undefined) delete next[key];
    this.cache = next;
    await writeFileAtomic(this.path, JSON.stringify(next, null, 2));
    return next;
  }
}
