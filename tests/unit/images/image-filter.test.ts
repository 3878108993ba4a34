import { describe, expect, it } from 'vitest';
import type { ImageRow } from '../../../src-main/core/images/list-images';
import {
  defaultDirection,
  filterRows,
  imageLabel,
  matchesQuick,
  matchesText,
  shownTotals,
  sortRows,
  visibleRows,
} from '../../../src-renderer/components/images/image-filter';

const row = (imageId: string, repository: string, tag: string, extra: Partial<ImageRow> = {}): ImageRow => ({
  key: `${imageId}|${repository}:${tag}`,
  imageId,
  shortId: imageId.replace('sha256:', '').slice(0, 12),
  repository,
  tag,
  reference: `${repository}:${tag}`,
  dangling: repository === '<none>',
  created: 100,
  size: 1000,
  containers: 0,
  tagCount: 1,
  ...extra,
});

const rows = [
  row('sha256:aaa111', 'team/app', '1.0', { created: 300, size: 5000, containers: 2 }),
  row('sha256:aaa111', 'team/app', 'latest', { created: 300, size: 5000, containers: 2 }),
  row('sha256:bbb222', 'busybox', 'latest', { created: 100, size: 2000 }),
  row('sha256:ccc333', '<none>', '<none>', { created: 200, size: 3000 }),
];

describe('image list filtering and sorting', () => {
  it('matches repository, tag, repository:tag and ID prefixes, every word', () => {
    expect(matchesText(rows[0]!, 'app')).toBe(true);
    expect(matchesText(rows[0]!, 'app:1.0')).toBe(true);
    expect(matchesText(rows[0]!, 'APP latest')).toBe(false);
    expect(matchesText(rows[1]!, 'app latest')).toBe(true);
    expect(matchesText(rows[2]!, 'bbb2')).toBe(true);
    expect(matchesText(rows[2]!, 'sha256:bbb2')).toBe(true);
    expect(matchesText(rows[2]!, 'b222')).toBe(false);
  });

  it('applies the quick filters', () => {
    const sort = { key: 'created', direction: 'descending' } as const;
    expect(visibleRows(rows, { text: '', quick: 'dangling', sort }).map((r) => r.imageId)).toEqual(['sha256:ccc333']);
    expect(visibleRows(rows, { text: '', quick: 'in-use', sort })).toHaveLength(2);
    expect(visibleRows(rows, { text: '', quick: 'unused', sort })).toHaveLength(2);
  });

  it('sorts by any column, keeping one image’s tags together', () => {
    const by = (key: 'created' | 'size' | 'repository', direction: 'ascending' | 'descending') =>
      visibleRows(rows, { text: '', quick: 'all', sort: { key, direction } }).map((r) => r.reference);
    expect(by('created', 'descending')).toEqual(['team/app:1.0', 'team/app:latest', '<none>:<none>', 'busybox:latest']);
    expect(by('size', 'ascending')).toEqual(['busybox:latest', '<none>:<none>', 'team/app:1.0', 'team/app:latest']);
    expect(by('repository', 'ascending')[0]).toBe('<none>:<none>');
    expect(defaultDirection('size')).toBe('descending');
    expect(defaultDirection('tag')).toBe('ascending');
  });

  it('counts what is shown, each image once', () => {
    expect(shownTotals(rows)).toEqual({ rows: 4, images: 3, size: 10000 });
  });

  it('sorts tags in natural order (t1, t2, t10, t100)', () => {
    const rows = ['t10', 't1', 't100', 't2'].map((t) => row('sha256:' + 'a'.repeat(64), 'r', t));
    const sorted = visibleRows(rows, { text: '', quick: 'all', sort: { key: 'tag', direction: 'ascending' } });
    expect(sorted.map((r) => r.tag)).toEqual(['t1', 't2', 't10', 't100']);
  });

  it('names an image by its label, a short ID, or its whole reference', () => {
    const id = 'sha256:' + 'c'.repeat(64);
    expect(imageLabel(id, { [id]: 'busybox:1' })).toBe('busybox:1');
    expect(imageLabel(id, {})).toBe('c'.repeat(12));
    expect(imageLabel('docker.io/library/busybox:1.36', {})).toBe('docker.io/library/busybox:1.36');
  });

  it('filters rows sorted once to what sorting the filtered rows gives: a keystroke needs no sort', () => {
    const many = Array.from({ length: 300 }, (_, i) =>
      row(`sha256:${(i * 7919).toString(16).padStart(64, '0')}`, `repo${i % 7}`, `t${i % 23}`, {
        created: i % 5,
        size: (i * 31) % 97,
        containers: i % 3,
      }),
    );
    for (const key of ['repository', 'tag', 'id', 'created', 'size', 'containers'] as const) {
      for (const direction of ['ascending', 'descending'] as const) {
        const sorted = sortRows(many, { key, direction });
        for (const [text, quick] of [
          ['', 'all'],
          ['repo3', 'all'],
          ['T1 REPO', 'in-use'],
          ['sha256:00', 'unused'],
        ] as const) {
          const matching = many.filter((r) => matchesQuick(r, quick) && matchesText(r, text));
          expect(filterRows(sorted, { text, quick })).toEqual(sortRows(matching, { key, direction }));
        }
      }
    }
  });

  it('orders image IDs as localeCompare does', () => {
    const ids = ['sha256:0a', 'sha256:a0', 'sha256:09', 'sha256:ff', 'sha256:f0', 'sha256:1b'];
    const sorted = sortRows(
      ids.map((id) => row(id, 'r', 't')),
      { key: 'id', direction: 'ascending' },
    );
    expect(sorted.map((r) => r.imageId)).toEqual([...ids].sort((a, b) => a.localeCompare(b)));
  });
});
