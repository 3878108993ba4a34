/**
 * Port of Go's regexp/syntax parser (RE2 syntax, syntax.Perl flags), emitting JavaScript RegExps. Hand-written
 * because no JavaScript library parses Go's dialect, and .dockerignore patterns are Go regexps in disguise.
 *
 * Translate the Go (RE2, syntax.Perl flags) regular expressions that moby/patternmatcher builds from
 * `.dockerignore` patterns into equivalent JavaScript RegExps.
 *
 * patternmatcher copies `[`, `]`, `^`, `|`, `{`, `}` and backslash escapes from the pattern straight into its regexp,
 * so what a pattern means (and whether it compiles at all: `[Local-Only]` is a reversed range) is
 * decided by Go's regexp syntax, which differs from JavaScript's in many small ways: `]` first in a
 * class is literal, `[:alpha:]` classes, `\Q…\E`, ASCII-only `\s`, `.` excluding only `\n`, `^*`.
 * Everything is parsed here with Go's rules and emitted as unambiguous JavaScript (`u` flag, code
 * points escaped as `\u{…}`).
 */

import {
  classSource,
  complement,
  GENERAL_CATEGORIES,
  literal,
  MAX_RUNE,
  PERL_CLASSES,
  POSIX_CLASSES,
  type Range,
} from './regexp-classes';

export class GoRegexpError extends Error {
  constructor(message: string) {
    super(`error parsing regexp: ${message}`);
    this.name = 'GoRegexpError';
  }
}

function isOctal(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '7';
}

function unhex(c: string | undefined): number {
  if (c === undefined || !/^[0-9a-fA-F]$/.test(c)) return -1;
  return parseInt(c, 16);
}

class Parser {
  private readonly chars: string[];
  private pos = 0;

  constructor(src: string) {
    this.chars = Array.from(src);
  }

  private at(offset = 0): string | undefined {
    return this.chars[this.pos + offset];
  }

  /** parseEscape: the character a `\x` sequence stands for; `pos` is at the backslash. */
  private escapedChar(): number {
    const start = this.pos;
    this.pos++; // backslash
    const c = this.at();
    if (c === undefined) throw new GoRegexpError('trailing backslash at end of expression');
    this.pos++;
    const bad = (): never => {
      throw new GoRegexpError(`invalid escape sequence: \`${this.chars.slice(start, this.pos).join('')}\``);
    };
    if ((c >= '1' && c <= '7' && isOctal(this.at())) || c === '0') {
      let r = c.charCodeAt(0) - 0x30;
      for (let i = 1; i < 3 && isOctal(this.at()); i++) {
        r = r * 8 + (this.at() as string).charCodeAt(0) - 0x30;
        this.pos++;
      }
      return r;
    }
    switch (c) {
      case 'x': {
        if (this.at() === '{') {
          this.pos++;
          let r = 0;
          let digits = 0;
          for (;;) {
            const d = this.at();
            if (d === undefined) return bad();
            this.pos++;
            if (d === '}') break;
            const v = unhex(d);
            if (v < 0) return bad();
            r = r * 16 + v;
            if (r > MAX_RUNE) return bad();
            digits++;
          }
          if (digits === 0) return bad();
          return r;
        }
        const x = unhex(this.at());
        const y = unhex(this.at(1));
        if (x < 0 || y < 0) {
          this.pos += Math.min(2, this.chars.length - this.pos);
          return bad();
        }
        this.pos += 2;
        return x * 16 + y;
      }
      case 'a':
        return 7;
      case 'f':
        return 12;
      case 'n':
        return 10;
      case 'r':
        return 13;
      case 't':
        return 9;
      case 'v':
        return 11;
    }
    const cp = c.codePointAt(0) as number;
    if (cp < 0x80 && !/[0-9A-Za-z]/.test(c)) return cp;
    return bad();
  }

