import type { AlignedHistoryEntry } from './align-history';
import type { ImageHistory } from './image-history';

/** One image's layer in a comparison row. */
export interface ComparedLayer {
  index: number;
  diffId: string;
  size: number;
  /** Cleaned instruction of the history entry that created it ('' when unknown). */
  instruction: string;
  createdBy: string;
  /** The history entry's comment (an import's message, a commit's message). */
  comment: string;
  /** The Dockerfile keyword of the instruction; absent for a commit or an import (their layers are named by comment). */
  keyword?: string;
}

/**
 * A row of the aligned layer table. Layers are shared only while both images have the same layers
 * from the bottom up (same diff IDs in the same order = same chain ID = stored once on disk). After
 * the first difference, rows pair the two images' remaining layers position by position.
 */
export interface LayerRow {
  kind: 'shared' | 'only-a' | 'only-b' | 'different';
  a?: ComparedLayer;
  b?: ComparedLayer;
  /** The same diff ID appears in the other image at another position: same content, stored twice. */
  sameContentElsewhere?: boolean;
}

export interface LayerComparison {
  rows: LayerRow[];
  sharedLayers: number;
  sharedBytes: number;
  /** Bytes only image A has (its layers above the shared base). */
  onlyABytes: number;
  onlyBBytes: number;
  totalA: number;
  totalB: number;
}

function compared(history: ImageHistory, byLayer: Map<number, AlignedHistoryEntry>): ComparedLayer[] {
  return history.layers.map((layer) => {
    const entry = byLayer.get(layer.index);
    return {
      index: layer.index,
      diffId: layer.diffId,
      size: layer.size,
      instruction: entry?.instruction.text ?? '',
      createdBy: entry?.createdBy ?? '',
      comment: entry?.comment ?? '',
      ...(entry?.instruction.keyword ? { keyword: entry.instruction.keyword } : {}),
    };
  });
}

function layerEntries(history: ImageHistory): Map<number, AlignedHistoryEntry> {
  const map = new Map<number, AlignedHistoryEntry>();
  for (const entry of history.entries) if (entry.layerIndex !== undefined) map.set(entry.layerIndex, entry);
  return map;
}

/** Align two images' layers by diff ID: the shared base, then what each has on its own (pure). */
export function compareLayers(a: ImageHistory, b: ImageHistory): LayerComparison {
  const layersA = compared(a, layerEntries(a));
  const layersB = compared(b, layerEntries(b));
  let shared = 0;
  while (shared < layersA.length && shared < layersB.length && layersA[shared]!.diffId === layersB[shared]!.diffId) {
    shared++;
  }
  const rows: LayerRow[] = [];
  for (let i = 0; i < shared; i++) rows.push({ kind: 'shared', a: layersA[i]!, b: layersB[i]! });
  const restA = layersA.slice(shared);
  const restB = layersB.slice(shared);
  const idsA = new Set(restA.map((l) => l.diffId));
  const idsB = new Set(restB.map((l) => l.diffId));
  for (let i = 0; i < Math.max(restA.length, restB.length); i++) {
    const la = restA[i];
    const lb = restB[i];
    const kind = la && lb ? 'different' : la ? 'only-a' : 'only-b';
    const elsewhere = (la !== undefined && idsB.has(la.diffId)) || (lb !== undefined && idsA.has(lb.diffId));
    rows.push({
      kind,
      ...(la ? { a: la } : {}),
      ...(lb ? { b: lb } : {}),
      ...(elsewhere ? { sameContentElsewhere: true } : {}),
    });
  }
  const sum = (layers: ComparedLayer[]) => layers.reduce((total, l) => total + l.size, 0);
  return {
    rows,
    sharedLayers: shared,
    sharedBytes: sum(layersA.slice(0, shared)),
    onlyABytes: sum(restA),
    onlyBBytes: sum(restB),
    totalA: sum(layersA),
    totalB: sum(layersB),
  };
}
