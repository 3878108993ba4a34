import type Docker from 'dockerode';
import { engineFailure, imageProblem } from './image-errors';
import { splitRepoTag } from './list-images';
import { normalizeImageId } from './image-id';
import { familiarName, familiarNames, formatReference, parseReference } from '$shared/images/reference';

export interface UntagResult {
  /** References the engine removed (the tag, plus digests of that repository if it was its last tag). */
  untagged: string[];
  imageId: string;
  /** Tags the image still has. */
  remainingTags: string[];
}

function repositoryOfDigest(repoDigest: string): string {
  return repoDigest.slice(0, repoDigest.indexOf('@'));
}

/**
 * Remove one tag from an image and nothing else: the image and its other references stay.
 *
 * The engine has no "untag" call: DELETE /images/{repo:tag} removes the reference and, when it was
 * the image's last reference, the image too. So untag refuses when no reference would remain (that
 * is a removal; use removeImage, which asks about containers). Like the engine, removing the last tag
 * of a repository also drops that repository's digest references, so those are counted out.
 */
export async function untagImage(
  docker: Docker,
  options: { reference: string; signal?: AbortSignal },
): Promise<UntagResult> {
  const parsed = parseReference(options.reference);
  if (!parsed.ok || parsed.reference.digest !== undefined) {
    throw imageProblem(
      'invalid-input',
      `"${options.reference}" is not a repository:tag${parsed.ok ? '' : ` (${parsed.reason})`}: untag takes a tag such as app:1.0.`,
    );
  }
  const reference = formatReference({ ...parsed.reference, tag: parsed.reference.tag ?? 'latest' });
  let info: Docker.ImageInspectInfo;
  try {
    info = await docker.getImage(reference).inspect();
  } catch (err) {
    throw engineFailure(err, `Could not untag ${reference}`);
  }
  const tags = familiarNames(info.RepoTags);
  if (!tags.includes(reference)) {
    throw imageProblem('not-found', `${reference} is not a tag of image ${info.Id}: refresh the list.`);
  }
  const [repository] = splitRepoTag(reference);
  const otherTags = tags.filter((t) => t !== reference);
  const repositoryKeepsTag = otherTags.some((t) => splitRepoTag(t)[0] === repository);
  // familiar: Podman gives digests fully qualified (docker.io/team/x@sha256:…), even for a local commit.
  const survivingDigests = familiarNames(info.RepoDigests).filter(
    (d) => repositoryOfDigest(d) !== repository || repositoryKeepsTag,
  );
  if (otherTags.length === 0 && survivingDigests.length === 0) {
    throw imageProblem(
      'conflict',
      `${reference} is the only reference to image ${info.Id.replace(/^sha256:/, '').slice(0, 12)}: untagging it would remove the image. Use Remove instead.`,
      { reason: 'last-reference', imageId: info.Id },
    );
  }
  let records: Docker.ImageRemoveInfo[];
  try {
    records = (await docker.getImage(reference).remove({
      noprune: true,
      ...(options.signal ? { abortSignal: options.signal } : {}),
    })) as Docker.ImageRemoveInfo[];
  } catch (err) {
    throw engineFailure(err, `Could not untag ${reference}`);
  }
  return {
    // Podman names what it untagged fully qualified; Docker's short form is what the rest of the app shows.
    untagged: records.filter((r) => r.Untagged).map((r) => familiarName(r.Untagged)),
    imageId: normalizeImageId(info.Id),
    remainingTags: otherTags,
  };
}
