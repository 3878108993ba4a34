import { compileGoRegexp } from '$shared/go/regexp';

/** How patternmatcher decides a pattern matches: fast paths for plain and `**` patterns, else a regexp. */
export type PatternMatchType = 'exact' | 'prefix' | 'suffix' | 'regexp';

// Regexp specials patternmatcher escapes. It means to escape `.+()|{}$`, but v0.6.1 keeps them in an
// 8-byte bitmap indexed `1 << (b / 8)`, which overflows to 0 for bytes ≥ 64: `|`, `{` and `}` reach the
// regexp unescaped (so `x{2}*` matches `xx.txt` and `a|b*` matches `b`). Checked against v0.6.1 itself.
const ESCAPED = new Set(['.', '+', '(', ')', '$']);

/** Raised when a pattern's regexp cannot be compiled; patternmatcher reports filepath.ErrBadPattern. */
export class BadPatternError extends Error {
  constructor(
    readonly pattern: string,
    readonly detail: string,
  ) {
    super('syntax error in pattern');
    this.name = 'BadPatternError';
  }
}

/**
 * One `.dockerignore` pattern as moby/patternmatcher v0.6.1 holds it: the cleaned text (without the
 * leading `!`), whether it is an exception, and its lazily compiled matcher (`Pattern.compile`).
 */
export class DockerignorePattern {
  /** The pattern's first match type and Go regexp source, known after the first match. */
  private compiled: { type: PatternMatchType; goRegexp: string; regexp: RegExp | null } | null = null;
  private compileError: BadPatternError | null = null;

  constructor(
    /** The cleaned pattern without `!` (patternmatcher's `Pattern.String()`). */
    readonly cleaned: string,
    /** True for `!` exception patterns. */
    readonly exclusion: boolean,
    /** 1-based line in the ignore file, when the pattern came from one. */
    readonly line?: number,
  ) {}

  /** The pattern as written in Docker's terms: `!` prefix for exceptions. */
  toString(): string {
    return (this.exclusion ? '!' : '') + this.cleaned;
  }

  /** The match type and Go regexp source patternmatcher would build (compiling on first use). */
  compile(): { type: PatternMatchType; goRegexp: string } {
    if (!this.compiled) this.compiled = compilePattern(this.cleaned);
    return { type: this.compiled.type, goRegexp: this.compiled.goRegexp };
  }

  /** Pattern.match: does the (slash-separated) path match this pattern on its own? */
  matches(path: string): boolean {
    if (this.compileError) throw this.compileError;
    if (!this.compiled) {
      try {
        this.compiled = compilePattern(this.cleaned);
      } catch (err) {
        this.compileError = new BadPatternError(this.toString(), (err as Error).message);
        throw this.compileError;
      }
    }
    const p = this.cleaned;
    switch (this.compiled.type) {
      case 'exact':
        return path === p;
      case 'prefix':
        return path.startsWith(p.slice(0, -2));
      case 'suffix': {
        const suffix = p.slice(2);
        if (path.endsWith(suffix)) return true;
        // `**/foo` also matches `foo` itself.
        return suffix.startsWith('/') && path === suffix.slice(1);
      }
      case 'regexp':
        return (this.compiled.regexp as RegExp).test(path);
    }
  }
}

/** Pattern.compile with `/` as the separator: build the Go regexp text and pick the match type. */
function compilePattern(pattern: string): { type: PatternMatchType; goRegexp: string; regexp: RegExp | null } {
  const chars = Array.from(pattern);
  let pos = 0;
  // text/scanner silently skips a byte-order mark at the very start.
  if (chars[0] === '\uFEFF') pos = 1;
  let reg = '^';
  let type: PatternMatchType = 'exact';
  for (let i = 0; pos < chars.length; i++) {
    const ch = chars[pos++] as string;
    if (ch === '*') {
      if (chars[pos] === '*') {
        pos++;
        // Treat **/ as **.
        if (chars[pos] === '/') pos++;
        if (pos >= chars.length) {
          // `**` at the end accepts everything, as in .gitignore.
          if (type === 'exact') type = 'prefix';
          else {
            reg += '.*';
            type = 'regexp';
          }
        } else {
          reg += '(.*/)?';
          type = 'regexp';
        }
        if (i === 0) type = 'suffix';
      } else {
        reg += '[^/]*';
        type = 'regexp';
      }
    } else if (ch === '?') {
      reg += '[^/]';
      type = 'regexp';
    } else if (ESCAPED.has(ch)) {
      reg += '\\' + ch;
    } else if (ch === '\\') {
      // Escape the next character; a trailing backslash stays as it is.
      if (pos < chars.length) {
        reg += '\\' + chars[pos++];
        type = 'regexp';
      } else {
        reg += '\\';
      }
    } else if (ch === '[' || ch === ']') {
      reg += ch;
      type = 'regexp';
    } else {
      reg += ch;
    }
  }
  if (type !== 'regexp') return { type, goRegexp: '', regexp: null };
  reg += '$';
  return { type, goRegexp: reg, regexp: compileGoRegexp(reg) };
}
