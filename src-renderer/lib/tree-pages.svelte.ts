/** A page of rows of any virtual tree: the layer file tree's, the build context's. */
export interface RowsPage<R> {
  readonly total: number;
  readonly rows: readonly R[];
}

const PAGE_SIZE = 200;

/**
 * The rows of a virtual tree, fetched from main a page at a time as they scroll into view. When the query
 * changes, the old rows stay on screen until the first page of the new answer arrives (no flash of empty).
 */
export class TreePages<Q, R, P extends RowsPage<R> = RowsPage<R>> {
  /** Rows in the whole flattened tree under the current query (0 until the first page arrives). */
  total = $state(0);
  /** True once a page of the current query has arrived. */
  ready = $state(false);
  error: unknown = $state();
  /** Bumped whenever rows arrive, so views that read `row(i)` update. */
  version = $state(0);

  // Plain collections on purpose: views follow `version`, bumped once per arriving page, rather than
  // tracking 200 rows per page one by one.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #pages = new Map<number, readonly R[]>();
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #pending = new Set<number>();
  #query: Q | undefined;
  /** The latest page that arrived, for what a view shows beside the rows (a count of matches). */
  last: P | undefined = $state.raw();
  #queryKey = '';
  #generation = 0;
  #fresh = false;

  constructor(private readonly fetchPage: (query: Q, offset: number, limit: number) => Promise<P>) {}

  /** Switch to another query; returns true when it differs from the current one. */
  setQuery(query: Q): boolean {
    const key = JSON.stringify(query);
    if (key === this.#queryKey) return false;
    this.#queryKey = key;
    this.#query = query;
    this.#generation++;
    this.#pending.clear();
    this.#fresh = false;
    this.ready = false;
    return true;
  }

  /** The row at a position, if its page has arrived. */
  row(index: number): R | undefined {
    return this.#pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE];
  }

  /** Fetch the pages that hold rows first..last-1 (and the first page, to learn the total). */
  ensure(first: number, last: number): void {
    const query = this.#query;
    if (!query) return;
    const from = Math.floor(Math.max(0, first) / PAGE_SIZE);
    const to = this.#fresh ? Math.floor(Math.max(0, Math.min(last, this.total) - 1) / PAGE_SIZE) : from;
    for (let page = from; page <= Math.max(from, to); page++) {
      if ((this.#fresh && this.#pages.has(page)) || this.#pending.has(page)) continue;
      this.#load(query, page);
    }
  }

  #load(query: Q, page: number): void {
    const generation = this.#generation;
    this.#pending.add(page);
    this.fetchPage(query, page * PAGE_SIZE, PAGE_SIZE).then(
      (answer) => {
        if (generation !== this.#generation) return;
        this.#pending.delete(page);
        if (!this.#fresh) {
          // eslint-disable-next-line svelte/prefer-svelte-reactivity
          this.#pages = new Map();
          this.#fresh = true;
        }
        this.#pages.set(page, answer.rows);
        this.total = answer.total;
        this.last = answer;
        this.ready = true;
        this.error = undefined;
        this.version++;
      },
      (error: unknown) => {
        if (generation !== this.#generation) return;
        this.#pending.delete(page);
        this.error = error;
      },
    );
  }
}
