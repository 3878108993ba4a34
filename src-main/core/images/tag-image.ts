import type Docker from 'dockerode';
import { shortId } from '$shared/images/format';
import { normalizeImageId } from './image-id';
import { engineFailure, imageProblem, isNotFound } from './image-errors';
import { dialectForApiVersion, formatReference, validateTagTarget } from '$shared/images/reference';
import type { ReferenceDialect } from '$shared/images/reference';

const dialects = new WeakMap<Docker, Promise<ReferenceDialect>>();

/** The reference grammar this engine applies (older engines are stricter about upper case). */
export function engineDialect(docker: Docker): Promise<ReferenceDialect> {
  let dialect = dialects.get(docker);
  if (!dialect) {
    dialect = docker.version().then(
      (v) => dialectForApiVersion(v.ApiVersion),
      () => 'current' as const,
    );
    dialects.set(docker, dialect);
  }
  return dialect;
}

export interface TagResult {
  /** The new reference, as Docker prints it (`team/app:1.0`). */
  reference: string;
  imageId: string;
  /** The tag already named another image: it moved here. */
  movedFrom?: { imageId: string; shortId: string; nowDangling: boolean };
  /** The tag already named this image: nothing changed. */
  unchanged: boolean;
}

/** Tag an image as repository:tag, validated against Docker's reference grammar first. */
export async function tagImage(
  docker: Docker,
  options: { image: string; repository: string; tag?: string; dialect?: ReferenceDialect; signal?: AbortSignal },
): Promise<TagResult> {
  const tag = options.tag === undefined || options.tag === '' ? 'latest' : options.tag;
  const dialect = options.dialect ?? (await engineDialect(docker));
  const check = validateTagTarget({ repository: options.repository, tag, dialect });
  if (!check.ok) {
    throw imageProblem('invalid-input', `"${options.repository}:${tag}" is not a valid tag: ${check.reason}.`, {
      field: check.problem === 'invalid-tag' ? 'tag' : 'repository',
      problem: check.problem,
    });
  }
  const reference = formatReference(check.reference);

  let source: Docker.ImageInspectInfo;
  try {
    source = await docker.getImage(options.image).inspect();
  } catch (err) {
    throw engineFailure(err, `Could not tag ${options.image}`);
  }
  let previous: Docker.ImageInspectInfo | undefined;
  try {
    previous = await docker.getImage(reference).inspect();
  } catch (err) {
    if (!isNotFound(err)) throw engineFailure(err, `Could not tag ${options.image} as ${reference}`);
  }
  source = { ...source, Id: normalizeImageId(source.Id) };
  if (previous) previous = { ...previous, Id: normalizeImageId(previous.Id) };
  if (previous?.Id === source.Id) return { reference, imageId: source.Id, unchanged: true };

  try {
    await docker.getImage(source.Id).tag({
      repo: check.reference.repository,
      tag,
      ...(options.signal ? { abortSignal: options.signal } : {}),
    });
  } catch (err) {
    throw engineFailure(err, `Could not tag ${options.image} as ${reference}`);
  }
  return {
    reference,
    imageId: source.Id,
    unchanged: false,
    ...(previous
      ? {
          movedFrom: {
            imageId: previous.Id,
            shortId: shortId(previous.Id),
            nowDangling: (previous.RepoTags ?? []).length <= 1,
          },
        }
      : {}),
  };
}
