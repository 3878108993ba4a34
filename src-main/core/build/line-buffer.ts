/**
 * Turns text that arrives in arbitrary pieces into whole lines, one buffer per key (a step and its
 * stream), so a line cut across two engine messages is shown once, whole.
 */
export class LineBuffer<K> {
  private readonly partial = new Map<K, string>();

  /** Add text under `key`; returns the lines it completed (without their `\n`). */
  push(key: K, text: string): string[] {
    const joined = (this.partial.get(key) ?? '') + text;
    const lines = joined.split('\n');
    const rest = lines.pop() ?? '';
    if (rest) this.partial.set(key, rest);
    else this.partial.delete(key);
    return lines.map(stripCarriageReturn);
  }

  /** The unfinished line under `key`, if any, now treated as finished. */
  flush(key: K): string[] {
    const rest = this.partial.get(key);
    this.partial.delete(key);
    return rest ? [stripCarriageReturn(rest)] : [];
  }

  /** Every unfinished line, by key. */
  flushAll(): Array<[K, string]> {
    const out = [...this.partial.entries()].map(([k, v]) => [k, stripCarriageReturn(v)] as [K, string]);
    this.partial.clear();
    return out;
  }
}

function stripCarriageReturn(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
