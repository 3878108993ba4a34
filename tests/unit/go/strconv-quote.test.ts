import { describe, expect, it } from 'vitest';
import { parseGoFloat } from '$shared/go/strconv-parse';
import { goQuote } from '$shared/go/strconv-quote';
import { parseGoDuration } from '$shared/go/time-duration';
import { cleanImagePath } from '../../../src-main/core/layers/image-path';

// Expected texts are what Go 1.22 prints: fmt.Println(strconv.Quote(s)) and the errors' Error().
describe('strconv.Quote, the one quoting of every Go message we reproduce', () => {
  it.each([
    ['plain', '"plain"'],
    ['say "hi" \\ bye', '"say \\"hi\\" \\\\ bye"'],
    ['a\u0007b\u000bc', '"a\\ab\\vc"'],
    ['\u0001\u007f', '"\\x01\\x7f"'],
    ['é😀', '"é😀"'],
    ['\u00a0\u200b', '"\\u00a0\\u200b"'],
  ])('quotes %j as %s', (text, quoted) => {
    expect(goQuote(text)).toBe(quoted);
  });

  it('words strconv.ParseFloat and time.ParseDuration errors as Go does, control characters included', () => {
    expect(parseGoFloat('1\u0001')).toEqual({
      ok: false,
      error: 'strconv.ParseFloat: parsing "1\\x01": invalid syntax',
    });
    expect(parseGoDuration('5\u0007')).toEqual({ error: 'time: unknown unit "\\a" in duration "5\\a"' });
  });
});

describe('image paths, cleaned by Go’s path.Clean', () => {
  it.each([
    ['./usr//bin/', '/usr/bin'],
    ['', '/'],
    ['./', '/'],
    ['../../etc/passwd', '/etc/passwd'],
    ['a/b/../c/.', '/a/c'],
    ['./usr/share/file', '/usr/share/file'],
    ['././usr/x', '/usr/x'],
    ['.//usr/x', '/usr/x'],
    ['./../x', '/x'],
  ])('%j is %s', (name, path) => {
    expect(cleanImagePath(name)).toBe(path);
  });
});
