import { isGoSpace } from '../go/text';

const HEREDOC = /^(\d*)<<(-?)([^<]*)$/u;

/** Split a line into shell words, keeping quotes and backslashes (the lexer's RawQuotes/RawEscapes). */
function rawShellWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote = '';
  const chars = Array.from(line);
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] as string;
    if (quote) {
      word += ch;
      if (ch === '\\' && quote === '"' && i + 1 < chars.length) word += chars[++i];
      else if (ch === quote) quote = '';
      continue;
    }
    if (isGoSpace(ch.codePointAt(0) as number)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      continue;
    }
    inWord = true;
    word += ch;
    if (ch === '\\' && i + 1 < chars.length) word += chars[++i];
    else if (ch === "'" || ch === '"') quote = ch;
  }
  if (inWord) words.push(word);
  return words;
}

/** Remove shell quoting from one word (no variable expansion). */
export function unquoteShellWord(word: string, escapeToken = '\\'): string {
  let out = '';
  let quote = '';
  const chars = Array.from(word);
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] as string;
    if (quote === "'") {
      if (ch === "'") quote = '';
      else out += ch;
    } else if (quote === '"') {
      if (ch === '"') quote = '';
      else if (ch === escapeToken && i + 1 < chars.length && ['"', '$', escapeToken].includes(chars[i + 1] as string))
        out += chars[++i];
      else out += ch;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === escapeToken && i + 1 < chars.length) out += chars[++i];
    else out += ch;
  }
  return out;
}

/** A here-document opener found on an instruction line (`<<EOF`, `<<-"EOT"`, `3<<END`). */
export interface HeredocOpener {
  name: string;
  chomp: boolean;
  expand: boolean;
  fileDescriptor: number;
}

/** heredocsFromLine, minimal: the here-document openers of a RUN/COPY/ADD line, in order. */
export function heredocOpeners(line: string): HeredocOpener[] {
  const out: HeredocOpener[] = [];
  for (const word of rawShellWords(line)) {
    const m = HEREDOC.exec(word);
    if (!m || (m[3] as string) === '') continue;
    const rest = m[3] as string;
    const words = rawShellWords(rest);
    if (words.length !== 1) continue;
    const name = unquoteShellWord(rest);
    out.push({
      name,
      chomp: m[2] === '-',
      expand: !/["']/.test(rest),
      fileDescriptor: m[1] ? Number(m[1]) : 0,
    });
  }
  return out;
}
