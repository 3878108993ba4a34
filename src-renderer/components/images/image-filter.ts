import type { ImageRow } from '../../../src-main/ipc/contract/core-types';

/** Filtering and sorting of the image list, kept pure so it is tested without a browser. */

export type QuickFilter = 'all' | 'dangling' | 'in-use' | 'unused';
export type SortKey = 'repository' | 'tag' | 'id' | 'created' | 'size' | 'containers';
export interface SortState {
  key: SortKey;
  direction: 'ascending' | 'descending';
}

/** The filter's words: lower-case, split on white space. */
function filterWords(text: string): string[] {
  return text.trim().toLowerCase().split(/\s+/).filter(Boolean);
}

/** What a row is searched by: its repository:tag in lower case, and its ID's hex. */
interface SearchKey {
  readonly reference: string;
  readonly hex: string;
}

// Worked out once per row (rows are replaced, never changed, when the list refreshes), not per keystroke.
const searchKeys = new WeakMap<ImageRow, SearchKey>();

function searchKey(row: ImageRow): SearchKey {
  let key = searchKeys.get(row);
  if (!key) {
    key = { reference: `${row.repository}:${row.tag}`.toLowerCase(), hex: row.imageId.replace(/^sha256:/, '') };
    searchKeys.set(row, key);
  }
  return key;
}

function matchesWords(row: ImageRow, words: readonly string[]): boolean {
  if (words.length === 0) return true;
  const { reference, hex } = searchKey(row);
  return words.every((word) => reference.includes(word) || hex.startsWith(word.replace(/^sha256:/, '')));
}

/** A row matches when every word of the filter is in its repository, tag or repository:tag, or starts its ID. */
export function matchesText(row: ImageRow, text: string): boolean {
  return matchesWords(row, filterWords(text));
}

export function matchesQuick(row: ImageRow, quick: QuickFilter): boolean {
  switch (quick) {
    case 'dangling':
      return row.dangling;
    case 'in-use':
      return row.containers > 0;
    case 'unused':
      return row.containers === 0;
    default:
      return true;
  }
}

/** Natural order, as a person reads tags: t2 before t10, v1.9 before v1.10. */
const natural = new Intl.Collator('en', { numeric: true, sensitivity: 'variant' }).compare;

function compareBy(key: SortKey): (a: ImageRow, b: ImageRow) => number {
  switch (key) {
    case 'repository':
      return (a, b) => natural(a.repository, b.repository) || natural(a.tag, b.tag);
    case 'tag':
      return (a, b) => natural(a.tag, b.tag) || natural(a.repository, b.repository);
    case 'id':
      return (a, b) => (a.imageId < b.imageId ? -1 : a.imageId > b.imageId ? 1 : 0);
    case 'created':
      return (a, b) => a.created - b.created;
    case 'size':
      return (a, b) => a.size - b.size;
    case 'containers':
      return (a, b) => a.containers - b.containers;
  }
}

/** Every row in the order chosen; ties keep one image's tags together and in repository:tag order. */
export function sortRows(rows: readonly ImageRow[], sort: SortState): ImageRow[] {
  const compare = compareBy(sort.key);
  const sign = sort.direction === 'ascending' ? 1 : -1;
  // IDs are "sha256:" and lower-case hex: compared as plain strings they sort as localeCompare sorts them, faster.
  return [...rows].sort(
    (a, b) =>
      sign * compare(a, b) ||
      (a.imageId < b.imageId ? -1 : a.imageId > b.imageId ? 1 : 0) ||
      natural(a.repository, b.repository) ||
      natural(a.tag, b.tag),
  );
}

/** The rows that pass the filters, in the order of `sorted` (filtering keeps the order: no sort per keystroke). */
export function filterRows(sorted: readonly ImageRow[], options: { text: string; quick: QuickFilter }): ImageRow[] {
  const words = filterWords(options.text);
  if (words.length === 0 && options.quick === 'all') return sorted as ImageRow[];
  return sorted.filter((row) => matchesQuick(row, options.quick) && matchesWords(row, words));
}

/** Filter then sort; ties keep one image's tags together and in repository:tag order. */
export function visibleRows(
  rows: readonly ImageRow[],
  options: { text: string; quick: QuickFilter; sort: SortState },
): ImageRow[] {
  return filterRows(sortRows(rows, options.sort), options);
}

/** Count and total size of what is shown: each image counted once however many tags it shows. */
export function shownTotals(rows: readonly ImageRow[]): { rows: number; images: number; size: number } {
  const sizes = new Map<string, number>();
  for (const row of rows) sizes.set(row.imageId, row.size);
  let size = 0;
  for (const s of sizes.values()) size += s;
  return { rows: rows.length, images: sizes.size, size };
}

/** The first sort direction when a column is chosen: newest, biggest and busiest first. */
export function defaultDirection(key: SortKey): SortState['direction'] {
  return key === 'created' || key === 'size' || key === 'containers' ? 'descending' : 'ascending';
}

/**
 * How a comparison or a panel names an image it was given: its label (first tag) when it is a listed image ID,
 * an ID shortened as docker does, and a reference (docker.io/library/busybox:1, from a build) whole.
 */
export function imageLabel(image: string, labels: Readonly<Record<string, string>>): string {
  if (labels[image]) return labels[image];
  return /^(sha256:)?[0-9a-f]{64}$/.test(image) ? image.replace(/^sha256:/, '').slice(0, 12) : image;
}
