import { api } from '../../lib/api';

// Several parts of the Build view want files watched (the editor's file, the context's ignore files and
// folder); main watches one set, so the union is sent whenever a part's own list changes.
const wanted = new Map<string, readonly string[]>();
let sent = '';
let timer: ReturnType<typeof setTimeout> | undefined;

/** Replace what `owner` wants watched; main is told the union shortly after. */
export function setWatched(owner: string, paths: readonly string[]): void {
  wanted.set(owner, paths);
  clearTimeout(timer);
  timer = setTimeout(send, 50);
}

function send(): void {
  const union = [...new Set([...wanted.values()].flat())].sort().slice(0, 32);
  const key = union.join('\n');
  if (key === sent) return;
  sent = key;
  api.files.watch({ paths: union }).catch(() => {
    // A failed watch only means changes are noticed on focus instead; try again next time.
    sent = '';
  });
}
