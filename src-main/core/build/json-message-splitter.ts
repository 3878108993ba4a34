import type { BuildMessage } from './build-events';

/**
 * Splits the engine's /build response (JSON messages separated by CRLF, cut anywhere by the transport)
 * into messages. A line that is not JSON is kept as plain output rather than dropped.
 */
export class JsonMessageSplitter {
  private pending = '';
  private readonly decoder = new TextDecoder('utf-8');

  push(chunk: Uint8Array | string): BuildMessage[] {
    this.pending += typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    const lines = this.pending.split('\n');
    this.pending = lines.pop() ?? '';
    return lines.flatMap((line) => parseLine(line));
  }

  end(): BuildMessage[] {
    const rest = this.pending + this.decoder.decode();
    this.pending = '';
    return parseLine(rest);
  }
}

function parseLine(raw: string): BuildMessage[] {
  const line = raw.trim();
  if (!line) return [];
  try {
    const value = JSON.parse(line) as unknown;
    if (value && typeof value === 'object' && !Array.isArray(value)) return [value as BuildMessage];
  } catch {
    // not JSON: fall through
  }
  return [{ stream: `${line}\n` }];
}
