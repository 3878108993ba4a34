import type { LayerEntry } from './layer-entry';
import { ABSENT } from './layer-replay';
import type { LayerReplay } from './layer-replay';

/** A path whose older copies still take space in lower layers although the image no longer uses them. */
export interface ReclaimableFile {
  readonly path: string;
  /** Copies that are shadowed by a later copy or deleted. */
  readonly copies: number;
  readonly bytes: number;
  /** False when the path is gone from the final image (every copy is dead weight). */
  readonly inFinalImage: boolean;
}

/** Bytes a user could actually get back: file copies that the final image does not use. */
export interface ReclaimableSummary {
  readonly reclaimableBytes: number;
  /** Per layer: bytes of that layer's files the final image does not use. */
  readonly layerReclaimableBytes: readonly number[];
  /** Largest first. */
  readonly files: readonly ReclaimableFile[];
}

/** What computing the reclaimable bytes reads: a layer replay (LayerFileTree holds one) and its paths. */
export interface ReclaimableInput extends LayerReplay {
  readonly layerCount: number;
  /** Absolute path of each node. */
  readonly nodePath: readonly string[];
}

/**
 * Unlike dive's wasted bytes, which count every copy of a repeated path (the one in use included) and
 * ignore deleted-once files, this counts exactly the copies that are shadowed or deleted.
 */
export function computeReclaimable(replay: ReclaimableInput): ReclaimableSummary {
  const { entries, entryNode, entryLayer, finalRef, nodePath } = replay;
  const nodeCount = nodePath.length;
  // Per node, in typed arrays rather than a Map of objects: a node's final entry is its last event's.
  const copies = new Int32Array(nodeCount);
  const bytes = new Float64Array(nodeCount);
  const layerBytes = new Array<number>(replay.layerCount).fill(0);
  let total = 0;
  for (let id = 0; id < entries.length; id++) {
    const entry = entries[id] as LayerEntry;
    if (entry.kind !== 'file') continue;
    const node = entryNode[id] as number;
    if (node < 0 || finalRef[node] === id) continue;
    copies[node] = (copies[node] as number) + 1;
    bytes[node] = (bytes[node] as number) + entry.size;
    const layer = entryLayer[id] as number;
    layerBytes[layer] = (layerBytes[layer] ?? 0) + entry.size;
    total += entry.size;
  }
  const files: ReclaimableFile[] = [];
  for (let node = 0; node < nodeCount; node++) {
    if ((bytes[node] as number) <= 0) continue;
    files.push({
      path: nodePath[node] ?? '',
      copies: copies[node] as number,
      bytes: bytes[node] as number,
      inFinalImage: finalRef[node] !== ABSENT,
    });
  }
  files.sort((a, b) => b.bytes - a.bytes || (a.path < b.path ? -1 : 1));
  return { reclaimableBytes: total, layerReclaimableBytes: layerBytes, files };
}
