/**
 * Port of Go's time.ParseDuration ("1m30s", "1.5h", "300ms"), with its error texts. BuildKit parses HEALTHCHECK's
 * --interval, --timeout, --start-period and --start-interval with it, and the editor flags what BuildKit would
 * refuse, worded as BuildKit words it. Hand-written: JavaScript has no duration syntax.
 */
import { goQuote } from './strconv-quote';

const DURATION_UNITS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  µs: 1e3, // U+00B5
  μs: 1e3, // U+03BC
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

/** time.ParseDuration: nanoseconds, or Go's error text. */
export function parseGoDuration(text: string): { ns: number } | { error: string } {
  const invalid = { error: `time: invalid duration ${goQuote(text)}` };
  let s = text;
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) {
    sign = s.startsWith('-') ? -1 : 1;
    s = s.slice(1);
  }
  if (s === '0') return { ns: 0 };
  if (s === '') return invalid;
  let total = 0;
  while (s !== '') {
    const m = /^(\d*)(?:\.(\d*))?/.exec(s) as RegExpExecArray;
    const whole = m[1] as string;
    const frac = m[2];
    if (whole === '' && (frac === undefined || frac === '')) return invalid;
    s = s.slice(m[0].length);
    const unit = /^[^.\d]*/.exec(s)?.[0] ?? '';
    if (unit === '') return { error: `time: missing unit in duration ${goQuote(text)}` };
    const scale = DURATION_UNITS[unit];
    if (scale === undefined) return { error: `time: unknown unit ${goQuote(unit)} in duration ${goQuote(text)}` };
    s = s.slice(unit.length);
    total += Number(`${whole || '0'}.${frac || '0'}`) * scale;
  }
  return { ns: sign * total };
}
