import type Docker from 'dockerode';
import { normalizeImageId } from './image-id';
import { familiarName, familiarNames } from '$shared/images/reference';
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

  // Tags as they stand before the load, so a tag the load moves is reported whatever the engine says:
  // Docker prints "renaming the old one", Podman moves the tag without a word.
  let before: Map<string, string>;
  try {
    before = tagOwners(await docker.listImages());
  } catch (err) {
    upload.close();
    throw engineFailure(err, `Could not load ${options.source}`);
  }
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
  const replaced = parsed.replaced.map((r) => ({
    reference: familiarName(r.reference),
    previousImageId: normalizeImageId(r.previousImageId),
  }));
  for (const named of parsed.references) {
    // Podman says "Loaded image: sha256:<hex>" for an image saved by ID: that is an ID, not a tag.
    if (/^(sha256:)?[0-9a-f]{64}$/.test(named)) {
      parsed.imageIds.push(named);
      continue;
    }
    // Podman names what it loaded fully qualified (docker.io/team/x:1); Docker's short form is shown.
    const reference = familiarName(named);
    let imageId: string;
    try {
      imageId = normalizeImageId((await docker.getImage(reference).inspect()).Id);
    } catch (err) {
      throw engineFailure(err, `Loaded ${reference} but could not inspect it`);
    }
    images.push({ imageId, reference });
    const previousImageId = before.get(reference);
    if (previousImageId && previousImageId !== imageId && !replaced.some((r) => r.reference === reference))
      replaced.push({ reference, previousImageId });
  }
  for (const imageId of new Set(parsed.imageIds.map((id) => normalizeImageId(id)))) images.push({ imageId });
  return { images, replaced };
}

/** Each tag (Docker's short form) and the image it names. */
function tagOwners(list: readonly Docker.ImageInfo[]): Map<string, string> {
  const owners = new Map<string, string>();
  for (const image of list)
    for (const tag of familiarNames(image.RepoTags)) owners.set(tag, normalizeImageId(image.Id));
  return owners;
}
