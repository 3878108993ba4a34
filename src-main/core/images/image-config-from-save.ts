import type Docker from 'dockerode';
import type { Readable } from 'node:stream';
import { MAX_JSON_BYTES, tooLarge } from '../layers/archive-manifest';
import { TarHeaderParser } from '../layers/tar-header-parser';
import { saveStream } from './engine-streams';
import { cancelled, engineFailure } from './image-errors';

/** The parts of the image config JSON (OCI / Docker v1 image spec) the engine's inspect leaves out. */
export interface SavedImageConfig {
  history: Array<{ created?: string; created_by?: string; comment?: string; empty_layer?: boolean; author?: string }>;
  rootfs?: { type?: string; diff_ids?: string[] };
}

/** Names the config may have inside a `docker save` archive: `<hex>.json` (legacy) or `blobs/sha256/<hex>` (OCI). */
function isConfigEntry(name: string, hex: string): boolean {
  const clean = name.replace(/^\.\//, '');
  return clean === `${hex}.json` || clean === `blobs/sha256/${hex}`;
}

/**
 * Read the image's own config JSON out of the engine's `docker save` stream, stopping as soon as it
 * has passed by (it sits among the layers in name order, so on average half the archive is read).
 * The one engine-only source of `empty_layer`; used when history sizes and parent images leave doubt.
 * The archive is read with the layers' own tar reader (core/layers/tar-header-parser), the one the app
 * trusts with Go's reading of PAX, GNU and raw-byte names.
 */
export async function readImageConfigFromSave(
  docker: Docker,
  options: { imageId: string; signal?: AbortSignal },
): Promise<SavedImageConfig> {
  const hex = options.imageId.replace(/^sha256:/, '');
  const controller = new AbortController();
  let source: Readable | undefined;
  const onAbort = () => {
    controller.abort();
    source?.destroy(cancelled('Reading the image config'));
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    try {
      if (options.signal?.aborted) throw cancelled('Reading the image config');
      source = await saveStream(docker, { names: [options.imageId], signal: controller.signal });
    } catch (err) {
      throw engineFailure(err, `Could not read the config of image ${options.imageId}`);
    }
    const config = await configBytes(source, hex);
    if (!config) throw new Error(`The engine's archive of ${options.imageId} holds no image config`);
    try {
      return JSON.parse(config.toString('utf8')) as SavedImageConfig;
    } catch (err) {
      throw new Error(`The image config of ${options.imageId} is not valid JSON: ${(err as Error).message}`, {
        cause: err,
      });
    }
  } catch (err) {
    if (options.signal?.aborted) throw cancelled('Reading the image config');
    throw err;
  } finally {
    // Found or failed: stop the engine from streaming the rest of the archive.
    options.signal?.removeEventListener('abort', onAbort);
    source?.destroy();
    controller.abort();
  }
}

/** The config file's bytes, read from the archive up to the end of that entry and no further. */
async function configBytes(source: AsyncIterable<Uint8Array>, hex: string): Promise<Buffer | undefined> {
  let config: Buffer | undefined;
  const parser = new TarHeaderParser({
    onEntry: (header) => {
      if (config || header.kind !== 'file' || !isConfigEntry(header.name, hex)) return undefined;
      if (header.size > MAX_JSON_BYTES) throw tooLarge(header.name, header.size);
      const chunks: Buffer[] = [];
      return {
        write: (chunk) => void chunks.push(Buffer.from(chunk)),
        end: () => {
          config = Buffer.concat(chunks);
        },
      };
    },
  });
  for await (const chunk of source) {
    parser.push(chunk);
    if (config || parser.finished) return config;
  }
  parser.end();
  return config;
}
