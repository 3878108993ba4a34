import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createContentHasher, InlineHasher, type ContentHasher } from '../../../src-main/core/layers/content-hasher';

const sha1 = (bytes: Uint8Array): string => createHash('sha1').update(bytes).digest('base64');

/** Feed files to a hasher in pieces of `piece` bytes, interleaving a second file's pieces; collect digests. */
async function hashAll(hasher: ContentHasher, files: Uint8Array[], piece: number): Promise<string[]> {
  const digests: string[] = new Array(files.length);
  for (let f = 0; f < files.length; f++) {
    const body = files[f] as Uint8Array;
    const handle = hasher.begin((digest) => (digests[f] = digest));
    for (let offset = 0; offset < body.length; offset += piece) {
      hasher.write(handle, body.subarray(offset, offset + piece));
      const wait = hasher.pending();
      if (wait) await wait;
    }
    hasher.end(handle);
  }
  await hasher.finish();
  hasher.close();
  return digests;
}

describe('content hasher', () => {
  // Empty files, small ones, one that spans several batches, and enough files to send a batch by count.
  const files = [
    new Uint8Array(0),
    randomBytes(1),
    randomBytes(511),
    randomBytes(5 * 1024 * 1024 + 3),
    ...Array.from({ length: 9000 }, (_, i) => randomBytes(i % 97)),
    new Uint8Array(0),
  ];

  it('on its worker thread, gives every file the SHA-1 of its contents', async () => {
    const digests = await hashAll(createContentHasher(), files, 64 * 1024);
    expect(digests).toEqual(files.map(sha1));
  });

  it('gives the same digests however the bodies are cut, and as hashing in line does', async () => {
    const inline = await hashAll(new InlineHasher(), files, 7777);
    const worker = await hashAll(createContentHasher(), files, 1000);
    expect(worker).toEqual(inline);
    expect(inline[0]).toBe(sha1(new Uint8Array(0)));
  });

  it('fails its waiters once closed, rather than leaving them waiting', async () => {
    const hasher = createContentHasher();
    const handle = hasher.begin(() => undefined);
    hasher.write(handle, randomBytes(100));
    hasher.close();
    await expect(hasher.finish()).rejects.toThrow(/stopped/);
  });
});
