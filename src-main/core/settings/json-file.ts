import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../files/atomic-write';

/** Read a JSON file, or the fallback when it does not exist or is damaged (a damaged file is not fatal). */
export async function readJsonFile<T>(path: string, fallback: T): Promise<T> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch {
    return fallback;
  }
}

/**
 * Write a file of the app's data folder (settings, history, preferences) atomically and durably, creating the
 * folder on first use; a new file is readable by this user only.
 */
export async function writeDataFile(path: string, data: string): Promise<void> {
  await writeFileAtomic({ path, data, newFileMode: 0o600, createFolder: true });
}
