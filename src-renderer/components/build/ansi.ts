/**
 * Turns a log line with ANSI escapes (SGR colours and styles, as RUN steps print them) into styled
 * segments the view renders as spans: no HTML is ever built from log text. Other escape sequences
 * (cursor moves, erase line) are dropped.
 */

export interface AnsiStyle {
  fg?: string;
  bg?: string;
  bold?: boolean;
  dim?: boolean;
  italic?: boolean;
  underline?: boolean;
  inverse?: boolean;
}

export interface AnsiSegment {
  text: string;
  style: AnsiStyle;
}

/** The 16 standard colours as CSS variables (set in the log view), so light and dark themes can differ. */
const BASIC = ['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white'];

// eslint-disable-next-line no-control-regex
const ESCAPE = /\u001b(?:\[([0-9;:?]*)([@-~])|\][^\u0007\u001b]*(?:\u0007|\u001b\\)|[@-Z\\-_])/g;

/** Parse one line, starting from the style the previous line left (pass it back in for the next line). */
export function parseAnsi(line: string, start: AnsiStyle = {}): { segments: AnsiSegment[]; end: AnsiStyle } {
  const segments: AnsiSegment[] = [];
  let style: AnsiStyle = { ...start };
  let last = 0;
  const push = (text: string) => {
    // eslint-disable-next-line no-control-regex -- removing control characters is the point
    const clean = text.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
    if (!clean) return;
    const prev = segments.at(-1);
    if (prev && sameStyle(prev.style, style)) prev.text += clean;
    else segments.push({ text: clean, style: { ...style } });
  };
  for (const match of line.matchAll(ESCAPE)) {
    push(line.slice(last, match.index));
    last = match.index + match[0].length;
    if (match[2] === 'm') style = applySgr(style, match[1] ?? '');
  }
  push(line.slice(last));
  return { segments, end: style };
}

function applySgr(current: AnsiStyle, params: string): AnsiStyle {
  const codes = (params === '' ? '0' : params).split(/[;:]/).map((p) => (p === '' ? 0 : Number(p)));
  let style = { ...current };
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i] ?? 0;
    if (code === 0) style = {};
    else if (code === 1) style.bold = true;
    else if (code === 2) style.dim = true;
    else if (code === 3) style.italic = true;
    else if (code === 4) style.underline = true;
    else if (code === 7) style.inverse = true;
    else if (code === 22) {
      delete style.bold;
      delete style.dim;
    } else if (code === 23) delete style.italic;
    else if (code === 24) delete style.underline;
    else if (code === 27) delete style.inverse;
    else if (code >= 30 && code <= 37) style.fg = basic(code - 30, false);
    else if (code >= 90 && code <= 97) style.fg = basic(code - 90, true);
    else if (code >= 40 && code <= 47) style.bg = basic(code - 40, false);
    else if (code >= 100 && code <= 107) style.bg = basic(code - 100, true);
    else if (code === 39) delete style.fg;
    else if (code === 49) delete style.bg;
    else if (code === 38 || code === 48) {
      const { color, used } = extended(codes, i + 1);
      if (color) style[code === 38 ? 'fg' : 'bg'] = color;
      i += used;
    }
  }
  return style;
}

function basic(index: number, bright: boolean): string {
  return `var(--ansi-${bright ? 'bright-' : ''}${BASIC[index] ?? 'white'})`;
}

/** `38;5;n` (256 colours) and `38;2;r;g;b` (true colour). */
function extended(codes: number[], at: number): { color?: string; used: number } {
  const mode = codes[at];
  if (mode === 5) {
    const n = codes[at + 1] ?? 0;
    return { color: palette256(n), used: 2 };
  }
  if (mode === 2) {
    const [r = 0, g = 0, b = 0] = codes.slice(at + 1, at + 4);
    return { color: `rgb(${clamp(r)}, ${clamp(g)}, ${clamp(b)})`, used: 4 };
  }
  return { used: 0 };
}

function palette256(n: number): string {
  if (n < 8) return basic(n, false);
  if (n < 16) return basic(n - 8, true);
  if (n < 232) {
    const v = n - 16;
    const level = (c: number) => (c === 0 ? 0 : 55 + c * 40);
    return `rgb(${level(Math.floor(v / 36))}, ${level(Math.floor(v / 6) % 6)}, ${level(v % 6)})`;
  }
  const grey = 8 + (Math.min(n, 255) - 232) * 10;
  return `rgb(${grey}, ${grey}, ${grey})`;
}

function clamp(v: number): number {
  return Math.max(0, Math.min(255, Math.round(v)));
}

function sameStyle(a: AnsiStyle, b: AnsiStyle): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)] as Array<keyof AnsiStyle>);
  return [...keys].every((k) => a[k] === b[k]);
}

/** Inline CSS for a segment's style. */
export function styleAttribute(style: AnsiStyle): string {
  const fg = style.inverse ? (style.bg ?? 'var(--log-bg)') : style.fg;
  const bg = style.inverse ? (style.fg ?? 'var(--log-fg)') : style.bg;
  const parts: string[] = [];
  if (fg) parts.push(`color: ${fg}`);
  if (bg) parts.push(`background: ${bg}`);
  if (style.bold) parts.push('font-weight: 700');
  if (style.dim) parts.push('opacity: 0.7');
  if (style.italic) parts.push('font-style: italic');
  if (style.underline) parts.push('text-decoration: underline');
  return parts.join('; ');
}

/** The text without its escape sequences: what a copied or saved log holds. */
export function stripAnsi(line: string): string {
  // eslint-disable-next-line no-control-regex
  return line.replace(/\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(\u0007|\u001b\\)/g, '');
}
