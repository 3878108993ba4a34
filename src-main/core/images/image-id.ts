/**
 * Image IDs in one form. Docker says `sha256:<hex>` everywhere; Podman's compat API answers some fields with
 * the bare hex (commit's answer, an image's Parent, history entries' Id) and others with `sha256:<hex>`
 * (the image list, inspect's Id). Everything that leaves core for the UI, or is compared with another ID,
 * passes through here, so one image is one ID whichever engine answered. Pure: safe in the renderer.
 */
export function normalizeImageId(id: string): string;
export function normalizeImageId(id: string | undefined): string | undefined;
export function normalizeImageId(id: string | undefined): string | undefined {
  if (id === undefined) return undefined;
  return /^[0-9a-f]{64}$/.test(id) ? `sha256:${id}` : id;
}

/** An image-list entry with its own and its parent's ID normalised (Podman gives ParentId as bare hex). */
export function normalizeImageInfo<T extends { Id: string; ParentId?: string }>(image: T): T {
  return {
    ...image,
    Id: normalizeImageId(image.Id),
    ...(image.ParentId ? { ParentId: normalizeImageId(image.ParentId) } : {}),
  };
}
