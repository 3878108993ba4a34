import type Docker from 'dockerode';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { uploadFile } from './file-upload';
import { cancelled, engineFailure, imageProblem, localFileProblem } from './image-errors';
import { engineMessages, messageError } from './json-messages';
import { formatReference, validateTagTarget } from '$shared/images/reference';
import type { ReferenceDialect } from '$shared/images/reference';
import type { TransferProgress } from './save-images';
import { validateImportChanges } from '$shared/images/import-changes';
import { engineDialect } from './tag-image';

export interface ImportOptions {
  /** A root filesystem tarball (plain, gzip, bzip2 or xz: the engine decompresses it). */
  source: string;
  repository?: string;
  tag?: string;
  /** Dockerfile-style lines applied to the new image's config, e.g. `CMD ["/bin/sh"]`, `ENV PATH=/bin`. */
  changes?: string[];
  /** Commit message recorded in the image's history. */
  message?: string;
  /** e.g. linux/amd64; defaults to the engine's. */
  platform?: string;
  dialect?: ReferenceDialect;
  signal?: AbortSignal;
  onProgress?: (progress: TransferProgress) => void;
}

export interface ImportResult {
  imageId: string;
  reference?: string;
}

/** Import a root filesystem tarball as a new single-layer image (`docker import`): the offline way to make a base image. */
export async function importImage(docker: Docker, options: ImportOptions): Promise<ImportResult> {
  const problem = await localFileProblem(options.source, 'a root filesystem tarball');
  if (problem) throw problem;
  const info = await stat(options.source);
  let reference: string | undefined;
  if (options.repository) {
    const dialect = options.dialect ?? (await engineDialect(docker));
    const tag = options.tag || 'latest';
    const check = validateTagTarget({ repository: options.repository, tag, dialect });
    if (!check.ok) {
      throw imageProblem('invalid-input', `"${options.repository}:${tag}" is not a valid tag: ${check.reason}.`, {
        field: check.problem === 'invalid-tag' ? 'tag' : 'repository',
      });
    }
    reference = formatReference(check.reference);
  } else if (options.tag) {
    throw imageProblem('invalid-input', 'A tag needs a repository: fill in the repository too.', {
      field: 'repository',
    });
  }
  const changes = (options.changes ?? []).map((c) => c.trim()).filter((c) => c !== '');
  const problems = validateImportChanges(changes);
  if (problems.length > 0) {
    throw imageProblem('invalid-input', `Invalid change: ${problems.join('; ')}.`, { field: 'changes', problems });
  }
  if (options.signal?.aborted) throw cancelled('Importing');

  const upload = uploadFile({ path: options.source, totalBytes: info.size, onProgress: options.onProgress });

  let imageId: string | undefined;
  try {
    const response = (await docker.importImage(upload.body, {
      // The whole reference in `repo`, no `tag`: Docker reads the tag from it, and Podman ignores `tag`
      // (it made `docker.io/<repo>:latest` whatever the tag said).
      ...(reference ? { repo: reference } : {}),
      ...(changes.length ? { changes } : {}),
      ...(options.message ? { message: options.message } : {}),
      ...(options.platform ? { platform: options.platform } : {}),
      ...(options.signal ? { abortSignal: options.signal } : {}),
    })) as Readable;
    for await (const message of engineMessages(response)) {
      const error = messageError(message);
      if (error)
        throw imageProblem('invalid-input', `Could not import ${options.source}: ${error}.`, { engineMessage: error });
      if (message.status && /^sha256:[a-f0-9]{64}$/.test(message.status.trim())) imageId = message.status.trim();
    }
  } catch (err) {
    upload.close();
    if (options.signal?.aborted) throw cancelled('Importing');
    if (err instanceof Error && err.name === 'StrataError') throw err;
    throw engineFailure(err, `Could not import ${options.source}`);
  }
  options.onProgress?.({ bytes: upload.sentBytes(), totalBytes: info.size });
  if (!imageId)
    throw imageProblem('internal', `The engine imported ${options.source} but did not report the new image ID.`);
  return { imageId, ...(reference ? { reference } : {}) };
}
