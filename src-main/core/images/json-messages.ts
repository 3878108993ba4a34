import { jsonLines, keepAsStreamText } from '../engine/json-lines';

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

/** Read newline-separated JSON messages from a response stream, however the transport cuts it. */
export function engineMessages(stream: AsyncIterable<Buffer | string>): AsyncGenerator<EngineMessage> {
  return jsonLines<EngineMessage>(stream, keepAsStreamText);
}

/** The error a message carries, if any. */
export function messageError(message: EngineMessage): string | undefined {
  return message.errorDetail?.message ?? message.error;
}
