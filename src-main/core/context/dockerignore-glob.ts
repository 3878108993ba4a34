/**
 * The syntax check of Go's filepath.Match (Unix), which patternmatcher.New runs on every pattern
 * (`filepath.Match(p, ".")`) to reject malformed ones with "syntax error in pattern".
 * Since Go 1.20 Match reports ErrBadPattern for a malformed part of the pattern whatever the name
 * (older Go stopped at the first mismatch); docker/cli 28 is built with Go 1.24, so checking the whole
 * pattern's syntax is what Docker does.
 */

/** True when Go's filepath.Match accepts the pattern's syntax. */
export function isValidGlob(pattern: string): boolean {
  let rest = pattern;
  while (rest.length > 0) {
    // scanChunk: leading stars, then up to the next star outside a [...] range.
    let i = 0;
    while (rest[i] === '*') i++;
    rest = rest.slice(i);
    let inRange = false;
    let j = 0;
    for (; j < rest.length; j++) {
      const c = rest[j];
      if (c === '\\') {
        if (j + 1 < rest.length) j++;
      } else if (c === '[') {
        inRange = true;
      } else if (c === ']') {
        inRange = false;
      } else if (c === '*' && !inRange) {
        break;
      }
    }
    if (!isValidChunk(rest.slice(0, j))) return false;
    rest = rest.slice(j);
  }
  return true;
}

function isValidChunk(chunk: string): boolean {
  let c = chunk;
  while (c.length > 0) {
    switch (c[0]) {
      case '[': {
        c = c.slice(1);
        if (c[0] === '^') c = c.slice(1);
        let ranges = 0;
        for (;;) {
          if (c.length > 0 && c[0] === ']' && ranges > 0) {
            c = c.slice(1);
            break;
          }
          const lo = classChar(c);
          if (lo === null) return false;
          c = lo;
          if (c[0] === '-') {
            const hi = classChar(c.slice(1));
            if (hi === null) return false;
            c = hi;
          }
          ranges++;
        }
        break;
      }
      case '\\':
        c = c.slice(1);
        if (c.length === 0) return false;
        c = c.slice(1);
        break;
      default:
        c = c.slice(1);
    }
  }
  return true;
}

/** getEsc: one (possibly escaped) character of a range; returns the rest, or null on bad syntax. */
function classChar(chunk: string): string | null {
  let c = chunk;
  if (c.length === 0 || c[0] === '-' || c[0] === ']') return null;
  if (c[0] === '\\') {
    c = c.slice(1);
    if (c.length === 0) return null;
  }
  const code = c.codePointAt(0) ?? 0;
  const rest = c.slice(code > 0xffff ? 2 : 1);
  return rest.length === 0 ? null : rest;
}
