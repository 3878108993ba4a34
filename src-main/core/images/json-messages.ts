/** A message of the engine's JSON progress streams (load, import): jsonmessage.JSONMessage. */
export interface EngineMessage {
  stream?: string;
  status?: string;
  id?: string;
  progress?: string;
  progressDetail?: { current?: number; total?: number };
  error?: string;
  errorDetail?: { message?: string; code?: number };
  aux?: unknown;
}

function parseLine(raw: string): EngineMessage[] {
  const line = raw.trim();
  if (!line) return [];
  try {
    const value = JSON.parse(line) as unknown;
    if (value && typeof value === 'object' && !Array.isArray(value)) return [value as EngineMessage];
  } catch {
    // Not JSON: keep the text rather than lose it.
  }
  return [{ stream: `${line}\n` }];
}

/** Read newline-separated JSON messages from a response stream, however the transport cuts it. */
export async function* engineMessages(stream: AsyncIterable<Buffer | string>): AsyncGenerator<EngineMessage> {
  const decoder = new TextDecoder('utf-8');
  let pending = '';
  for await (const chunk of stream) {
    pending += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) yield* parseLine(line);
  }
  yield* parseLine(pending + decoder.decode());
}

/** The error a message carries, if any. */
export function messageError(message: EngineMessage): string | undefined {
  return message.errorDetail?.message ?? message.error;
}
