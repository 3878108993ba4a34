import { describe, expect, it } from 'vitest';
import { computeDiveEfficiency } from '../../../src-main/core/layers/dive-efficiency';
import type { DiveLayerInput } from '../../../src-main/core/layers/dive-efficiency';
import type { EntryKind, LayerEntry } from '../../../src-main/core/layers/layer-entry';
import { PathTable } from '../../../src-main/core/layers/path-table';
import { referenceDiveEfficiency } from './dive-reference';

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

// mulberry32: the same seed gives the same layers, so a failure names the seed that reproduces it.
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generateLayers(seed: number): DiveLayerInput[] {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const known: string[] = [];
  const freshPath = (): string => {
    // Often under a path seen before, so layers overlap as real ones do.
    const base = known.length > 0 && next() < 0.6 ? pick(known) : '';
    let path = base;
    const depth = 1 + Math.floor(next() * 3);
    for (let i = 0; i < depth; i++) path += `/${pick(NAMES)}`;
    return path;
  };
  const layerCount = 1 + Math.floor(next() * 6);
  return Array.from({ length: layerCount }, () => {
    const entries: LayerEntry[] = [];
    const count = Math.floor(next() * 30);
    for (let i = 0; i < count; i++) {
      let path: string;
      const roll = next();
      if (roll < 0.35 && known.length > 0) {
        path = pick(known);
      } else if (roll < 0.5 && known.length > 0) {
        // A whiteout of something seen before (or of its parent).
        const target = pick(known);
        const slash = target.lastIndexOf('/');
        path = `${target.slice(0, slash)}/.wh.${target.slice(slash + 1)}`;
      } else {
        path = freshPath();
      }
      known.push(path);
      entries.push({ path, kind: pick(KINDS), size: pick(SIZES), mode: 0o644, uid: 0, gid: 0, mtime: 0 });
    }
    return { entries, sizeBytes: entries.reduce((sum, entry) => sum + entry.size, 0) };
  });
}

describe('dive efficiency from one table of paths', () => {
  it('gives the figures of dive’s own tree model on 4000 generated images', () => {
    let whiteouts = 0;
    let inefficient = 0;
    for (let seed = 1; seed <= 4000; seed++) {
      const layers = generateLayers(seed);
      const expected = referenceDiveEfficiency(layers);
      expect(computeDiveEfficiency(layers), `seed ${seed}`).toEqual(expected);
      whiteouts += layers.flatMap((layer) => layer.entries).filter((entry) => entry.path.includes('/.wh.')).length;
      inefficient += expected.inefficientFiles.length;
    }
    // The generator did reach the cases it exists for.
    expect(whiteouts).toBeGreaterThan(10_000);
    expect(inefficient).toBeGreaterThan(2_000);
  });

  it('gives the same figures with a table other computations have filled first', () => {
    for (let seed = 1; seed <= 500; seed++) {
      const layers = generateLayers(seed);
      const table = new PathTable();
      for (const path of generateLayers(seed + 100_000).flatMap((layer) => layer.entries.map((e) => e.path))) {
        table.intern(path);
      }
      expect(computeDiveEfficiency(layers, table), `seed ${seed}`).toEqual(referenceDiveEfficiency(layers));
    }
  });
});
