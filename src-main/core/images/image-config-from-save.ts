import type Docker from 'dockerode';
import type { Readable } from 'node:stream';
import { extract } from 'tar-stream';
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
 */
export async function readImageConfigFromSave(
  docker: Docker,
  options: { imageId: string; signal?: AbortSignal },
): Promise<SavedImageConfig> {
  const hex = options.imageId.replace(/^sha256:/, '');
  const controller = new AbortController();
  const onAbort = () => controller.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  let source: Readable;
  try {
    if (options.signal?.aborted) throw cancelled('Reading the image config');
    source = await saveStream(docker, { names: [options.imageId], signal: controller.signal });
  } catch (err) {
    options.signal?.removeEventListener('abort', onAbort);
    throw engineFailure(err, `Could not read the config of image ${options.imageId}`);
  }
  const tar = extract();
  try {
    return await new Promise<SavedImageConfig>((resolve, reject) => {
      let found = false;
      tar.on('entry', (header, stream, next) => {
        if (!found && header.type === 'file' && isConfigEntry(header.name, hex)) {
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: unknown) => void chunks.push(chunk as Buffer));
          stream.on('end', () => {
            found = true;
            try {
              resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as SavedImageConfig);
            } catch (err) {
              reject(new Error(`The image config of ${options.imageId} is not valid JSON: ${(err as Error).message}`));
            }
            next();
          });
          return;
        }
        stream.on('end', () => next());
        stream.resume();
      });
      tar.on('finish', () => {
        if (!found) reject(new Error(`The engine's archive of ${options.imageId} holds no image config`));
      });
      tar.on('error', reject);
      source.on('error', (err) => reject(options.signal?.aborted ? cancelled('Reading the image config') : err));
      options.signal?.addEventListener('abort', () => reject(cancelled('Reading the image config')), { once: true });
      source.pipe(tar);
    });
  } finally {
    // Found or failed: stop the engine from streaming the rest of the archive.
    options.signal?.removeEventListener('abort', onAbort);
    source.unpipe(tar);
    source.destroy();
    tar.destroy();
    controller.abort();
  }
}
