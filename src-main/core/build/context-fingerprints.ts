import { createHash } from 'node:crypto';
import type { ContextEntry } from '../context/context-entry';
import { openRegularFile } from '../files/user-path';
import type { ContextFingerprints } from './cache-miss-reasons';

/** The fingerprints an earlier build kept, and when it began hashing them (epoch ms). */
export interface EarlierFingerprints {
  files: ContextFingerprints;
  hashedAt: number;
}

/**
 * Size, mtime and SHA-256 of every regular file a build sends, so the next build can name the files that
 * changed. Content is hashed (not only size and mtime): an edit that keeps the size is still a change to the
 * builder's cache, so it must be one here too. A file whose size and mtime match `earlier` and whose mtime
 * is well before that build began hashing keeps its hash unread, as git trusts its index: an edit in the same
 * second as that hashing ("racily clean") is hashed again. An unreadable file is left out.
 */
export async function contextFingerprints(
  entries: readonly ContextEntry[],
  earlier?: EarlierFingerprints,
): Promise<ContextFingerprints> {
  const out: ContextFingerprints = {};
  // mtime is whole seconds: only a file last written two seconds before the earlier hashing cannot have changed unseen.
  const trustedBefore = earlier ? Math.floor(earlier.hashedAt / 1000) - 1 : -Infinity;
  for (const entry of entries) {
    if (entry.type !== 'file') continue;
    const known = earlier?.files[entry.path];
    if (
      !entry.content &&
      known &&
      known.size === entry.size &&
      known.mtime === entry.mtime &&
      entry.mtime < trustedBefore
    ) {
      out[entry.path] = known;
      continue;
    }
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
