import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createLayerDecoder } from '../../../src-main/core/layers/layer-blob-decoder';
import { readImageArchive } from '../../../src-main/core/layers/image-archive-reader';
import { LayerScanner } from '../../../src-main/core/layers/layer-scanner';
import { generateImage } from './archive-generator';
import { layerTar } from './archive-helpers';

describe('cancelling an archive read', () => {
  it('ends the read even when the source never sends another byte and cannot be destroyed', async () => {
    const { archive } = await generateImage(5);
    const controller = new AbortController();
    let stalled!: () => void;
    const reachedStall = new Promise<void>((resolve) => (stalled = resolve));
    // An async generator: nothing to destroy, and its next read never settles.
    async function* source(): AsyncGenerator<Uint8Array> {
      yield archive.subarray(0, 70_000);
      stalled();
      await new Promise<never>(() => undefined);
    }
    const read = readImageArchive(source(), { signal: controller.signal });
    await reachedStall;
    controller.abort(new Error('cancelled by the user'));
    await expect(read).rejects.toThrow('cancelled by the user');
  });

  it('a gzip layer decoder waiting for room settles when it is closed, rather than waiting forever', async () => {
    const layer = await layerTar([{ file: 'big.bin', content: randomBytes(1 << 20).toString('latin1') }]);
    const decoder = createLayerDecoder('gzip', new LayerScanner());
    decoder.write(gzipSync(layer));
    const pending = decoder.pending();
    expect(pending).toBeInstanceOf(Promise);
    decoder.destroy();
    await expect(pending).rejects.toThrow();
  });

  it('a gzip layer decoder that drained while the reader waited elsewhere asks for no wait', async () => {
    const layer = await layerTar([{ file: 'big.bin', content: randomBytes(1 << 20).toString('latin1') }]);
    const decoder = createLayerDecoder('gzip', new LayerScanner());
    decoder.write(gzipSync(layer));
    // The reader awaits an earlier layer meanwhile: the decoder drains with nobody listening.
    await new Promise((resolve) => setTimeout(resolve, 200));
    await Promise.race([
      decoder.pending(),
      new Promise((_, reject) => setTimeout(() => reject(new Error('hung')), 5000)),
    ]);
    decoder.end();
    await decoder.pending();
  });
});
