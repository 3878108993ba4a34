import { api } from '../../lib/api';
import { onEngineChange } from '../../lib/engine-events';

/** `repository:tag` of every tagged local image: what FROM completion and templates offer. */
export const localImages = $state({ references: [] as string[] });

let users = 0;
let stop: (() => void) | undefined;

async function load(): Promise<void> {
  try {
    const list = await api.images.list({});
    localImages.references = [
      ...new Set(list.rows.filter((r) => !r.dangling && r.tag !== '<none>').map((r) => `${r.repository}:${r.tag}`)),
    ].sort();
  } catch {
    // No engine: completion simply offers no local images.
  }
}

/** Keep the list current while some view needs it (refreshed on the engine's image events). */
export function useLocalImages(): () => void {
  if (users++ === 0) {
    void load();
    stop = onEngineChange(['image'], () => void load());
  }
  return () => {
    if (--users === 0) {
      stop?.();
      stop = undefined;
    }
  };
}
