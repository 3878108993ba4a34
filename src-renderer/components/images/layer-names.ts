import type { ImageHistory } from '../../../src-main/ipc/contract/core-types';

/** What the History and Files tabs call an entry with no instruction: an import's layer, or nothing known. */
export function entryName(entry: { instruction: { text: string }; comment: string }): string {
  return entry.instruction.text || (entry.comment ? '(imported)' : '(no instruction)');
}

/**
 * Each layer as the History tab shows it: the name of the entry that made it and the engine's size for it.
 * The Files tab shows the same, so one layer never reads "20B" in one tab and "6B" in the other.
 */
export function historyLayers(history: ImageHistory): Array<{ name: string; size: number }> {
  return history.layers.map((layer) => {
    const entry = history.entries.find((e) => e.layerIndex === layer.index);
    return { name: entry ? entryName(entry) : '(no history entry)', size: layer.size };
  });
}
