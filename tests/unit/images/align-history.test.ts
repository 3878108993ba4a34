import { describe, expect, it } from 'vitest';
import { alignHistory } from '../../../src-main/core/images/align-history';
import type { RawHistoryEntry } from '../../../src-main/core/images/align-history';

const entry = (createdBy: string, size: number, imageId?: string): RawHistoryEntry => ({
  created: 1700000000,
  createdBy,
  comment: '',
  size,
  tags: [],
  ...(imageId ? { imageId } : {}),
});

/**
 * A classic-builder image recorded from dockerd 20.10 (oldest first). The image config says which
 * entries are empty: ARG, ENV, `RUN true`, LABEL and CMD; WORKDIR, `RUN mkdir`, and the COPY of an
 * empty file made layers of 0 bytes.
 */
const built: RawHistoryEntry[] = [
  entry('', 1984234, 'img0'),
  entry('/bin/sh -c #(nop)  ARG A=1', 0, 'img1'),
  entry('/bin/sh -c #(nop)  ENV X=y', 0, 'img2'),
  entry('|1 A=1 /bin/sh -c true', 0, 'img3'),
  entry('/bin/sh -c #(nop) WORKDIR /app', 0, 'img4'),
  entry('|1 A=1 /bin/sh -c mkdir /x', 0, 'img5'),
  entry('/bin/sh -c #(nop) COPY file:545cac80 in /empty ', 0, 'img6'),
  entry('/bin/sh -c #(nop) COPY file:20a1b61c in /f5k ', 5000, 'img7'),
  entry('|1 A=1 /bin/sh -c echo $A > /a', 2, 'img8'),
  entry('/bin/sh -c #(nop)  LABEL l=v', 0, 'img9'),
  entry('/bin/sh -c #(nop)  CMD ["sh" "-c" "echo hi"]', 0, 'img10'),
];
const builtEmpty = [false, true, true, true, false, false, false, false, false, true, true];
const builtLayerCounts = [1, 1, 1, 1, 2, 3, 4, 5, 6, 6, 6];
const diffIds = ['sha256:l0', 'sha256:l1', 'sha256:l2', 'sha256:l3', 'sha256:l4', 'sha256:l5'];

describe('alignHistory', () => {
  it('cannot tell which zero-size RUN/WORKDIR/COPY made layers from sizes alone, and says so', () => {
    const result = alignHistory({ entries: built, diffIds });
    expect(result.exact).toBe(false);
    expect(result.problem).toBeUndefined();
    // What is certain is marked so: sized entries and metadata instructions.
    expect(result.entries[0]).toMatchObject({ emptyLayer: false, certain: true, diffId: 'sha256:l0' });
    expect(result.entries[7]).toMatchObject({ emptyLayer: false, certain: true });
    expect(result.entries[1]).toMatchObject({ emptyLayer: true, certain: true });
    expect(result.entries[3]!.certain).toBe(false);
    expect(result.entries.filter((e) => !e.emptyLayer)).toHaveLength(6);
  });

  it('is exact with the layer counts of local parent images', () => {
    const anchors = new Map(builtLayerCounts.map((count, i) => [i, count]));
    const result = alignHistory({ entries: built, diffIds, anchors });
    expect(result.exact).toBe(true);
    expect(result.entries.map((e) => e.emptyLayer)).toEqual(builtEmpty);
    expect(result.entries.map((e) => e.diffId)).toEqual([
      'sha256:l0',
      undefined,
      undefined,
      undefined,
      'sha256:l1',
      'sha256:l2',
      'sha256:l3',
      'sha256:l4',
      'sha256:l5',
      undefined,
      undefined,
    ]);
  });

  it('needs only the anchor that separates the ambiguous entries', () => {
    // After `RUN true` (index 3) there is still 1 layer: that alone settles it.
    const result = alignHistory({ entries: built, diffIds, anchors: new Map([[3, 1]]) });
    expect(result.exact).toBe(true);
    expect(result.entries.map((e) => e.emptyLayer)).toEqual(builtEmpty);
  });

  it('is exact with the config flags, and checks them against sizes and layer count', () => {
    const result = alignHistory({ entries: built, diffIds, emptyLayerFlags: builtEmpty });
    expect(result.exact).toBe(true);
    expect(result.entries[8]).toMatchObject({ diffId: 'sha256:l5', layerIndex: 5, size: 2 });

    const wrong = alignHistory({ entries: built, diffIds, emptyLayerFlags: builtEmpty.map(() => false) });
    expect(wrong.exact).toBe(false);
    expect(wrong.problem).toMatch(/marks 11 entries as layers but the image has 6/);
  });

  it('settles a plain image from sizes and instruction kinds alone', () => {
    const entries = [
      entry('', 1984234),
      entry('/bin/sh -c #(nop)  ENV A=1', 0),
      entry('/bin/sh -c #(nop) COPY file:abc in /data ', 4096),
      entry('/bin/sh -c #(nop) WORKDIR /data', 0),
      entry('/bin/sh -c #(nop)  CMD ["sh"]', 0),
    ];
    const result = alignHistory({ entries, diffIds: ['sha256:a', 'sha256:b', 'sha256:c'] });
    expect(result.exact).toBe(true);
    expect(result.entries.map((e) => e.emptyLayer)).toEqual([false, true, false, false, true]);
    expect(result.entries[3]!.diffId).toBe('sha256:c');
  });

  it('marks every zero-size entry empty when the sized ones account for all layers (BuildKit drops empty layers)', () => {
    const entries = [entry('', 100), entry('RUN /bin/sh -c true # buildkit', 0), entry('COPY a /a # buildkit', 10)];
    const result = alignHistory({ entries, diffIds: ['sha256:a', 'sha256:b'] });
    expect(result.exact).toBe(true);
    expect(result.entries.map((e) => e.emptyLayer)).toEqual([false, true, false]);
  });

  it('reports impossible input instead of inventing layers', () => {
    const result = alignHistory({ entries: [entry('', 10), entry('', 20)], diffIds: ['sha256:a'] });
    expect(result.exact).toBe(false);
    expect(result.problem).toBe('history entries 0–1 cannot hold 1 layers');
    expect(alignHistory({ entries: [], diffIds: ['sha256:a'] }).problem).toBe('the image has 1 layers but no history');
    expect(alignHistory({ entries: [], diffIds: [] }).exact).toBe(true);
  });

  it('ignores anchors that contradict the sizes', () => {
    const result = alignHistory({ entries: built, diffIds, anchors: new Map([[5, 9]]) });
    // The anchor says entry 5 is the 9th layer: more than entries 0–5 can make.
    expect(result.problem).toBe('history entries 0–5 cannot hold 9 layers');
  });
});
