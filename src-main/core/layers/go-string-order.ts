/**
 * Orders strings by their UTF-8 bytes, as Go's `sort.Strings` does. JavaScript compares UTF-16 code units,
 * which differs only when one side is a surrogate (astral character) and the other is U+E000..U+FFFF.
 */
export function compareGoStrings(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) return utf8Rank(x) - utf8Rank(y);
    return x - y;
  }
  return a.length - b.length;
}

// Surrogates encode code points above U+FFFF, whose UTF-8 bytes sort after U+E000..U+FFFF.
function utf8Rank(unit: number): number {
  return unit >= 0xe000 ? unit - 0x800 : unit + 0x2000;
}
