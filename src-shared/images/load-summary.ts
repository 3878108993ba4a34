import { shortId } from './format';

/** One image a load brought: its tag, or none when it was saved by ID. */
export interface LoadedName {
  imageId: string;
  reference?: string;
}

/** How many names a summary spells out before it counts the rest. */
const SHOWN = 4;

/**
 * The line that says what a load brought, by name: the tags, or the short IDs of untagged images
 * ("Loaded busybox:latest and 3f1c2a9b8d7e (untagged)."), so the person sees which images arrived, not a count.
 */
export function loadSummary(images: readonly LoadedName[]): string {
  if (images.length === 0) return 'The archive held no images: nothing was loaded.';
  const names = images.map((image) => image.reference ?? `${shortId(image.imageId)} (untagged)`);
  const shown = names.length > SHOWN + 1 ? [...names.slice(0, SHOWN), `${names.length - SHOWN} more images`] : names;
  const list = shown.length === 1 ? shown[0]! : `${shown.slice(0, -1).join(', ')} and ${shown.at(-1)!}`;
  return `Loaded ${list}.`;
}
