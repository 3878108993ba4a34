import { createHash } from 'node:crypto';
import type { ContextEntry } from '../context/context-entry';
import { openRegularFile } from '../files/user-path';
import type { ContextFingerprints } from './cache-miss-reasons';

/**
 * Size, mtime and SHA-256 of every regular file a build sends, so the next build can name the files that
 * changed. Content is hashed (not only size and mtime): an edit in the same second that keeps the size is
 * still a change to the builder's cache, so it must be one here too. An unreadable file is left out.
 */
export async function contextFingerprints(entries: readonly ContextEntry[]): Promise<ContextFingerprints> {
  const out: ContextFingerprints = {};
  for (const entry of entries) {
    if (entry.type !== 'file') continue;
    const hash = createHash('sha256');
    if (entry.content) hash.update(entry.content);
    else if (entry.source) {
      try {
        const handle = await openRegularFile(entry.source);
        try {
          for await (const chunk of handle.createReadStream({ autoClose: false }) as AsyncIterable<Buffer>)
            hash.update(chunk);
        } finally {
          await handle.close();
        }
      } catch {
        continue;
      }
    } else continue;
    out[entry.path] = { size: entry.size, mtime: entry.mtime, sha256: hash.digest('hex') };
  }
  return out;
}
