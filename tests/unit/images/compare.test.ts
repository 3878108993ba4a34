import { describe, expect, it } from 'vitest';
import { alignHistory } from '../../../src-main/core/images/align-history';
import type { RawHistoryEntry } from '../../../src-main/core/images/align-history';
import { compareConfig } from '../../../src-main/core/images/compare-config';
import { compareLayers } from '../../../src-main/core/images/compare-layers';
import type { ImageHistory } from '../../../src-main/core/images/image-history';
import { summarizeImage } from '../../../src-main/core/images/inspect-image';
import type { RawImageInspect } from '../../../src-main/core/images/inspect-image';

function history(layers: Array<[string, number, string]>): ImageHistory {
  const entries: RawHistoryEntry[] = layers.map(([, size, createdBy]) => ({
    created: 0,
    createdBy,
    comment: '',
    size,
    tags: [],
  }));
  const diffIds = layers.map(([id]) => id);
  const aligned = alignHistory({ entries, diffIds, emptyLayerFlags: layers.map(() => false) });
  const total = layers.reduce((sum, [, size]) => sum + size, 0);
  return {
    imageId: 'sha256:x',
    entries: aligned.entries,
    layers: diffIds.map((diffId, index) => ({ index, diffId, size: layers[index]![1], entryIndex: index })),
    size: total,
    layerSizeSum: total,
    exact: true,
    source: 'image-config',
  };
}

describe('compareLayers', () => {
  it('finds the shared base and the one layer a commit added', () => {
    const base = history([['sha256:base', 1984234, '']]);
    const committed = history([
      ['sha256:base', 1984234, ''],
      ['sha256:new', 4096, 'sh -c head -c 4096 /dev/zero > /data'],
    ]);
    const result = compareLayers(base, committed);
    expect(result.rows.map((r) => r.kind)).toEqual(['shared', 'only-b']);
    expect(result.sharedLayers).toBe(1);
    expect(result.sharedBytes).toBe(1984234);
    expect(result.onlyABytes).toBe(0);
    expect(result.onlyBBytes).toBe(4096);
    expect(result.rows[1]!.b).toMatchObject({ size: 4096, instruction: 'sh -c head -c 4096 /dev/zero > /data' });
  });

  it('stops sharing at the first different layer, even if later diff IDs match (different chain)', () => {
    const a = history([
      ['sha256:base', 100, ''],
      ['sha256:x', 10, '/bin/sh -c make x'],
      ['sha256:same', 5, '/bin/sh -c #(nop) COPY file:1 in /c '],
    ]);
    const b = history([
      ['sha256:base', 100, ''],
      ['sha256:y', 20, '/bin/sh -c make y'],
      ['sha256:same', 5, '/bin/sh -c #(nop) COPY file:1 in /c '],
      ['sha256:z', 7, '/bin/sh -c make z'],
    ]);
    const result = compareLayers(a, b);
    expect(result.rows.map((r) => r.kind)).toEqual(['shared', 'different', 'different', 'only-b']);
    expect(result.rows[2]!.sameContentElsewhere).toBe(true);
    expect(result.rows[1]!.a!.instruction).toBe('RUN make x');
    expect(result).toMatchObject({ sharedBytes: 100, onlyABytes: 15, onlyBBytes: 32, totalA: 115, totalB: 132 });
  });
});

const inspect = (config: Record<string, unknown>, extra: Record<string, unknown> = {}): RawImageInspect =>
  ({
    Id: 'sha256:1',
    RepoTags: [],
    RepoDigests: [],
    Created: '2024-01-01T00:00:00Z',
    Size: 1,
    RootFS: { Type: 'layers', Layers: [] },
    Config: config,
    ...extra,
  }) as unknown as RawImageInspect;

describe('compareConfig', () => {
  it('puts the fields side by side with per-key changes for Env, Labels, ports and volumes', () => {
    const a = summarizeImage(
      inspect({ Cmd: ['sh'], Env: ['PATH=/bin', 'A=1'], Labels: null, ExposedPorts: null, Volumes: null }),
    );
    const b = summarizeImage(
      inspect(
        {
          Cmd: ['sh', '-c', 'serve'],
          Env: ['PATH=/bin', 'A=2', 'B=3'],
          Labels: { 'org.example': 'x' },
          ExposedPorts: { '80/tcp': {} },
          Volumes: { '/data': {} },
          User: 'app',
          WorkingDir: '/srv',
        },
        { Author: 'me', Comment: 'committed' },
      ),
    );
    const diff = compareConfig(a, b);
    const field = (name: string) => diff.find((d) => d.field === name)!;
    expect(field('Cmd')).toMatchObject({ a: '["sh"]', b: '["sh","-c","serve"]', same: false });
    expect(field('Entrypoint')).toMatchObject({ a: '', b: '', same: true });
    expect(field('Env').keys).toEqual([
      { key: 'A', a: '1', b: '2', change: 'changed' },
      { key: 'B', b: '3', change: 'added' },
      { key: 'PATH', a: '/bin', b: '/bin', change: 'same' },
    ]);
    expect(field('Labels')).toMatchObject({ same: false, b: 'org.example=x' });
    expect(field('ExposedPorts').keys).toEqual([{ key: '80/tcp', b: '', change: 'added' }]);
    expect(field('Volumes')).toMatchObject({ a: '', b: '/data', same: false });
    expect(field('User')).toMatchObject({ a: '', b: 'app', same: false });
    expect(field('WorkingDir').same).toBe(false);
    expect(field('Author')).toMatchObject({ a: '', b: 'me' });
    expect(field('Comment')).toMatchObject({ b: 'committed', same: false });
    expect(diff.map((d) => d.field)).toEqual([
      'Cmd',
      'Entrypoint',
      'Env',
      'Labels',
      'User',
      'WorkingDir',
      'ExposedPorts',
      'Volumes',
      'Author',
      'Comment',
    ]);
  });

  it('summarizes what the engine really sends (nulls) without failing', () => {
    const summary = summarizeImage(
      inspect({ Cmd: null, Entrypoint: null, Env: null, Healthcheck: { Test: ['NONE'] } }),
    );
    expect(summary.config).toMatchObject({ cmd: null, entrypoint: null, env: [], exposedPorts: [], volumes: [] });
    expect(summary.config.healthcheck).toEqual({ test: ['NONE'], interval: 0, timeout: 0, startPeriod: 0, retries: 0 });
  });
});
