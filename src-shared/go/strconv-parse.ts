/**
 * Port of Go's strconv.ParseFloat(s, 64) and of go-humanize's ParseBytes, with Go's error texts: dive reads its
 * CI thresholds (lowest efficiency, highest wasted bytes, user wasted percent) with them, and `strata analyze
 * --ci` must accept, refuse and word its refusal exactly as dive does. Hand-written because Number() and
 * parseFloat accept and refuse different strings (underscores, hex floats, "Infinity", trailing junk).
 */
import { goQuote } from './strconv-quote';

/** A parse result: the value, or Go's error text for it. */
export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

const DECIMAL = /^[+-]?(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?$/;
const HEX =
  /^([+-]?)0[xX](?:_?)([0-9a-fA-F](?:_?[0-9a-fA-F])*)?(?:\.([0-9a-fA-F](?:_?[0-9a-fA-F])*)?)?[pP]([+-]?\d(?:_?\d)*)$/;

/** Go's `strconv.ParseFloat(s, 64)`, which dive uses for efficiency and percent thresholds. */
export function parseGoFloat(text: string): Parsed<number> {
  const special = parseSpecial(text);
  if (special !== undefined) return { ok: true, value: special };
  let value: number | undefined;
  if (DECIMAL.test(text)) {
    value = Number(text.replaceAll('_', ''));
  } else {
    const hex = HEX.exec(text);
    if (hex && (hex[2] !== undefined || hex[3] !== undefined)) {
      const whole = (hex[2] ?? '').replaceAll('_', '');
      const fraction = (hex[3] ?? '').replaceAll('_', '');
      const mantissa = Number.parseInt(whole + fraction || '0', 16);
      const exponent = Number(hex[4]?.replaceAll('_', '')) - 4 * fraction.length;
      value = (hex[1] === '-' ? -1 : 1) * mantissa * 2 ** exponent;
    }
  }
  if (value === undefined || Number.isNaN(value)) {
    return { ok: false, error: `strconv.ParseFloat: parsing ${goQuote(text)}: invalid syntax` };
  }
  if (!Number.isFinite(value)) {
    return { ok: false, error: `strconv.ParseFloat: parsing ${goQuote(text)}: value out of range` };
  }
  return { ok: true, value };
}

// "inf", "infinity" (either sign) and "nan" (no sign), any case: Go's strconv special values.
function parseSpecial(text: string): number | undefined {
  const lower = text.toLowerCase();
  if (lower === 'nan') return Number.NaN;
  const unsigned = lower.replace(/^[+-]/, '');
  if (unsigned === 'inf' || unsigned === 'infinity') {
    return lower.startsWith('-') ? -Infinity : Infinity;
  }
  return undefined;
}

const SI_AND_IEC: Record<string, number> = {
  b: 1,
  '': 1,
  kb: 1e3,
  k: 1e3,
  kib: 1024,
  ki: 1024,
  mb: 1e6,
  m: 1e6,
  mib: 1024 ** 2,
  mi: 1024 ** 2,
  gb: 1e9,
  g: 1e9,
  gib: 1024 ** 3,
  gi: 1024 ** 3,
  tb: 1e12,
  t: 1e12,
  tib: 1024 ** 4,
  ti: 1024 ** 4,
  pb: 1e15,
  p: 1e15,
  pib: 1024 ** 5,
  pi: 1024 ** 5,
  eb: 1e18,
  e: 1e18,
  eib: 1024 ** 6,
  ei: 1024 ** 6,
};

const MAX_UINT64 = 2 ** 64;

/** go-humanize's `ParseBytes` ("50kB" = 50000, "1.5 MiB", "1,000 B"), which dive uses for wasted-bytes limits. */
export function parseHumanizeBytes(text: string): Parsed<number> {
  let digits = 0;
  let hasComma = false;
  for (const char of text) {
    if (!(/\p{Nd}/u.test(char) || char === '.' || char === ',')) break;
    if (char === ',') hasComma = true;
    digits += char.length;
  }
  let number = text.slice(0, digits);
  if (hasComma) number = number.replaceAll(',', '');
  const parsed = parseGoFloat(number);
  if (!parsed.ok) return parsed;
  const unit = text.slice(digits).trim().toLowerCase();
  const multiplier = SI_AND_IEC[unit];
  if (multiplier === undefined) return { ok: false, error: `unhandled size name: ${unit}` };
  const bytes = parsed.value * multiplier;
  if (bytes >= MAX_UINT64) return { ok: false, error: `too large: ${text}` };
  return { ok: true, value: Math.floor(bytes) };
}
