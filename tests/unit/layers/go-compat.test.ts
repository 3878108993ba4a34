import { describe, expect, it } from 'vitest';
import { goSort } from '$shared/go/sort';
import { compareGoStrings } from '$shared/go/string-order';
import { parseGoFloat, parseHumanizeBytes } from '$shared/go/strconv-parse';

describe('parseGoFloat (strconv.ParseFloat)', () => {
  it.each([
    ['0.9', 0.9],
    ['1', 1],
    ['.5', 0.5],
    ['5.', 5],
    ['+0.25', 0.25],
    ['-0.1', -0.1],
    ['1e-3', 0.001],
    ['1_000', 1000],
    ['0x1p-2', 0.25],
    ['Inf', Infinity],
    ['-infinity', -Infinity],
  ])('parses %j', (text, value) => {
    expect(parseGoFloat(text)).toEqual({ ok: true, value });
  });

  it('parses NaN, which then passes dive’s range check', () => {
    const parsed = parseGoFloat('nan');
    expect(parsed.ok && Number.isNaN(parsed.value)).toBe(true);
  });

  it.each(['', ' 0.5', '0.5 ', 'not_a_number', '1_', '_1', '1__0', '0x10', '.', 'e5', '+nan', '1e400', '0.5%'])(
    'rejects %j',
    (text) => {
      expect(parseGoFloat(text).ok).toBe(false);
    },
  );

  it('gives Go’s error text', () => {
    expect(parseGoFloat('not_a_number')).toEqual({
      ok: false,
      error: 'strconv.ParseFloat: parsing "not_a_number": invalid syntax',
    });
  });
});

describe('parseHumanizeBytes (go-humanize ParseBytes)', () => {
  it.each([
    ['50kB', 50_000],
    ['50 KB', 50_000],
    ['50k', 50_000],
    ['1B', 1],
    ['1', 1],
    ['1.5B', 1],
    ['1.5 MiB', 1_572_864],
    ['2GiB', 2 * 1024 ** 3],
    ['1,000 B', 1000],
    ['0', 0],
  ])('parses %j as %d bytes', (text, value) => {
    expect(parseHumanizeBytes(text)).toEqual({ ok: true, value });
  });

  it.each(['not_a_size', '', ' 50kB', '-1', '1e3', '50 kilobytes', '20EB'])('rejects %j', (text) => {
    expect(parseHumanizeBytes(text).ok).toBe(false);
  });
});

describe('goSort (sort.Sort)', () => {
  it('is insertion sort up to 12 items, so ties keep their order', () => {
    const items = [5, 1, 5, 3, 1, 2, 5].map((key, i) => ({ key, i }));
    goSort(items, (a, b) => a.key < b.key);
    expect(items.map((item) => `${item.key}:${item.i}`)).toEqual(['1:1', '1:4', '2:5', '3:3', '5:0', '5:2', '5:6']);
  });

  it('sorts large inputs of every shape', () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    const shapes = {
      random: Array.from({ length: 5000 }, () => random() % 1000),
      sorted: Array.from({ length: 3000 }, (_, i) => i),
      reversed: Array.from({ length: 3000 }, (_, i) => 3000 - i),
      fewKeys: Array.from({ length: 4000 }, () => random() % 3),
      sawtooth: Array.from({ length: 4096 }, (_, i) => i % 64),
    };
    for (const values of Object.values(shapes)) {
      const items = [...values];
      goSort(items, (a, b) => a < b);
      expect(items).toEqual([...values].sort((a, b) => a - b));
    }
  });

  it('orders equal keys deterministically', () => {
    const make = () => Array.from({ length: 200 }, (_, i) => ({ key: i % 7, i }));
    const first = make();
    const second = make();
    goSort(first, (a, b) => a.key < b.key);
    goSort(second, (a, b) => a.key < b.key);
    expect(first).toEqual(second);
  });
});

describe('compareGoStrings (sort.Strings byte order)', () => {
  it('orders by UTF-8 bytes, not UTF-16 code units', () => {
    const names = ['\u{1F600}', '\uFF01', 'b', 'B', '.wh.a', 'a.b', 'a'];
    expect([...names].sort(compareGoStrings)).toEqual(['.wh.a', 'B', 'a', 'a.b', 'b', '\uFF01', '\u{1F600}']);
  });
});
