import { createReadStream, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateCiRules, parseCiRules } from '../../../src-main/core/layers/dive-ci-rules';
import { computeDiveEfficiency } from '../../../src-main/core/layers/dive-efficiency';
import { analyzeImage } from '../../../src-main/core/layers/image-analysis';
import type { AnalyzedImage } from '../../../src-main/core/layers/image-analysis';
import type { LayerEntry } from '../../../src-main/core/layers/layer-entry';
import { diveArchivePath, readDiveExpected, sha256 } from './archive-helpers';

const expected = readDiveExpected();

describe('dive conformance: test-docker-image.tar', () => {
  let image: AnalyzedImage;
  beforeAll(async () => {
    image = await analyzeImage(createReadStream(diveArchivePath));
  });

  it('reads the archive the expectations were made from', () => {
    expect(sha256(readFileSync(diveArchivePath))).toBe(`sha256:${expected.sha256}`);
  });

  it('gives dive’s efficiency, sizes and wasted bytes exactly', () => {
    const { analysis } = image;
    expect(analysis.efficiency).toBe(expected.efficiency);
    expect(analysis.sizeBytes).toBe(expected.sizeBytes);
    expect(analysis.userSizeBytes).toBe(expected.userSizeBytes);
    expect(analysis.wastedBytes).toBe(expected.wastedBytes);
    expect(analysis.wastedUserPercent).toBe(expected.wastedUserPercent);
  });

  it('has the layers, per-layer sizes and file counts dive reports', () => {
    const { analysis } = image;
    expect(analysis.layers).toHaveLength(expected.layerCount);
    expect(analysis.fileCount).toBe(expected.fileCount);
    expect(analysis.layers.map((layer) => ({ index: layer.index, sizeBytes: layer.sizeBytes }))).toEqual(
      expected.layers.map((layer) => ({ index: layer.index, sizeBytes: layer.sizeBytes })),
    );
  });

  it('builds dive’s per-layer trees with the expected node counts', async () => {
    const { readImageArchive } = await import('../../../src-main/core/layers/image-archive-reader');
    const archive = await readImageArchive(createReadStream(diveArchivePath));
    const dive = computeDiveEfficiency(archive.layers);
    expect(dive.layerTreeNodes).toEqual(expected.layers.map((layer) => layer.treeNodes));
  });

  it('lists the inefficient files largest first, ties in dive’s order', () => {
    expect(image.analysis.inefficientFiles).toEqual(expected.inefficientFiles);
  });

  it('ties layers to their history entries and diff IDs', () => {
    const { analysis } = image;
    expect(analysis.layers[3]?.command).toBe('cp /somefile.txt /root/example/somefile1.txt');
    expect(analysis.layers[0]?.historyIndex).toBe(0);
    // History entry 1 is the empty-layer CMD, so layer 1 belongs to history entry 2.
    expect(analysis.layers[1]?.historyIndex).toBe(2);
    expect(analysis.history[1]).toMatchObject({ emptyLayer: true, layerIndex: undefined });
    expect(analysis.layers[13]?.id).toBe('sha256:ba689cac6a98c92d121fa5c9716a1bab526b8bb1fd6d43625c575b79e97300c5');
    expect(analysis.repoTags).toEqual(['dive-test:latest']);
  });

  it('keeps Strata’s reclaimable bytes apart from dive’s wasted bytes', () => {
    const { analysis } = image;
    // Dead copies: somefile1 (twice: before and after chmod), somefile2 and somefile3 (deleted with the folder,
    // moved away) and the first /root/saved.txt (shadowed by the chmod +x copy).
    expect(analysis.reclaimableFiles).toEqual([
      { path: '/root/example/somefile1.txt', copies: 2, bytes: 12810, inFinalImage: false },
      { path: '/root/example/somefile2.txt', copies: 1, bytes: 6405, inFinalImage: false },
      { path: '/root/example/somefile3.txt', copies: 1, bytes: 6405, inFinalImage: false },
      { path: '/root/saved.txt', copies: 1, bytes: 6405, inFinalImage: true },
    ]);
    expect(analysis.reclaimableBytes).toBe(32025);
    expect(analysis.layers.map((layer) => layer.reclaimableBytes)).toEqual([
      0, 0, 0, 6405, 6405, 6405, 6405, 6405, 0, 0, 0, 0, 0, 0,
    ]);
  });
});

