import { describe, expect, it } from 'vitest';
import { goSort, goSortData } from '../../../src-shared/go/sort';
import { referenceGoSort } from './go-sort-reference';
import { prng } from '../seeded-random';

// Shapes that send pdqsort down each of its paths: few distinct keys (partitionEqual), runs and reversals
// (partialInsertionSort, reverseRange), and patterns that unbalance partitions (breakPatterns, heapSort).
function keys(seed: number): number[] {
  const next = prng(seed);
  const length = Math.floor(next() * (next() < 0.2 ? 6000 : 300));
  const distinct = 1 + Math.floor(next() * (next() < 0.5 ? 4 : 200));
  const shape = Math.floor(next() * 6);
  return Array.from({ length }, (_, i) => {
    if (shape === 0) return Math.floor(next() * distinct);
    if (shape === 1) return Math.floor((i * distinct) / Math.max(length, 1));
    if (shape === 2) return distinct - Math.floor((i * distinct) / Math.max(length, 1));
    if (shape === 3) return i % distinct;
    if (shape === 4) return Math.min(i, length - i) % distinct;
    return next() < 0.9 ? Math.floor((i * distinct) / Math.max(length, 1)) : Math.floor(next() * distinct);
  });
}

describe('goSort', () => {
  it('leaves equal items in the order the first port did, on 1500 generated inputs', () => {
    for (let seed = 1; seed <= 1500; seed++) {
      const items = keys(seed).map((key, id) => ({ key, id }));
      const expected = [...items];
      referenceGoSort(expected, (a, b) => a.key < b.key);
      const actual = [...items];
      goSort(actual, (a, b) => a.key < b.key);
      expect(
        actual.map((item) => item.id),
        `seed ${seed}`,
      ).toEqual(expected.map((item) => item.id));
    }
  });

  it('sorts parallel typed arrays through goSortData as goSort sorts objects', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const values = keys(seed);
      const objects = values.map((key, id) => ({ key, id }));
      goSort(objects, (a, b) => a.key < b.key);
      const sortKeys = Float64Array.from(values);
      const ids = Int32Array.from(values, (_, id) => id);
      goSortData(values.length, {
        less: (i, j) => (sortKeys[i] as number) < (sortKeys[j] as number),
        swap: (i, j) => {
          const key = sortKeys[i] as number;
          sortKeys[i] = sortKeys[j] as number;
          sortKeys[j] = key;
          const id = ids[i] as number;
          ids[i] = ids[j] as number;
          ids[j] = id;
        },
      });
      expect([...ids], `seed ${seed}`).toEqual(objects.map((item) => item.id));
    }
  });
});
