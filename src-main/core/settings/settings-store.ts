import { join } from 'node:path';
import { readJsonFile, writeDataFile } from './json-file';

export interface Settings {
  /** The engine the user chose (address); absent means automatic discovery. */
  engineAddress?: string;
  /** Engines the user added by address, remembered for the picker. */
  addedEngines: string[];
  theme: 'system' | 'light' | 'dark';
  window?: { x?: number; y?: number; width: number; height: number; maximized?: boolean };
  /** Options a new build starts with (the Build view's form defaults); absent means the engine's defaults. */
  buildDefaults?: {
    builder: 'auto' | 'classic' | 'buildkit';
    noCache: boolean;
    pull: boolean;
    /** Empty for the engine's own platform. */
    platform: string;
    /** Empty for the engine's default network. */
    networkMode: string;
  };
  /** A system notification when a long job ends while the window is in the background (absent means on). */
  notifyLongJobs?: boolean;
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
    await writeDataFile(this.path, JSON.stringify(next, null, 2));
    return next;
  }
}
