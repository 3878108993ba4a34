/**
 * Port of Go's `sort.Sort` (pattern-defeating quicksort, Go 1.19 and later: sort/zsortinterface.go).
 * Hand-written because dive sorts its wasted-space list with it, and items with equal keys come out in pdqsort's
 * own order, deterministic but not stable: JavaScript's stable sort would list them differently from dive.
 */
export function goSort<T>(items: T[], less: (a: T, b: T) => boolean): void {
  goSortData(items.length, {
    less: (i, j) => less(items[i] as T, items[j] as T),
    swap: (i, j) => {
      const tmp = items[i] as T;
      items[i] = items[j] as T;
      items[j] = tmp;
    },
  });
}

/** What Go's sort.Interface gives the sort: compare and swap the items at two indexes. */
export interface GoSortData {
  less(i: number, j: number): boolean;
  swap(i: number, j: number): void;
}

/**
 * `goSort` over any indexed collection, as Go sorts a sort.Interface: the same comparisons and swaps, so the
 * same order of equal items. Parallel typed arrays sort this way without an object per item.
 */
export function goSortData(length: number, data: GoSortData): void {
  if (length <= 1) return;
  new PdqSort(data).pdqsort(0, length, bitLength(length));
}

const enum Hint {
  Unknown,
  Increasing,
  Decreasing,
}

function bitLength(n: number): number {
  return n === 0 ? 0 : 32 - Math.clz32(n);
}

// Go returns pairs from choosePivot, partition and order2; here the second values go through fields, so the
// sort allocates nothing per step (it runs once per analysis, mostly before V8 has optimized it).
class PdqSort {
  private hint = Hint.Unknown;
  private swaps = 0;
  private alreadyPartitioned = false;

  constructor(private readonly data: GoSortData) {}

  pdqsort(a: number, b: number, limit: number): void {
    const data = this.data;
    let wasBalanced = true;
    let wasPartitioned = true;
    for (;;) {
      const length = b - a;
      if (length <= 12) {
        this.insertionSort(a, b);
        return;
      }
      if (limit === 0) {
        this.heapSort(a, b);
        return;
      }
      if (!wasBalanced) {
        this.breakPatterns(a, b);
        limit--;
      }
      let pivot = this.choosePivot(a, b);
      let hint = this.hint;
      if (hint === Hint.Decreasing) {
        this.reverseRange(a, b);
        pivot = b - 1 - (pivot - a);
        hint = Hint.Increasing;
      }
      if (wasBalanced && wasPartitioned && hint === Hint.Increasing && this.partialInsertionSort(a, b)) return;
      if (a > 0 && !data.less(a - 1, pivot)) {
        a = this.partitionEqual(a, b, pivot);
        continue;
      }
      const mid = this.partition(a, b, pivot);
      wasPartitioned = this.alreadyPartitioned;
      const leftLen = mid - a;
      const rightLen = b - mid;
      const balanceThreshold = Math.trunc(length / 8);
      if (leftLen < rightLen) {
        wasBalanced = leftLen >= balanceThreshold;
        this.pdqsort(a, mid, limit);
        a = mid + 1;
      } else {
        wasBalanced = rightLen >= balanceThreshold;
        this.pdqsort(mid + 1, b, limit);
        b = mid;
      }
    }
  }

  private insertionSort(a: number, b: number): void {
    const data = this.data;
    for (let i = a + 1; i < b; i++) {
      for (let j = i; j > a && data.less(j, j - 1); j--) data.swap(j, j - 1);
    }
  }

  private siftDown(lo: number, hi: number, first: number): void {
    const data = this.data;
    let root = lo;
    for (;;) {
      let child = 2 * root + 1;
      if (child >= hi) return;
      if (child + 1 < hi && data.less(first + child, first + child + 1)) child++;
      if (!data.less(first + root, first + child)) return;
      data.swap(first + root, first + child);
      root = child;
    }
  }

  private heapSort(a: number, b: number): void {
    const first = a;
    const hi = b - a;
    for (let i = Math.trunc((hi - 1) / 2); i >= 0; i--) this.siftDown(i, hi, first);
    for (let i = hi - 1; i >= 0; i--) {
      this.data.swap(first, first + i);
      this.siftDown(0, i, first);
    }
  }

