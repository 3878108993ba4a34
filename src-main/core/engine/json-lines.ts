/**
 * The engine's streamed answers (/build, /images/load, /images/create, /events) are JSON objects, one per line
 * (LF or CRLF), cut anywhere by the transport, even inside a UTF-8 character. This is the one reader of them.
 */
export class JsonLineSplitter<T extends object> {
  private pending = '';
  private readonly decoder = new TextDecoder('utf-8');

  /** `onText` says what a non-empty line that is not a JSON object becomes: a message, or nothing (dropped). */
  constructor(private readonly onText: (line: string) => T | undefined) {}

  /** Add the next piece of the stream; returns the messages whose lines it completed. */
  push(chunk: Uint8Array | string): T[] {
    this.pending += typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    const lines = this.pending.split('\n');
    this.pending = lines.pop() ?? '';
    return lines.flatMap((line) => this.parseLine(line));
  }

  /** The stream ended: its last line, even without a newline. */
  end(): T[] {
    const rest = this.pending + this.decoder.decode();
    this.pending = '';
    return this.parseLine(rest);
  }

  private parseLine(raw: string): T[] {
    const line = raw.trim();
    if (!line) return [];
    try {
      const value = JSON.parse(line) as unknown;
      if (value && typeof value === 'object' && !Array.isArray(value)) return [value as T];
    } catch {
      // Not JSON: onText decides.
    }
    const text = this.onText(line);
    return text === undefined ? [] : [text];
  }
}

/**
 * For jsonmessage streams (build, load, import): a line that is not JSON is output text, kept rather than lost,
 * as the docker CLI prints it.
 */
export function keepAsStreamText(line: string): { stream: string } {
  return { stream: `${line}\n` };
}

/** The messages of a whole response stream, read through a JsonLineSplitter. */
export async function* jsonLines<T extends object>(
  stream: AsyncIterable<Uint8Array | string>,
  onText: (line: string) => T | undefined,
): AsyncGenerator<T> {
  const splitter = new JsonLineSplitter<T>(onText);
  for await (const chunk of stream) yield* splitter.push(chunk);
  yield* splitter.end();
}
