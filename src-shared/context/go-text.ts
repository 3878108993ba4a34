/**
 * Small ports of Go standard-library text helpers (unicode.IsSpace, strings.TrimSpace, path.Clean,
 * filepath.Dir, byte-wise string order). Docker's tools are written in Go; where JavaScript's
 * built-ins differ (String.prototype.trim also strips U+FEFF, default sort compares UTF-16 units)
 * matching Docker exactly needs Go's rules.
 */

/** unicode.IsSpace: Latin-1 spaces plus the Unicode White_Space property (not U+FEFF). */
export function isGoSpace(code: number): boolean {
  if (code <= 0xff) {
    return (
      code === 0x09 ||
      code === 0x0a ||
      code === 0x0b ||
      code === 0x0c ||
      code === 0x0d ||
      code === 0x20 ||
      code === 0x85 ||
      code === 0xa0
    );
  }
  return (
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000
  );
}

/** strings.TrimLeftFunc(s, unicode.IsSpace). */
export function trimLeftGoSpace(s: string): string {
  let i = 0;
  while (i < s.length && isGoSpace(s.charCodeAt(i))) i++;
  return i === 0 ? s : s.slice(i);
}

/** strings.TrimRightFunc(s, unicode.IsSpace). */
export function trimRightGoSpace(s: string): string {
  let j = s.length;
  while (j > 0 && isGoSpace(s.charCodeAt(j - 1))) j--;
  return j === s.length ? s : s.slice(0, j);
}

/** strings.TrimSpace. */
export function trimGoSpace(s: string): string {
  return trimRightGoSpace(trimLeftGoSpace(s));
}

/** path.Clean (and filepath.Clean on Unix): lexical, `/`-separated. */
export function goCleanPath(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(seg);
  }
  const joined = out.join('/');
  if (rooted) return '/' + joined;
  return joined === '' ? '.' : joined;
}

/** filepath.Dir on Unix: everything before the last `/`, cleaned. */
export function goDir(p: string): string {
  const i = p.lastIndexOf('/');
  return goCleanPath(p.slice(0, i + 1));
}

/**
 * Compare two strings in UTF-8 byte order (Go's string comparison, the order os.ReadDir returns).
 * UTF-16 code-unit order differs for characters above U+FFFF versus U+E000–U+FFFF.
 */
export function compareGoStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (D800–DFFF) encode code points above FFFF, which sort after E000–FFFF in UTF-8.
    if (x >= 0xd800) x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
    if (y >= 0xd800) y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    return x - y;
  }
  return a.length - b.length;
}
