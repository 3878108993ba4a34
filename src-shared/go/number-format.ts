/**
 * Port of Go's fmt `%.<precision>g` (strconv.FormatFloat(v, 'g', precision, 64)) for non-negative finite
 * numbers, digit for digit. Used by humanSize and contextSize (../images/format), which the
 * renderer shows.
 *
 * Docker prints sizes with Go's fmt, which rounds the float's exact binary value half-to-even
 * (1.125 → "1.12"), while JavaScript's toPrecision rounds half up ("1.13"), and Go switches to
 * exponent form from the precision on ("1e+03kB"). Reproducing both keeps our sizes identical to
 * `docker images` in every case, not just the common ones.
 */

interface Decimal {
  /** Significant digits without trailing zeros ("" for zero). */
  digits: string;
  /** Position of the decimal point relative to the first digit. */
  point: number;
}

/** The exact decimal expansion of a finite non-negative double. */
function exactDecimal(value: number): Decimal {
  if (value === 0) return { digits: '', point: 0 };
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  const high = view.getUint32(0);
  const low = view.getUint32(4);
  const biasedExponent = (high >>> 20) & 0x7ff;
  let mantissa = (BigInt(high & 0xfffff) << 32n) | BigInt(low);
  let exponent: number;
  if (biasedExponent === 0) {
    exponent = -1074;
  } else {
    mantissa |= 1n << 52n;
    exponent = biasedExponent - 1075;
  }
  let text: string;
  let point: number;
  if (exponent >= 0) {
    text = (mantissa << BigInt(exponent)).toString();
    point = text.length;
  } else {
    // m / 2^k = m * 5^k / 10^k
    text = (mantissa * 5n ** BigInt(-exponent)).toString();
    point = text.length + exponent;
  }
  const trimmed = text.replace(/0+$/, '');
  const leading = trimmed.length - trimmed.replace(/^0+/, '').length;
  return { digits: trimmed.slice(leading), point: point - leading };
}

/** Round to `count` significant digits, half to even on an exact half (strconv's decimal.Round). */
function roundDigits(d: Decimal, count: number): Decimal {
  if (count < 0 || count >= d.digits.length) return d;
  const next = d.digits.charCodeAt(count) - 48;
  const exactHalf = next === 5 && count + 1 === d.digits.length;
  const previousOdd = count > 0 && (d.digits.charCodeAt(count - 1) - 48) % 2 === 1;
  const up = exactHalf ? previousOdd : next >= 5;
  if (!up) {
    return { digits: d.digits.slice(0, count).replace(/0+$/, ''), point: d.point };
  }
  const kept = d.digits.slice(0, count).split('');
  let i = count - 1;
  while (i >= 0 && kept[i] === '9') i--;
  if (i < 0) return { digits: '1', point: d.point + 1 };
  kept[i] = String.fromCharCode(kept[i]!.charCodeAt(0) + 1);
  return { digits: kept.slice(0, i + 1).join(''), point: d.point };
}

function formatExponent(d: Decimal, precision: number): string {
  const first = d.digits[0] ?? '0';
  const rest = d.digits.slice(1, precision).padEnd(precision - 1, '0');
  const exp = d.digits.length === 0 ? 0 : d.point - 1;
  const sign = exp < 0 ? '-' : '+';
  const magnitude = String(Math.abs(exp)).padStart(2, '0');
  return `${first}${rest.length ? `.${rest}` : ''}e${sign}${magnitude}`;
}

function formatFixed(d: Decimal, fractionDigits: number): string {
  let integer: string;
  if (d.point <= 0) integer = '0';
  else integer = d.digits.slice(0, d.point).padEnd(d.point, '0');
  if (fractionDigits <= 0) return integer;
  let fraction = '';
  for (let i = 0; i < fractionDigits; i++) {
    const index = d.point + i;
    fraction += index >= 0 && index < d.digits.length ? d.digits[index] : '0';
  }
  return `${integer}.${fraction}`;
}

/** Go's `fmt.Sprintf("%.*g", precision, value)` for a finite value ≥ 0. */
export function formatGoG(value: number, precision: number): string {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`formatGoG needs a finite value ≥ 0, got ${value}`);
  let prec = precision === 0 ? 1 : precision;
  const d = roundDigits(exactDecimal(value), prec);
  const nd = d.digits.length;
  // strconv: "%e is used if the exponent from the conversion is less than -4 or greater than or equal to the precision"
  let eprec = prec;
  if (eprec > nd && nd >= d.point) eprec = nd;
  const exp = d.point - 1;
  if (exp < -4 || exp >= eprec) {
    if (prec > nd) prec = nd;
    return formatExponent(d, Math.max(prec, 1));
  }
  if (prec > d.point) prec = nd;
  return formatFixed(d, Math.max(prec - d.point, 0));
}
