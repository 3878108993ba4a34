import { flushSync } from 'svelte';
import { describe, expect, it } from 'vitest';
import { TreePages } from '../../../src-renderer/lib/tree-pages.svelte';
import { deferred } from './ipc-double';

/** Rows per request, as tree-pages asks main for them. */
const PAGE_SIZE = 200;

interface Row {
  path: string;
}
interface Page {
  total: number;
  rows: Row[];
}
type Query = { filter: string };

/** A tree of `total` rows named `<filter>/<n>`, answered when the test says so. */
function pagedTree(total: number) {
  const asked: Array<{ query: Query; offset: number; answer: (p?: Page) => void; fail: (e: unknown) => void }> = [];
  const pages = new TreePages<Query, Row, Page>((query, offset, limit) => {
    const d = deferred<Page>();
    const rows = Array.from({ length: Math.max(0, Math.min(limit, total - offset)) }, (_, i) => ({
      path: `${query.filter}/${offset + i}`,
    }));
    asked.push({ query, offset, answer: (p) => d.resolve(p ?? { total, rows }), fail: d.reject });
    return d.promise;
  });
  return { pages, asked };
}

const settle = () => new Promise((r) => setImmediate(r));

describe('TreePages (the rows of a virtual tree, a page at a time)', () => {
  it('asks for the first page only, to learn the total, then for the pages in view', async () => {
    const { pages, asked } = pagedTree(1000);
    expect(pages.setQuery({ filter: 'a' })).toBe(true);
    pages.ensure(0, 500);
    expect(asked.map((a) => a.offset)).toEqual([0]);
    expect(pages.ready).toBe(false);

    asked[0]!.answer();
    await settle();
    expect(pages.ready).toBe(true);
    expect(pages.total).toBe(1000);
    expect(pages.row(199)).toEqual({ path: 'a/199' });
    expect(pages.row(200)).toBeUndefined();

    pages.ensure(150, 450);
    expect(asked.map((a) => a.offset)).toEqual([0, PAGE_SIZE, 2 * PAGE_SIZE]);
    // Pages already asked for are not asked again while on their way.
    pages.ensure(150, 450);
    expect(asked).toHaveLength(3);
    asked[2]!.answer();
    await settle();
    expect(pages.row(400)).toEqual({ path: 'a/400' });
    expect(pages.row(200)).toBeUndefined();
  });

  it('bumps version once per page that arrives, so a derived view of the rows follows', async () => {
    const { pages, asked } = pagedTree(300);
    pages.setQuery({ filter: 'v' });
    const seen: number[] = [];
    const stop = $effect.root(() => {
      $effect(() => {
        seen.push(pages.version);
      });
    });
    flushSync();
    pages.ensure(0, 300);
    asked[0]!.answer();
    await settle();
    flushSync();
    pages.ensure(0, 300);
    asked[1]!.answer();
    await settle();
    flushSync();
    stop();
    expect(seen).toEqual([0, 1, 2]);
    expect(pages.row(299)).toEqual({ path: 'v/299' });
  });

  it('keeps the old rows on screen until the new query’s first page arrives, and drops late answers', async () => {
    const { pages, asked } = pagedTree(50);
    pages.setQuery({ filter: 'old' });
    pages.ensure(0, 50);
    asked[0]!.answer();
    await settle();

    expect(pages.setQuery({ filter: 'old' })).toBe(false);
    expect(pages.setQuery({ filter: 'new' })).toBe(true);
    pages.ensure(0, 50);
    expect(pages.ready).toBe(false);
    // No flash of empty: the old rows are still there.
    expect(pages.row(0)).toEqual({ path: 'old/0' });

    // A third query overtakes the second; the second's answer arrives late and is ignored.
    pages.setQuery({ filter: 'newest' });
    pages.ensure(0, 50);
    asked[2]!.answer();
    await settle();
    asked[1]!.answer();
    await settle();
    expect(pages.row(0)).toEqual({ path: 'newest/0' });
    expect(pages.last?.rows[0]).toEqual({ path: 'newest/0' });
  });

  it('holds the error of a failed page, and clears it when a page arrives', async () => {
    const { pages, asked } = pagedTree(10);
    pages.setQuery({ filter: 'e' });
    pages.ensure(0, 10);
    const failure = new Error('analysis expired');
    asked[0]!.fail(failure);
    await settle();
    expect(pages.error).toBe(failure);
    expect(pages.ready).toBe(false);

    pages.ensure(0, 10);
    expect(asked).toHaveLength(2);
    asked[1]!.answer();
    await settle();
    expect(pages.error).toBeUndefined();
    expect(pages.total).toBe(10);
  });
});
