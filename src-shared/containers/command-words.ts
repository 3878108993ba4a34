/**
 * Split a command typed into a form the way a POSIX shell splits words — whitespace separates, single quotes
 * keep everything, double quotes keep everything but `\"` and `\\`, a backslash outside quotes escapes the next
 * character — so `sh -c 'echo hi'` becomes ['sh', '-c', 'echo hi'] as `docker run IMAGE sh -c 'echo hi'` would.
 * No expansion happens. A JSON array is taken as the argv itself. Pure: safe for the renderer.
 */
export function splitCommandWords(input: string): { words: string[] } | { error: string } {
  const trimmed = input.trim();
  if (trimmed.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (Array.isArray(parsed) && parsed.every((w): w is string => typeof w === 'string')) return { words: parsed };
    } catch {
      // Not JSON: fall through and split it as shell words, as docker would receive them from a shell.
    }
  }
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < input.length; i++) {
    const c = input[i]!;
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && (input[i + 1] === '"' || input[i + 1] === '\\')) word += input[++i];
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < input.length) {
      word += input[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) return { error: `Unclosed ${quote === '"' ? 'double' : 'single'} quote in the command.` };
  if (inWord) words.push(word);
  return { words };
}
