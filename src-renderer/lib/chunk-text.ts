/**
 * Cut text into pieces of at most `max` UTF-16 units, never between the two halves of a surrogate pair (a
 * lone half would reach the terminal as U+FFFD). Joining the pieces gives the text back.
 */
export function chunkText(text: string, max: number): string[] {
  if (max < 2) throw new RangeError('chunks must hold at least one surrogate pair');
  const chunks: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(start + max, text.length);
    const code = text.charCodeAt(end - 1);
    if (end < text.length && code >= 0xd800 && code <= 0xdbff) end -= 1;
    chunks.push(text.slice(start, end));
    start = end;
  }
  return chunks;
}
