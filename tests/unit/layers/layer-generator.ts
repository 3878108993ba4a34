import type { DiveLayerInput } from '../../../src-main/core/layers/dive-efficiency';
import type { EntryKind, LayerEntry } from '../../../src-main/core/layers/layer-entry';
import { prng } from './archive-generator';

/*
 * Random layers for model tests of the layer computations (dive's figures, the overlay replay): few names, so
 * layers overlap, chosen for the corners. Every choice comes from a seeded PRNG: a failing seed reproduces.
 */

// Names chosen for dive's corners: whiteouts of files, folders and nothing, ".wh." alone and with dots, aufs
// metadata and opaque markers (dive stops at them), names sorting before ".wh." ("-", "+", " "), and names whose
// Go order differs from JavaScript's (astral characters against U+E000, bytes that are not UTF-8).
const NAMES = [
  'a',
  'b',
  'c',
  'A',
  'a-b',
  'a.b',
  '-x',
  '+y',
  ' s',
  '.hidden',
  '..x',
  'é',
  '\u{1F600}',
  '\uE000',
  '\udc80raw',
  '.wh.a',
  '.wh.b',
  '.wh.-x',
  '.wh.c',
  '.wh.',
  '.wh..',
  '.wh...',
  '.wh..wh..opq',
  '.wh..wh.plnk',
];
const SIZES = [0, 0, 1, 7, 100, 512, 4096, 65_536];
const KINDS: EntryKind[] = ['file', 'file', 'file', 'directory', 'directory', 'symlink'];

const PLAIN_NAMES = NAMES.filter((name) => !name.startsWith('.wh.'));
// Few sizes, so many paths tie on their wasted bytes and dive's sort order of ties shows.
const TIED_SIZES = [0, 7, 100];

export interface LayerShape {
  /** No whiteouts, opaque markers or aufs metadata, few sizes, and more entries: ties in dive's list. */
  readonly plain?: boolean;
}

/** Layers of absolute, clean paths, as the archive reader gives them. */
export function generateLayers(seed: number, shape: LayerShape = {}): DiveLayerInput[] {
  const next = prng(seed);
  const names = shape.plain ? PLAIN_NAMES : NAMES;
  const sizes = shape.plain ? TIED_SIZES : SIZES;
  const whiteoutRoll = shape.plain ? 0.35 : 0.5;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const known: string[] = [];
  const freshPath = (): string => {
    // Often under a path seen before, so layers overlap as real ones do.
    const base = known.length > 0 && next() < 0.6 ? pick(known) : '';
    let path = base;
    const depth = 1 + Math.floor(next() * 3);
    for (let i = 0; i < depth; i++) path += `/${pick(names)}`;
    return path;
  };
  const layerCount = 1 + Math.floor(next() * 6);
  return Array.from({ length: layerCount }, () => {
    const entries: LayerEntry[] = [];
    const count = Math.floor(next() * (shape.plain ? 60 : 30));
    for (let i = 0; i < count; i++) {
      let path: string;
      const roll = next();
      if (roll < 0.35 && known.length > 0) {
        path = pick(known);
      } else if (roll < whiteoutRoll && known.length > 0) {
        // A whiteout of something seen before (or of its parent).
        const target = pick(known);
        const slash = target.lastIndexOf('/');
        path = `${target.slice(0, slash)}/.wh.${target.slice(slash + 1)}`;
      } else {
        path = freshPath();
      }
      known.push(path);
      entries.push({ path, kind: pick(KINDS), size: pick(sizes), mode: 0o644, uid: 0, gid: 0, mtime: 0 });
    }
    return { entries, sizeBytes: entries.reduce((sum, entry) => sum + entry.size, 0) };
  });
}
