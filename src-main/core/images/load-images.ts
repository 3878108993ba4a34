import type Docker from 'dockerode';
import { normalizeImageId } from './image-id';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { uploadFile } from './file-upload';
import { cancelled, engineFailure, imageProblem, localFileProblem } from './image-errors';
import { engineMessages, messageError } from './json-messages';
import type { EngineMessage } from './json-messages';
import type { TransferProgress } from './save-images';

export interface LoadedImage {
  imageId: string;
  /** The tag it arrived with; undefined for images saved by ID. */
  reference?: string;
}

export interface LoadResult {
  images: LoadedImage[];
  /** Tags that pointed at another image before the load ("renaming the old one ... to empty string"). */
  replaced: Array<{ reference: string; previousImageId: string }>;
}

/** What the engine says when an image arrives: "Loaded image: x:y" or "Loaded image ID: sha256:..." */
export function parseLoadMessages(messages: readonly EngineMessage[]): {
  references: string[];
  imageIds: string[];
  replaced: LoadResult['replaced'];
} {
  const references: string[] = [];
  const imageIds: string[] = [];
  const replaced: LoadResult['replaced'] = [];
  for (const message of messages) {
    for (const line of (message.stream ?? '').split('\n')) {
      const id = /^Loaded image ID: (\S+)/.exec(line);
      if (id) {
        imageIds.push(id[1]!);
        continue;
      }
      const ref = /^Loaded image: (\S+)/.exec(line);
      if (ref) {
        references.push(ref[1]!);
        continue;
      }
      const moved = /^The image (\S+) already exists, renaming the old one with ID (\S+) to empty string/.exec(line);
      if (moved) replaced.push({ reference: moved[1]!, previousImageId: moved[2]! });
    }
  }
  return { references, imageIds, replaced };
}

/** Load images from a tar made by `docker save` (or an OCI layout archive), reporting what arrived. */
export async function loadImages(
  docker: Docker,
  options: { source: string; signal?: AbortSignal; onProgress?: (progress: TransferProgress) => void },
): Promise<LoadResult> {
  const problem = await localFileProblem(options.source, 'a tar made by docker save');
  if (problem) throw problem;
  const info = await stat(options.source);
  if (options.signal?.aborted) throw cancelled('Loading images');
  const upload = uploadFile({ path: options.source, totalBytes: info.size, onProgress: options.onProgress });

  const messages: EngineMessage[] = [];
  try {
    const response = (await docker.loadImage(upload.body, {
      quiet: false,
      ...(options.signal ? { abortSignal: options.signal } : {}),
    })) as Readable;
    for await (const message of engineMessages(response)) {
      const error = messageError(message);
      if (error) {
        throw imageProblem(
          'invalid-input',
          `Could not load ${options.source}: ${error}. Is it an archive made by docker save?`,
          {
            engineMessage: error,
          },
        );
      }
      messages.push(message);
    }
  } catch (err) {
    upload.close();
    if (options.signal?.aborted) throw cancelled('Loading images');
    if (err instanceof Error && err.name === 'StrataError') throw err;
    throw engineFailure(err, `Could not load ${options.source}`, 'Is it an archive made by docker save?');
  }
  options.onProgress?.({ bytes: upload.sentBytes(), totalBytes: info.size });

  const parsed = parseLoadMessages(messages);
  const images: LoadedImage[] = [];
  for (const reference of parsed.references) {
    try {
      const image = await docker.getImage(reference).inspect();
      images.push({ imageId: normalizeImageId(image.Id), reference });
    } catch (err) {
      throw engineFailure(err, `Loaded ${reference} but could not inspect it`);
    }
  }
  for (const imageId of parsed.imageIds) images.push({ imageId: normalizeImageId(imageId) });
  return { images, replaced: parsed.replaced };
}
