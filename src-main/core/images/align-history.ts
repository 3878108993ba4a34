import { cleanInstruction, mayCreateLayer } from '$shared/images/history-instruction';
import type { CleanInstruction } from '$shared/images/history-instruction';

/**
 * Tie history entries to the layers they created (RootFS.Layers), which the engine's history API
 * does not do: it reports every entry with a size but drops the config's `empty_layer` flag.
 *
 * Facts we rely on (moby daemon/images/image_history.go, image/image.go NewChildImage):
 *   - entries that created a layer, in order, are exactly RootFS.Layers, and their Size is that
 *     layer's size; entries with `empty_layer` have Size 0;
 *   - so Size > 0 means "created a layer", but Size 0 is ambiguous: `RUN true` makes no layer,
 *     `RUN mkdir /x`, `WORKDIR /app` or `COPY empty /e` make a layer of 0 bytes;
 *   - metadata instructions (ENV, CMD, LABEL...) never make a layer, in either builder.
 * Anchors resolve the rest exactly: a history entry whose step still exists as a local image (local
 * builds and commits keep their parent chain) tells how many layers existed after it (that image's
 * RootFS.Layers length). When neither suffices, the image config itself (`empty_layer`) is exact.
 */

export interface RawHistoryEntry {
  /** Unix seconds. */
  created: number;
  createdBy: string;
  comment: string;
  size: number;
  tags: string[];
  /** Local image ID for this step when the engine knows one ('<missing>' otherwise → undefined). */
  imageId?: string;
}

export interface AlignedHistoryEntry extends RawHistoryEntry {
  /** Position, oldest first. */
  index: number;
  instruction: CleanInstruction;
  /** True when the entry created no layer. */
  emptyLayer: boolean;
  /** The layer this entry created. */
  diffId?: string;
  /** Index of that layer in RootFS.Layers. */
  layerIndex?: number;
  /** False when emptyLayer was a best guess among equally possible choices. */
  certain: boolean;
}

export type AlignmentSource = 'history' | 'parent-images' | 'image-config';

export interface AlignmentInput {
  /** Oldest first. */
  entries: RawHistoryEntry[];
  /** RootFS.Layers, lowest first. */
  diffIds: string[];
  /** Entry index → number of layers existing right after that entry (from local parent images). */
  anchors?: ReadonlyMap<number, number>;
  /** `empty_layer` per entry from the image config: when given, it decides. */
  emptyLayerFlags?: readonly boolean[];
}

export interface AlignmentResult {
  entries: AlignedHistoryEntry[];
  /** Every entry's emptiness is known for sure. */
  exact: boolean;
  /** Why the input could not be aligned consistently (then entries are a best effort). */
  problem?: string;
}

interface Decision {
  layer: boolean;
  certain: boolean;
}

/** Decide, inside one stretch between anchors, which zero-size entries made the `needed` layers. */
function decideSegment(
  indexes: number[],
  needed: number,
  sizes: readonly number[],
  layerish: readonly boolean[],
  out: Decision[],
): string | undefined {
  const zero = indexes.filter((i) => sizes[i] === 0);
  for (const i of indexes) if (sizes[i]! > 0) out[i] = { layer: true, certain: true };
  const missing = needed - (indexes.length - zero.length);
  if (missing < 0 || missing > zero.length) {
    for (const i of zero) out[i] = { layer: false, certain: false };
    return `history entries ${indexes[0]}–${indexes[indexes.length - 1]} cannot hold ${needed} layers`;
  }
  if (missing === 0 || missing === zero.length) {
    for (const i of zero) out[i] = { layer: missing > 0, certain: true };
    return undefined;
  }
  const candidates = zero.filter((i) => layerish[i]);
  if (candidates.length === missing) {
    // Metadata instructions never make layers, so the layer-making ones are exactly the rest.
    for (const i of zero) out[i] = { layer: layerish[i]!, certain: true };
    return undefined;
  }
  // Ambiguous: any `missing` of these could be the layers. Guess the layer-making ones first; when
  // they are enough, the metadata entries are still certainly empty.
  const preferred = [...candidates, ...zero.filter((i) => !layerish[i])].slice(0, missing);
  const metadataSettled = candidates.length >= missing;
  for (const i of zero) {
    out[i] = { layer: preferred.includes(i), certain: metadataSettled && !layerish[i] };
  }
  return undefined;
}

function decideFromFlags(
  input: AlignmentInput,
  flags: readonly boolean[],
): { decisions: Decision[]; problem?: string } {
  const decisions = input.entries.map((_, i) => ({ layer: !flags[i], certain: true }));
  const layers = decisions.filter((d) => d.layer).length;
  const sizeConflict = input.entries.findIndex((e, i) => e.size > 0 && flags[i]);
  if (flags.length !== input.entries.length) {
    return {
      decisions,
      problem: `the image config has ${flags.length} history entries, the engine ${input.entries.length}`,
    };
  }
  if (layers !== input.diffIds.length) {
    return {
      decisions,
      problem: `the image config marks ${layers} entries as layers but the image has ${input.diffIds.length}`,
    };
  }
  if (sizeConflict >= 0) return { decisions, problem: `history entry ${sizeConflict} has a size but is marked empty` };
  return { decisions };
}

function decideFromSizes(input: AlignmentInput): { decisions: Decision[]; problem?: string } {
  const count = input.entries.length;
  const sizes = input.entries.map((e) => e.size);
  const layerish = input.entries.map((e) => mayCreateLayer(cleanInstruction(e.createdBy)));
  const decisions: Decision[] = new Array<Decision>(count);
  const anchors = [...(input.anchors ?? new Map<number, number>())]
    .filter(([i]) => i >= 0 && i < count - 1)
    .sort((a, b) => a[0] - b[0]);
  anchors.push([count - 1, input.diffIds.length]);
  let start = 0;
  let before = 0;
  let problem: string | undefined;
  for (const [end, after] of anchors) {
    const indexes: number[] = [];
    for (let i = start; i <= end; i++) indexes.push(i);
    if (after < before) {
      problem ??= `layer counts go down at history entry ${end}`;
      for (const i of indexes) decisions[i] = { layer: sizes[i]! > 0, certain: false };
    } else {
      problem ??= decideSegment(indexes, after - before, sizes, layerish, decisions);
    }
    start = end + 1;
    before = after;
  }
  return { decisions, ...(problem ? { problem } : {}) };
}

/** Align history entries with layer diff IDs; see the module comment for how emptiness is decided. */
export function alignHistory(input: AlignmentInput): AlignmentResult {
  if (input.entries.length === 0) {
    return input.diffIds.length === 0
      ? { entries: [], exact: true }
      : { entries: [], exact: false, problem: `the image has ${input.diffIds.length} layers but no history` };
  }
  const { decisions, problem } =
    input.emptyLayerFlags !== undefined ? decideFromFlags(input, input.emptyLayerFlags) : decideFromSizes(input);
  let layerIndex = 0;
  const entries = input.entries.map((entry, index): AlignedHistoryEntry => {
    const decision = decisions[index] ?? { layer: entry.size > 0, certain: false };
    const aligned: AlignedHistoryEntry = {
      ...entry,
      index,
      instruction: cleanInstruction(entry.createdBy),
      emptyLayer: !decision.layer,
      certain: decision.certain,
    };
    if (decision.layer && layerIndex < input.diffIds.length) {
      aligned.diffId = input.diffIds[layerIndex];
      aligned.layerIndex = layerIndex;
      layerIndex++;
    }
    return aligned;
  });
  const exact = !problem && entries.every((e) => e.certain);
  return { entries, exact, ...(problem ? { problem } : {}) };
}
