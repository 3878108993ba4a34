import type Docker from 'dockerode';
import { toStrataError } from '$shared/engine/errors';

export interface ExistingTag {
  /** The image the tag points at now (`sha256:...`). */
  imageId: string;
  created: string;
}

/**
 * The image a `repository:tag` already names, if any — committing to it would move the tag, leaving the old
 * image untagged (dangling), so the wizard warns first.
 */
export async function findExistingTag(
  docker: Docker,
  options: { reference: string },
): Promise<ExistingTag | undefined> {
  try {
    const info = await docker.getImage(options.reference).inspect();
    return { imageId: info.Id, created: info.Created };
  } catch (err) {
    if ((err as { statusCode?: unknown } | null)?.statusCode === 404) return undefined;
    throw toStrataError(err);
  }
}
