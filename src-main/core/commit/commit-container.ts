import type Docker from 'dockerode';
import { StrataError, toStrataError } from '$shared/engine/errors';
import { containerFailure } from '../containers/container-failure';
import { normalizeImageId } from '../images/image-id';
import { parseReference, type ReferenceDialect } from '$shared/images/reference';
import type { CommitRequest } from '$shared/commit/commit-command-line';
import { renderChanges, type ChangeEngine } from '$shared/commit/render-change';

export interface CommitOptions extends CommitRequest {
  /** Reference grammar the engine applies (see dialectForApiVersion); default `current`. */
  dialect?: ReferenceDialect;
  /** The engine that parses the changes: Podman's parser differs from Docker's (see renderChanges). */
  engine?: ChangeEngine;
  signal?: AbortSignal;
}

export interface CommitResult {
  /** The new image's ID, `sha256:...`. */
  imageId: string;
  /** The image the container was created from: the new image's parent, one layer below. */
  baseImageId: string;
}

/** Commit a container's changes into a new image (`docker commit`). */
export async function commitContainer(docker: Docker, options: CommitOptions): Promise<CommitResult> {
  // Checked before touching the engine, so a typo never pauses the container for nothing.
  const changes = renderChanges(options.changes ?? [], options.engine ?? 'docker');
  const target = commitTarget(options);
  const abort = options.signal ? { abortSignal: options.signal } : {};
  const container = docker.getContainer(options.container);
  let baseImageId: string;
  try {
    baseImageId = (await container.inspect(abort)).Image;
  } catch (err) {
    throw containerFailure(err, { action: 'commit', container: options.container });
  }
  let answer: unknown;
  try {
    answer = await container.commit({
      ...(target ? { repo: target.repository, tag: target.tag } : {}),
      ...(options.author ? { author: options.author } : {}),
      ...(options.message ? { comment: options.message } : {}),
      pause: options.pause ?? true,
      ...(changes.length > 0 ? { changes } : {}),
      ...abort,
    });
  } catch (err) {
    throw commitFailure(err, options);
  }
  const imageId = (answer as { Id?: unknown } | null)?.Id;
  if (typeof imageId !== 'string') {
    throw new StrataError('internal', 'The engine committed the container but did not say which image it made.', {
      answer,
    });
  }
  return { imageId: normalizeImageId(imageId), baseImageId: normalizeImageId(baseImageId) };
}

/** Validate `repository[:tag]` before the engine sees it; the tag defaults to `latest`, as docker commit does. */
export function commitTarget(options: {
  reference?: string;
  dialect?: ReferenceDialect;
}): { repository: string; tag: string } | undefined {
  const reference = options.reference?.trim();
  if (!reference) return undefined;
  const check = parseReference(reference, options.dialect ? { dialect: options.dialect } : {});
  if (!check.ok) {
    throw new StrataError('invalid-input', `Cannot commit to "${reference}": ${check.reason}.`, {
      field: 'reference',
      problem: check.problem,
    });
  }
  if (check.reference.digest) {
    throw new StrataError(
      'invalid-input',
      `Cannot commit to "${reference}": a digest names existing content; remove the "@..." part.`,
      {
        field: 'reference',
        problem: 'not-allowed',
      },
    );
  }
  return { repository: check.reference.repository, tag: check.reference.tag ?? 'latest' };
}

function commitFailure(err: unknown, options: CommitOptions): StrataError {
  const failure = toStrataError(err);
  const engineMessage = failure.details?.engineMessage ?? failure.message;
  if (/invalid reference format|repository name must|invalid tag/i.test(engineMessage)) {
    return new StrataError(
      'invalid-input',
      `The engine refused "${options.reference ?? ''}" as repository:tag: ${engineMessage}.`,
      { ...failure.details, field: 'reference' },
    );
  }
  if (failure.details?.status === 400) {
    return new StrataError(
      'invalid-input',
      `The engine refused the commit: ${engineMessage}. Check the config changes.`,
      {
        ...failure.details,
        field: 'changes',
      },
    );
  }
  return containerFailure(err, { action: 'commit', container: options.container });
}