  // Go's partition; whether the range was partitioned already goes to alreadyPartitioned.
  private partition(a: number, b: number, pivot: number): number {
    const data = this.data;
    data.swap(a, pivot);
    let i = a + 1;
    let j = b - 1;
    while (i <= j && data.less(i, a)) i++;
    while (i <= j && !data.less(j, a)) j--;
    if (i > j) {
      data.swap(j, a);
      this.alreadyPartitioned = true;
      return j;
    }
    data.swap(i, j);
    i++;
    j--;
    for (;;) {
      while (i <= j && data.less(i, a)) i++;
      while (i <= j && !data.less(j, a)) j--;
      if (i > j) break;
      data.swap(i, j);
      i++;
      j--;
    }
    data.swap(j, a);
    this.alreadyPartitioned = false;
    return j;
  }

  private partitionEqual(a: number, b: number, pivot: number): number {
    const data = this.data;
    data.swap(a, pivot);
    let i = a + 1;
    let j = b - 1;
    for (;;) {
      while (i <= j && !data.less(a, i)) i++;
      while (i <= j && data.less(a, j)) j--;
      if (i > j) break;
      data.swap(i, j);
      i++;
      j--;
    }
    return i;
  }

  private partialInsertionSort(a: number, b: number): boolean {
    const data = this.data;
    const maxSteps = 5;
    const shortestShifting = 50;
    let i = a + 1;
    for (let step = 0; step < maxSteps; step++) {
      while (i < b && !data.less(i, i - 1)) i++;
      if (i === b) return true;
      if (b - a < shortestShifting) return false;
      data.swap(i, i - 1);
      if (i - a >= 2) {
        for (let j = i - 1; j >= 1; j--) {
          if (!data.less(j, j - 1)) break;
          data.swap(j, j - 1);
        }
      }
      if (b - i >= 2) {
        for (let j = i + 1; j < b; j++) {
          if (!data.less(j, j - 1)) break;
          data.swap(j, j - 1);
        }
      }
    }
    return false;
  }

  private breakPatterns(a: number, b: number): void {
    const length = b - a;
    if (length < 8) return;
    let random = BigInt(length);
    const mask64 = (1n << 64n) - 1n;
    const modulus = 1 << bitLength(length);
    const start = a + Math.trunc(length / 4) * 2 - 1;
    for (let idx = start; idx <= start + 2; idx++) {
      // Go's xorshift on a uint64 (shifts 13, 7, 17), seeded with the length.
      random ^= (random << 13n) & mask64;
      random ^= random >> 7n;
      random ^= (random << 17n) & mask64;
      let other = Number(random & BigInt(modulus - 1));
      if (other >= length) other -= length;
      this.data.swap(idx, a + other);
    }
  }

  // Go's choosePivot; its hint goes to `hint`.
  private choosePivot(a: number, b: number): number {
    const l = b - a;
    this.swaps = 0;
    let i = a + Math.trunc(l / 4);
    let j = a + Math.trunc(l / 4) * 2;
    let k = a + Math.trunc(l / 4) * 3;
    if (l >= 8) {
      if (l >= 50) {
        i = this.median(i - 1, i, i + 1);
        j = this.median(j - 1, j, j + 1);
        k = this.median(k - 1, k, k + 1);
      }
      j = this.median(i, j, k);
    }
    this.hint = this.swaps === 0 ? Hint.Increasing : this.swaps === 12 ? Hint.Decreasing : Hint.Unknown;
    return j;
  }

  // Go's median: three order2 steps, each counting a swap when it exchanges its pair.
  private median(a: number, b: number, c: number): number {
    const data = this.data;
    let t: number;
    if (data.less(b, a)) {
      this.swaps++;
      t = a;
      a = b;
      b = t;
    }
    if (data.less(c, b)) {
      this.swaps++;
      b = c;
    }
    if (data.less(b, a)) {
      this.swaps++;
      b = a;
    }
    return b;
  }

  private reverseRange(a: number, b: number): void {
    for (let i = a, j = b - 1; i < j; i++, j--) this.data.swap(i, j);
  }
}
