import { compareBytes, encodeRawName } from '../layers/raw-name';

/**
 * Port of Go's string comparison (`a < b` on strings, so sort.Strings and os.ReadDir order): bytes, not
 * UTF-16 units. Used for dive's file tree order and anywhere a listing must come out as Docker's. Hand-written
 * because JavaScript's `<` and default sort compare UTF-16 code units.
 *
 * Orders names by their bytes, as Go's `sort.Strings` does. JavaScript compares UTF-16 code units, which
 * agrees for ASCII and differs beyond it: astral characters against U+E000..U+FFFF, and the escaped bytes of
 * names that are not UTF-8 (see raw-name) against everything non-ASCII. Those rare cases compare the bytes.
 * `from` skips a start both strings are known to share (siblings' paths share their parent's).
 */
export function compareGoStrings(a: string, b: string, from = 0): number {
  const length = Math.min(a.length, b.length);
  for (let i = from; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x < 0x80 || y < 0x80) return x - y;
    // Both are low halves after the same high surrogate: code point order is byte order.
    const previous = i > 0 ? a.charCodeAt(i - 1) : 0;
    if (previous >= 0xd800 && previous <= 0xdbff) return x - y;
    return compareBytes(encodeRawName(a.slice(i)), encodeRawName(b.slice(i)));
  }
  return a.length - b.length;
}
