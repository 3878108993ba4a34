/**
 * Port of Go's text helpers: unicode.IsSpace, strings.TrimSpace / TrimLeftFunc / TrimRightFunc, path.Clean and
 * filepath.Dir (Unix). Used by the .dockerignore reader (moby/patternmatcher) and the Dockerfile parser
 * (BuildKit). Hand-written because JavaScript's built-ins differ where it shows: String.prototype.trim also
 * strips U+FEFF and other characters Go keeps, and node:path is the host's (backslashes on Windows) where
 * Docker's rules are always `/`. Go's byte-wise string order is in ./string-order.
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
function trimRightGoSpace(s: string): string {
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
