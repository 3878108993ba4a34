import { describe, expect, it } from 'vitest';
import { parseAnsi, styleAttribute } from '../../../src-renderer/components/build/ansi';

describe('ANSI log lines', () => {
  it('splits a line into styled segments', () => {
    const { segments, end } = parseAnsi('plain \u001b[1;32mgreen bold\u001b[0m done');
    expect(segments).toEqual([
      { text: 'plain ', style: {} },
      { text: 'green bold', style: { bold: true, fg: 'var(--ansi-green)' } },
      { text: ' done', style: {} },
    ]);
    expect(end).toEqual({});
  });

  it('carries the style to the next line, as a terminal does', () => {
    const first = parseAnsi('\u001b[31mred starts');
    const second = parseAnsi('still red\u001b[39m then not', first.end);
    expect(second.segments).toEqual([
      { text: 'still red', style: { fg: 'var(--ansi-red)' } },
      { text: ' then not', style: {} },
    ]);
  });

  it('reads 256-colour and true-colour codes, bright colours and backgrounds', () => {
    const { segments } = parseAnsi('\u001b[38;5;196ma\u001b[48;2;1;2;3mb\u001b[0;94;101mc');
    expect(segments.map((s) => s.style)).toEqual([
      { fg: 'rgb(255, 0, 0)' },
      { fg: 'rgb(255, 0, 0)', bg: 'rgb(1, 2, 3)' },
      { fg: 'var(--ansi-bright-blue)', bg: 'var(--ansi-bright-red)' },
    ]);
  });

  it('drops other escape sequences and control characters, never the text', () => {
    const { segments } = parseAnsi('\u001b[2K\r\u001b[1Gprogress 50%\u0007\u001b]0;title\u0007 ok');
    expect(segments).toEqual([{ text: 'progress 50% ok', style: {} }]);
  });

  it('renders styles as inline CSS, swapping colours for inverse', () => {
    expect(styleAttribute({ fg: 'red', bold: true, underline: true })).toBe(
      'color: red; font-weight: 700; text-decoration: underline',
    );
    expect(styleAttribute({ fg: 'red', inverse: true })).toBe('color: var(--log-bg); background: red');
  });
});