  /** `\pL`, `\p{Greek}`, `\P{^L}`: a JavaScript property escape; `pos` is at the backslash. */
  private unicodeClass(): string {
    const start = this.pos;
    let negated = this.at(1) === 'P';
    this.pos += 2;
    let name: string;
    if (this.at() === '{') {
      const end = this.chars.indexOf('}', this.pos);
      if (end < 0) throw new GoRegexpError(`invalid character class range: \`${this.chars.slice(start).join('')}\``);
      name = this.chars.slice(this.pos + 1, end).join('');
      this.pos = end + 1;
    } else {
      const c = this.at();
      if (c === undefined) throw new GoRegexpError('invalid character class range: `\\p`');
      name = c;
      this.pos++;
    }
    if (name.startsWith('^')) {
      negated = !negated;
      name = name.slice(1);
    }
    const key = name === 'Any' || GENERAL_CATEGORIES.has(name) ? name : `Script=${name}`;
    const source = `\\${negated ? 'P' : 'p'}{${key}}`;
    try {
      new RegExp(source, 'u');
    } catch {
      throw new GoRegexpError(`invalid character class range: \`${this.chars.slice(start, this.pos).join('')}\``);
    }
    return source;
  }

  /** `\d` and friends: Go's are ASCII-only. */
  private perlClass(): { ranges: Range[] } | null {
    if (this.at() !== '\\') return null;
    const c = this.at(1);
    if (c === undefined) return null;
    const base = PERL_CLASSES[c.toLowerCase()];
    if (!base || !'dDsSwW'.includes(c)) return null;
    this.pos += 2;
    return { ranges: c === c.toUpperCase() ? complement(base) : base };
  }

  /** A bracket expression; `pos` is at `[`. */
  private charClass(): string {
    const start = this.pos;
    this.pos++;
    let negated = false;
    if (this.at() === '^') {
      negated = true;
      this.pos++;
    }
    const ranges: Range[] = [];
    const properties: string[] = [];
    let first = true;
    const missing = (): never => {
      throw new GoRegexpError(`missing closing ]: \`${this.chars.slice(start).join('')}\``);
    };
    while (this.at() !== ']' || first) {
      if (this.at() === undefined) missing();
      first = false;
      if (this.at() === '[' && this.at(1) === ':') {
        const rest = this.chars.slice(this.pos + 2).join('');
        const close = rest.indexOf(':]');
        if (close >= 0) {
          const name = rest.slice(0, close);
          const neg = name.startsWith('^');
          const group = POSIX_CLASSES[neg ? name.slice(1) : name];
          if (!group) throw new GoRegexpError(`invalid character class range: \`[:${name}:]\``);
          ranges.push(...(neg ? complement(group) : group));
          this.pos += Array.from(`[:${name}:]`).length;
          continue;
        }
      }
      if (this.at() === '\\' && (this.at(1) === 'p' || this.at(1) === 'P')) {
        properties.push(this.unicodeClass());
        continue;
      }
      const perl = this.perlClass();
      if (perl) {
        ranges.push(...perl.ranges);
        continue;
      }
      const rangeStart = this.pos;
      const lo = this.classChar(missing);
      let hi = lo;
      if (this.at() === '-' && this.at(1) !== undefined && this.at(1) !== ']') {
        this.pos++;
        hi = this.classChar(missing);
        if (hi < lo) {
          throw new GoRegexpError(
            `invalid character class range: \`${this.chars.slice(rangeStart, this.pos).join('')}\``,
          );
        }
      }
      ranges.push([lo, hi]);
    }
    this.pos++; // ]
    return classSource(ranges, properties, negated);
  }

  private classChar(missing: () => never): number {
    const c = this.at();
    if (c === undefined) return missing();
    if (c === '\\') return this.escapedChar();
    this.pos++;
    return c.codePointAt(0) as number;
  }

  /** regexp/syntax parseInt: digits without a leading zero; -1 past 1e8. */
  private repeatInt(): number | null {
    const start = this.pos;
    while (this.at() !== undefined && /[0-9]/.test(this.at() as string)) this.pos++;
    const digits = this.chars.slice(start, this.pos).join('');
    if (digits === '' || (digits.length >= 2 && digits.startsWith('0'))) return null;
    return digits.length > 8 ? -1 : Number(digits);
  }

