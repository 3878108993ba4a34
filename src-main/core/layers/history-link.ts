import type { HistoryEntry } from './archive-manifest';

/** The history entry that produced a layer. */
export interface HistoryLink {
  readonly historyIndex: number;
  readonly createdBy: string;
}

/**
 * Pairs layers with history entries the way dive does: the n-th layer belongs to the n-th history entry
 * without `empty_layer`; layers past the end of the history have no entry (history is optional metadata).
 */
export function linkHistory(history: readonly HistoryEntry[], layerCount: number): (HistoryLink | undefined)[] {
  const links: (HistoryLink | undefined)[] = [];
  let next = 0;
  for (let layer = 0; layer < layerCount; layer++) {
    while (next < history.length && history[next]?.emptyLayer) next++;
    const entry = history[next];
    if (entry && !entry.emptyLayer) {
      links.push({ historyIndex: next, createdBy: entry.createdBy ?? '' });
      next++;
    } else {
      links.push(undefined);
    }
  }
  return links;
}
