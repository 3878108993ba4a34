import type Docker from 'dockerode';
import { containersUsingImage } from './image-containers';
import type { ImageContainer } from './image-containers';
import { shortId } from '$shared/images/format';
import { normalizeImageId, normalizeImageInfo } from './image-id';
import { engineFailure, imageProblem } from './image-errors';
import { childrenByParent, tagsOf } from './image-family';
import { splitRepoTag } from './list-images';
import { familiarName, familiarNames } from '$shared/images/reference';

/** What removing an image involves, for the confirmation a person sees before it happens. */
export interface RemovalPlan {
  imageId: string;
  shortId: string;
  /** Tags that go with the image. */
  tags: string[];
  digests: string[];
  size: number;
  /** Containers created from the image, running or not. */
  containers: ImageContainer[];
  /** Local images built on top of this one: the engine refuses to remove it while they exist. */
  childImages: string[];
  /** Removal can go ahead without force. */
  canRemove: boolean;
  /** Removal can go ahead with force. */
  canForce: boolean;
  /** What force does here, in plain words (undefined when force is not needed). */
  forceEffect?: string;
  /** Why removal cannot happen, when it cannot. */
  blockedBy?: string;
}

function names(containers: readonly ImageContainer[]): string {
  return containers.map((c) => `${c.name || c.shortId} (${c.state})`).join(', ');
}

/**
 * The images built on one, as a person can find them. The image list (as `docker images`) hides the untagged
 * intermediate images a classic build leaves between its steps, and those are often an image's only direct
 * children: naming them sent the person looking for IDs the list does not show. Named instead: every tagged
 * image built on it, however many steps up, and every untagged image nothing is built on (the list shows
 * those, by ID); the intermediates between are counted, since they go with the images built on them.
 */
export function imagesBuiltOn(
  all: readonly Docker.ImageInfo[],
  id: string,
): { tagged: string[]; untagged: string[]; intermediates: number } {
  const children = childrenByParent(all);
  const out = { tagged: [] as string[], untagged: [] as string[], intermediates: 0 };
  const seen = new Set<string>([id]);
  const queue = [...(children.get(id) ?? [])];
  for (let image = queue.shift(); image; image = queue.shift()) {
    if (seen.has(image.Id)) continue;
    seen.add(image.Id);
    const above = children.get(image.Id) ?? [];
    const tags = tagsOf(image);
    if (tags.length > 0) out.tagged.push(tags[0]!);
    else if (above.length === 0) out.untagged.push(`${shortId(image.Id)} (untagged)`);
    else out.intermediates++;
    queue.push(...above);
  }
  return out;
}

/** Look at an image before removing it: tags, containers that use it, child images, what force would do. */
/** Which engine removes: Podman's forced removal also removes the containers that use the image. */
export type RemovalEngine = 'docker' | 'podman';