  /** `{n}`, `{n,}`, `{n,m}` if the text at `pos` is one (parseRepeat); Go treats anything else as a literal `{`. */
  private repeatCount(): string | null {
    const start = this.pos;
    const fail = (): null => {
      this.pos = start;
      return null;
    };
    this.pos++;
    let min = this.repeatInt();
    if (min === null || this.at() === undefined) return fail();
    let max = min;
    if (this.at() === ',') {
      this.pos++;
      if (this.at() === undefined) return fail();
      if (this.at() === '}') max = -1;
      else {
        const m = this.repeatInt();
        if (m === null) return fail();
        max = m;
        if (max < 0) min = -1;
      }
    }
    if (this.at() !== '}') return fail();
    this.pos++;
    const text = this.chars.slice(start, this.pos).join('');
    if (min < 0 || min > 1000 || max > 1000 || (max >= 0 && min > max))
      throw new GoRegexpError(`invalid repeat count: \`${text}\``);
    return max < 0 ? `{${min},}` : `{${min},${max}}`;
  }

  parse(): string {
    let out = '';
    let depth = 0;
    let canRepeat = false;
    let lastWasRepeat = false;
    const atom = (s: string): void => {
      out += s;
      canRepeat = true;
      lastWasRepeat = false;
    };
    const repeat = (op: string): void => {
      if (!canRepeat) throw new GoRegexpError(`missing argument to repetition operator: \`${op}\``);
      if (lastWasRepeat) throw new GoRegexpError(`invalid nested repetition operator: \`${op}\``);
      out += op;
      if (this.at() === '?') {
        out += '?';
        this.pos++;
      }
      lastWasRepeat = true;
    };
    while (this.pos < this.chars.length) {
      const c = this.at() as string;
      switch (c) {
        case '(':
          if (this.at(1) === '?') throw new GoRegexpError('unsupported group syntax');
          depth++;
          this.pos++;
          out += '(?:';
          canRepeat = false;
          lastWasRepeat = false;
          break;
        case ')':
          if (depth === 0) throw new GoRegexpError('unexpected )');
          depth--;
          this.pos++;
          atom(')');
          break;
        case '|':
          this.pos++;
          out += '|';
          canRepeat = false;
          lastWasRepeat = false;
          break;
        case '^':
          this.pos++;
          atom('(?:^)');
          break;
        case '$':
          this.pos++;
          atom('(?:$)');
          break;
        case '.':
          this.pos++;
          atom('[^\\n]');
          break;
        case '[':
          atom(this.charClass());
          break;
        case '*':
        case '+':
        case '?':
          this.pos++;
          repeat(c);
          break;
        case '{': {
          const count = this.repeatCount();
          if (count) repeat(count);
          else {
            this.pos++;
            atom(literal(0x7b));
          }
          break;
        }
        case '\\':
          this.escape(atom);
          break;
        default:
          this.pos++;
          atom(literal(c.codePointAt(0) as number));
      }
    }
    if (depth > 0) throw new GoRegexpError('missing closing )');
    return out;
  }

  private escape(atom: (s: string) => void): void {
    const c = this.at(1);
    switch (c) {
      case 'A':
        this.pos += 2;
        return atom('(?:^)');
      case 'z':
        this.pos += 2;
        return atom('(?:$)');
      case 'b':
        this.pos += 2;
        return atom('(?:\\b)');
      case 'B':
        this.pos += 2;
        return atom('(?:\\B)');
      case 'C':
        throw new GoRegexpError('invalid escape sequence: `\\C`');
      case 'Q': {
        this.pos += 2;
        const rest = this.chars.slice(this.pos).join('');
        const end = rest.indexOf('\\E');
        const text = end < 0 ? rest : rest.slice(0, end);
        for (const ch of text) atom(literal(ch.codePointAt(0) as number));
        this.pos += Array.from(text).length + (end < 0 ? 0 : 2);
        return;
      }
      case 'p':
      case 'P':
        return atom(this.unicodeClass());
    }
    const perl = this.perlClass();
    if (perl) return atom(classSource(perl.ranges, [], false));
    atom(literal(this.escapedChar()));
  }
}

/** Compile a Go regexp (as regexp.Compile would) into a JavaScript RegExp with the same matches. */
export function compileGoRegexp(src: string): RegExp {
  const js = new Parser(src).parse();
  try {
    return new RegExp(js, 'u');
  } catch (err) {
    throw new GoRegexpError(`${(err as Error).message}`);
  }
}
