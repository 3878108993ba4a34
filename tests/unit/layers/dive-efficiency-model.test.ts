import { describe, expect, it } from 'vitest';
import { computeDiveEfficiency } from '../../../src-main/core/layers/dive-efficiency';
import { PathTable } from '../../../src-main/core/layers/path-table';
import { referenceDiveEfficiency } from './dive-reference';
import { generateLayers } from './layer-generator';

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

  it('lists tied paths in dive’s order on 2000 generated images without whiteouts', () => {
    let ties = 0;
    for (let seed = 1; seed <= 2000; seed++) {
      const layers = generateLayers(seed, { plain: true });
      const expected = referenceDiveEfficiency(layers);
      expect(computeDiveEfficiency(layers), `seed ${seed}`).toEqual(expected);
      const wasted = expected.inefficientFiles.map((file) => file.wastedBytes);
      ties += wasted.length - new Set(wasted).size;
    }
    expect(ties).toBeGreaterThan(3_000);
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
