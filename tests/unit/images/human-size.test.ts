import { describe, expect, it } from 'vitest';
import { contextSize } from '$shared/images/format';

const KB = 1000;
const MB = 1000 * KB;
const GB = 1000 * MB;
const TB = 1000 * GB;
const PB = 1000 * TB;

// docker/go-units size_test.go, TestHumanSize: HumanSize is HumanSizeWithPrecision(size, 4).
const goUnitsHumanSize: [number, string][] = [
  [1000, '1kB'],
  [1024, '1.024kB'],
  [1000000, '1MB'],
  [1048576, '1.049MB'],
  [2 * MB, '2MB'],
  [3.42 * GB, '3.42GB'],
  [5.372 * TB, '5.372TB'],
  [2.22 * PB, '2.22PB'],
  [10000000000000 * PB, '1e+04YB'],
];

describe('the build context size (go-units HumanSize)', () => {
  it.each(goUnitsHumanSize)('%d bytes reads %s, as go-units TestHumanSize expects', (bytes, text) => {
    expect(contextSize(bytes)).toBe(text);
  });

  it('rounds half to even on the exact binary value, as Go does (Docker prints 10.12kB for 10,125 bytes)', () => {
    expect(contextSize(10_125)).toBe('10.12kB');
    expect(contextSize(1_000_125)).toBe('1MB');
    expect(contextSize(4608)).toBe('4.608kB');
  });
});
