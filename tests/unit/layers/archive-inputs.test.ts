import { describe, expect, it } from 'vitest';
import { readImageArchive } from '../../../src-main/core/layers/image-archive-reader';
import { chunked, layerTar, packTar, ustarHeader } from './archive-helpers';

/** An archive whose only entry is `name` with a body of `size` zero bytes, streamed without holding it. */
async function* oneHugeEntry(name: string, size: number): AsyncGenerator<Uint8Array> {
  yield ustarHeader(Buffer.from(name), size);
  const chunk = new Uint8Array(1 << 20);
  for (let left = size; left > 0; left -= chunk.length) yield left >= chunk.length ? chunk : chunk.subarray(0, left);
  yield new Uint8Array(((512 - (size % 512)) % 512) + 1024);
}

describe('archive inputs that are not what they claim', () => {
  it('a manifest.json over the size limit is reported as too large, not as missing', async () => {
    const size = (64 << 20) + 1;
    await expect(readImageArchive(oneHugeEntry('manifest.json', size))).rejects.toThrow(
      `manifest.json is ${size} bytes, more than the 67108864 bytes (64 MiB) a manifest or config may take`,
    );
  });

  it('a manifest that does not fit the schema is explained in a sentence, not the validator’s JSON', async () => {
    const archive = await packTar([{ header: { name: 'manifest.json' }, data: '{}' }]);
    const error = await readImageArchive(chunked(archive, 512)).catch((e: unknown) => e as Error);
    expect((error as Error).message).toBe(
      'manifest.json is not a docker save manifest: expected array, received object',
    );
  });

  it('names every field that is wrong, with where it is', async () => {
    const archive = await packTar([{ header: { name: 'manifest.json' }, data: '[{"Config":1}]' }]);
    const error = await readImageArchive(chunked(archive, 512)).catch((e: unknown) => e as Error);
    expect((error as Error).message).toBe(
      'manifest.json is not a docker save manifest: [0].Config: expected string, received number; ' +
        '[0].Layers: expected array, received undefined',
    );
    expect((error as Error).message).not.toContain('"code"');
  });

  it('an image config of the wrong shape is explained too', async () => {
    const layer = await layerTar([{ file: 'a', content: 'x' }]);
    const archive = await packTar([
      { header: { name: 'manifest.json' }, data: JSON.stringify([{ Config: 'c.json', Layers: ['l/layer.tar'] }]) },
      { header: { name: 'c.json' }, data: JSON.stringify({ history: 'none' }) },
      { header: { name: 'l/layer.tar' }, data: layer },
    ]);
    const error = await readImageArchive(chunked(archive, 512)).catch((e: unknown) => e as Error);
    expect((error as Error).message).toBe('c.json is not an image config: history: expected array, received string');
  });
});