describe('dive conformance: synthetic efficiency cases', () => {
  for (const [name, testCase] of Object.entries(expected.synthetic)) {
    it(name, () => {
      const layers = testCase.layers.map((files) => {
        const entries: LayerEntry[] = files.map(([path, size]) => ({
          path,
          kind: 'file',
          size,
          mode: 0o644,
          uid: 0,
          gid: 0,
          mtime: 0,
        }));
        return { entries, sizeBytes: entries.reduce((sum, entry) => sum + entry.size, 0) };
      });
      const result = computeDiveEfficiency(layers);
      expect(result.efficiency).toBe(testCase.efficiency);
      expect(result.inefficientFiles.map((file) => ({ path: file.path, cumulativeBytes: file.wastedBytes }))).toEqual(
        testCase.inefficientFiles,
      );
    });
  }
});

describe('dive conformance: CI rules', () => {
  const figures = {
    efficiency: expected.efficiency,
    wastedBytes: expected.wastedBytes,
    wastedUserPercent: expected.wastedUserPercent,
  };

  for (const [i, testCase] of expected.ciRules.cases.entries()) {
    it(`case ${i + 1}: ${JSON.stringify(testCase)}`, () => {
      const rules = parseCiRules(testCase);
      if (!rules.ok) throw new Error(`unexpected misconfiguration: ${JSON.stringify(rules.errors)}`);
      expect(evaluateCiRules(rules.rules, figures).pass).toBe(testCase.pass);
    });
  }

  for (const invalid of expected.ciRules.invalid) {
    it(`misconfiguration: ${JSON.stringify(invalid)}`, () => {
      const rules = parseCiRules(invalid);
      expect(rules.ok).toBe(false);
      if (rules.ok) return;
      expect(rules.errors.map((error) => error.name)).toEqual(Object.keys(invalid));
    });
  }

  it('uses dive’s comparisons at the boundaries', () => {
    const rules = parseCiRules({
      lowestEfficiency: String(expected.efficiency),
      highestWastedBytes: String(expected.wastedBytes),
      highestUserWastedPercent: String(expected.wastedUserPercent),
    });
    if (!rules.ok) throw new Error('misconfigured');
    // Equal values pass: efficiency fails only if threshold > efficiency, the others only if figure > threshold.
    expect(evaluateCiRules(rules.rules, figures).results.map((result) => result.status)).toEqual([
      'pass',
      'pass',
      'pass',
    ]);
    const tighter = parseCiRules({ highestWastedBytes: '32.024kB' });
    if (!tighter.ok) throw new Error('misconfigured');
    expect(evaluateCiRules(tighter.rules, figures).results[1]).toMatchObject({
      name: 'highestWastedBytes',
      status: 'fail',
    });
  });

  it('treats blank, off and false like disabled, and applies dive’s defaults', () => {
    const rules = parseCiRules({
      lowestEfficiency: ' OFF ',
      highestWastedBytes: '',
      highestUserWastedPercent: 'false',
    });
    expect(rules.ok && rules.rules.every((rule) => rule.disabled)).toBe(true);
    const defaults = parseCiRules({});
    if (!defaults.ok) throw new Error('misconfigured');
    expect(defaults.rules.map((rule) => rule.configValue)).toEqual(['0.9', 'disabled', '0.1']);
    // With dive's defaults the conformance image fails on user-wasted percent (0.48 > 0.1).
    expect(evaluateCiRules(defaults.rules, figures).results.map((result) => result.status)).toEqual([
      'pass',
      'skip',
      'fail',
    ]);
  });
});
