import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';

/**
 * Give every test of the calling file a fresh, empty temp folder (on the real filesystem) and remove it after
 * the test. Call at the top of the file; the returned function gives the current test's folder.
 */
export function tempDirEachTest(prefix: string): () => string {
  let dir: string | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), prefix));
  });
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });
  return () => {
    if (!dir) throw new Error('tempDirEachTest: the temp folder exists only while a test runs');
    return dir;
  };
}
