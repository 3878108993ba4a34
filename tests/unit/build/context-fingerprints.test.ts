import { createHash } from 'node:crypto';
import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ContextEntry } from '../../../src-main/core/context/context-entry';
import { contextFingerprints } from '../../../src-main/core/build/context-fingerprints';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

describe('context fingerprints', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'strata-fingerprints-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** A file entry as the context scan lists it, with its mtime set to `mtime` (seconds). */
  async function file(path: string, content: string, mtime: number): Promise<ContextEntry> {
    await writeFile(join(dir, path), content);
    await utimes(join(dir, path), mtime, mtime);
    return { path, type: 'file', size: Buffer.byteLength(content), mode: 0o644, mtime, source: join(dir, path) };
  }

  it('hashes every regular file with its size and mtime, and synthesised entries from their content', async () => {
    const a = await file('a.txt', 'abc', 1_600_000_000);
    const synth: ContextEntry = {
      path: '.dockerfile.x',
      type: 'file',
      size: 2,
      mode: 0o644,
      mtime: 0,
      content: Buffer.from('hi'),
    };
    const dirEntry: ContextEntry = { path: 'src', type: 'dir', size: 0, mode: 0o755, mtime: 0 };
    expect(await contextFingerprints([a, synth, dirEntry])).toEqual({
      'a.txt': { size: 3, mtime: 1_600_000_000, sha256: sha('abc') },
      '.dockerfile.x': { size: 2, mtime: 0, sha256: sha('hi') },
    });
  });

  it('keeps an earlier hash only for a file unchanged in size and mtime, written well before that hashing', async () => {
    const old = await file('old.txt', 'same', 1_600_000_000);
    const racy = await file('racy.txt', 'edit', 1_700_000_000);
    const grown = await file('grown.txt', 'longer', 1_600_000_000);
    const earlier = {
      hashedAt: 1_700_000_000_500,
      files: {
        'old.txt': { size: 4, mtime: 1_600_000_000, sha256: 'kept' },
        // Written in the same second the earlier build hashed it: may have changed since, unseen by mtime.
        'racy.txt': { size: 4, mtime: 1_700_000_000, sha256: 'stale' },
        'grown.txt': { size: 3, mtime: 1_600_000_000, sha256: 'stale' },
      },
    };
    const files = await contextFingerprints([old, racy, grown], earlier);
    expect(files['old.txt']?.sha256).toBe('kept');
    expect(files['racy.txt']?.sha256).toBe(sha('edit'));
    expect(files['grown.txt']?.sha256).toBe(sha('longer'));
  });
});
