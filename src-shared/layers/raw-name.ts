/**
 * Tar names are bytes, and Go (so Docker and dive) compares them as bytes: "a\xff" and "a\xfe" are two files.
 * Decoding them as UTF-8 made both "a\uFFFD", one path to us. Names are kept as strings that map one-to-one
 * to their bytes: valid UTF-8 decodes as usual, and each byte that is not part of valid UTF-8 becomes the
 * lone surrogate U+DC00 + byte (Python's "surrogateescape"), which no decoded text can contain. Only the
 * display (`displayName`) turns those into U+FFFD. Pure: safe to import from the renderer.
 */

const ESCAPE_BASE = 0xdc00;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const utf8 = new TextDecoder('utf-8');
const encoder = new TextEncoder();

/** The name for these bytes: distinct bytes give distinct strings. */
export function decodeRawName(bytes: Uint8Array): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return decodeEscaping(bytes);
  }
}

/** A name as people read it: escaped bytes show as U+FFFD, as Go's encoding/json and terminals show them. */
export function displayName(name: string): string {
  // The u flag matters: without it the low half of a real pair (U+1F480 is D83D DC80) would match too.
  return name.replace(/[\udc80-\udcff]/gu, '\ufffd');
}

/** Orders two byte strings as Go's bytes.Compare does. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/** True when a name holds bytes that are not UTF-8. */
function hasRawBytes(name: string): boolean {
  return /[\udc80-\udcff]/u.test(name);
}

/** The bytes a name stands for (inverse of decodeRawName). */
export function encodeRawName(name: string): Uint8Array {
  if (!hasRawBytes(name)) return encoder.encode(name);
  const out: number[] = [];
  for (const char of name) {
    const code = char.codePointAt(0) ?? 0;
    if (code >= 0xdc80 && code <= 0xdcff) out.push(code - ESCAPE_BASE);
    else out.push(...encoder.encode(char));
  }
  return Uint8Array.from(out);
}

// UTF-8 as RFC 3629 defines it (no overlongs, no surrogates, at most U+10FFFF); anything else is escaped.
function decodeEscaping(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const b0 = bytes[i] ?? 0;
    const length = sequenceLength(bytes, i);
    if (length === 0) {
      out += String.fromCharCode(b0 < 0x80 ? b0 : ESCAPE_BASE + b0);
      i++;
      continue;
    }
    out += utf8.decode(bytes.subarray(i, i + length));
    i += length;
  }
  return out;
}

// Length of the valid UTF-8 sequence at i, or 0 when the byte there starts none (ASCII counts as 0 here too).
function sequenceLength(bytes: Uint8Array, i: number): number {
  const b0 = bytes[i] ?? 0;
  const cont = (k: number, low = 0x80, high = 0xbf): boolean => {
    const b = bytes[i + k];
    return b !== undefined && b >= low && b <= high;
  };
  if (b0 >= 0xc2 && b0 <= 0xdf) return cont(1) ? 2 : 0;
  if (b0 === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;
  if ((b0 >= 0xe1 && b0 <= 0xec) || b0 === 0xee || b0 === 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (b0 === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0;
  if (b0 === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (b0 >= 0xf1 && b0 <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (b0 === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}
