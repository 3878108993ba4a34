import type { ImageList } from '../../../src-main/core/images/list-images';

/**
 * The last image list the Images view received, kept while the view is closed: coming back paints it at
 * once (2,000 tags took most of a second to ask the engine for again) and the view refreshes it
 * behind, as it does on every engine event. Rows are never changed in place, only replaced.
 */
let last: ImageList | undefined;

export const imageListCache = {
  get: (): ImageList | undefined => last,
  set(list: ImageList): void {
    last = list;
  },
};