export async function planImageRemoval(
  docker: Docker,
  options: { image: string; engine?: RemovalEngine },
): Promise<RemovalPlan> {
  let info: Docker.ImageInspectInfo;
  let all: Docker.ImageInfo[];
  try {
    [info, all] = await Promise.all([docker.getImage(options.image).inspect(), docker.listImages({ all: true })]);
    info = { ...info, Id: normalizeImageId(info.Id) };
    all = all.map(normalizeImageInfo);
  } catch (err) {
    throw engineFailure(err, `Could not look up image ${options.image}`);
  }
  const containers = await containersUsingImage(docker, { imageId: info.Id });
  const childImages = all.filter((image) => image.ParentId === info.Id).map((image) => image.Id);
  const running = containers.filter((c) => c.running);
  const stopped = containers.filter((c) => !c.running);
  const plan: RemovalPlan = {
    imageId: info.Id,
    shortId: shortId(info.Id),
    tags: familiarNames(info.RepoTags),
    digests: familiarNames(info.RepoDigests),
    size: info.Size,
    containers,
    childImages,
    canRemove: containers.length === 0 && childImages.length === 0,
    canForce: running.length === 0 && childImages.length === 0,
  };
  // Counted in words ("1 tag", "container web"), not "tag(s)": the dialog reads these sentences as they are.
  const plural = (n: number, word: string) => (n === 1 ? word : `${word}s`);
  const itOrThem = (n: number) => (n === 1 ? 'it' : 'them');
  const tagsPart =
    plan.tags.length === 0 ? '' : ` and its ${plan.tags.length === 1 ? 'tag' : `${plan.tags.length} tags`}`;
  if (childImages.length > 0) {
    const built = imagesBuiltOn(all, info.Id);
    const named = [...built.tagged, ...built.untagged];
    const n = named.length;
    const between =
      built.intermediates === 0
        ? ''
        : ` (through ${built.intermediates} untagged intermediate ${plural(built.intermediates, 'image')} of ${n === 1 ? 'its' : 'their'} ${plural(n, 'build')}, which ${built.intermediates === 1 ? 'goes' : 'go'} with ${itOrThem(n)})`;
    plan.blockedBy = `${n} local ${plural(n, 'image')} ${n === 1 ? 'is' : 'are'} built on it: ${named.join(', ')}${between}. Remove ${itOrThem(n)} first. Force cannot override this.`;
  } else if (running.length > 0) {
    plan.blockedBy = `it is used by running ${plural(running.length, 'container')} ${names(running)}: stop and remove ${itOrThem(running.length)} first. Force cannot remove an image a running container uses.`;
  } else if (stopped.length > 0) {
    const those = `the stopped ${plural(stopped.length, 'container')} ${names(stopped)}`;
    plan.blockedBy = `it is used by stopped ${plural(stopped.length, 'container')} ${names(stopped)}.`;
    plan.forceEffect =
      options.engine === 'podman'
        ? `Force removes the image${tagsPart} anyway, and Podman removes ${those} with it.`
        : `Force removes the image${tagsPart} anyway. ${those[0]!.toUpperCase()}${those.slice(1)} ${stopped.length === 1 ? 'stays' : 'stay'} and can still start (${stopped.length === 1 ? 'its' : 'their'} files stay on disk until removed), but ${stopped.length === 1 ? 'shows' : 'show'} the image only by ID.`;
  }
  return plan;
}

export interface RemovalResult {
  imageId: string;
  untagged: string[];
  deleted: string[];
}

/**
 * Remove an image with all its tags. Containers that use it block the removal with a `conflict`
 * listing them (details.containers); `force` removes it anyway when only stopped containers use it.
 * Checked before the engine is called, so a refused removal leaves every tag in place.
 */
export async function removeImage(
  docker: Docker,
  options: { image: string; force?: boolean; engine?: RemovalEngine; signal?: AbortSignal },
): Promise<RemovalResult> {
  const plan = await planImageRemoval(docker, {
    image: options.image,
    ...(options.engine ? { engine: options.engine } : {}),
  });
  const force = options.force === true;
  if (!plan.canRemove && !(force && plan.canForce)) {
    const canForceHint = plan.canForce ? ' Remove those containers first, or remove with force.' : '';
    throw imageProblem(
      'conflict',
      `Image ${plan.shortId} cannot be removed: ${plan.blockedBy ?? 'it is in use.'}${canForceHint}`,
      {
        imageId: plan.imageId,
        containers: plan.containers,
        childImages: plan.childImages,
        canForce: plan.canForce,
        ...(plan.forceEffect ? { forceEffect: plan.forceEffect } : {}),
      },
    );
  }
  // By ID, the engine refuses an image tagged in several repositories unless forced ("referenced in
  // multiple repositories"); we have already checked containers and children, so that is all force
  // skips here besides what the person asked for.
  const repositories = new Set(plan.tags.map((t) => splitRepoTag(t)[0]));
  const engineForce = force || repositories.size > 1;
  let records: Docker.ImageRemoveInfo[];
  try {
    records = (await docker.getImage(plan.imageId).remove({
      force: engineForce,
      ...(options.signal ? { abortSignal: options.signal } : {}),
    })) as Docker.ImageRemoveInfo[];
  } catch (err) {
    throw engineFailure(err, `Could not remove image ${plan.shortId}`);
  }
  return {
    imageId: plan.imageId,
    // Podman names what it untagged fully qualified and what it deleted by bare hex.
    untagged: records.filter((r) => r.Untagged).map((r) => familiarName(r.Untagged)),
    deleted: records.filter((r) => r.Deleted).map((r) => normalizeImageId(r.Deleted)),
  };
}
