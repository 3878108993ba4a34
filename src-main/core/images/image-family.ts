import type Docker from 'dockerode';
import { familiarNames } from '$shared/images/reference';

/** Each image's children (the images whose ParentId it is), from a listing with `all: true`. */
export function childrenByParent(all: readonly Docker.ImageInfo[]): Map<string, Docker.ImageInfo[]> {
  const children = new Map<string, Docker.ImageInfo[]>();
  for (const image of all) {
    if (!image.ParentId) continue;
    const list = children.get(image.ParentId);
    if (list) list.push(image);
    else children.set(image.ParentId, [image]);
  }
  return children;
}

/** An image's tags as a person writes them, without the `<none>:<none>` the engine lists for an untagged one. */
export function tagsOf(image: Docker.ImageInfo): string[] {
  return familiarNames(image.RepoTags).filter((t) => t !== '<none>:<none>');
}
