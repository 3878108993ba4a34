import type { ImageList } from '../../../src-main/ipc/contract/core-types';

/**
 * The last image list the Images view received, kept while the view is closed: coming back paints it at
 * once (2,000 tags took most of a second to ask the engine for again) and the view refreshes it behind,
 * as it does on every engine event. Kept per engine address: a list is never shown for another engine.
 * Rows are never changed in place, only replaced.
 */
let last: { engine: string; list: ImageList } | undefined;

export const imageListCache = {
  get(engine: string | undefined): ImageList | undefined {
    return engine !== undefined && last?.engine === engine ? last.list : undefined;
  },
  set(engine: string | undefined, list: ImageList): void {
    last = engine === undefined ? undefined : { engine, list };
  },
};
