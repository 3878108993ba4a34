import type { RawData } from 'ws';
import type { Reply } from '../ipc/dispatch';

/**
 * The largest WebSocket message the preview accepts, set on purpose rather than left to ws's default: the
 * largest request the contract admits is `files.save` with 1 MiB of text, which JSON escaping can grow to
 * 6 bytes a character (control characters become `\u00XX`); 8 MiB holds that with room for the envelope.
 * Terminal input, the other large request, is sent in chunks well below this (see the renderer's transport).
 * A larger message closes the socket with 1009 (message too big).
 */
export const MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

/** One request as the renderer's transport sends it: `{ id, channel, payload }`. */
export interface IpcRequest {
  id: number | string;
  channel: unknown;
  payload: unknown;
}

/** What the host sends back for a message: the parsed request, or the refusal to send as its answer. */
export type ParsedMessage = { ok: true; request: IpcRequest } | { ok: false; id: number | string | null; reply: Reply };

function refuse(id: number | string | null, message: string): ParsedMessage {
  return { ok: false, id, reply: { ok: false, error: { code: 'invalid-input', message } } };
}

function validId(id: unknown): id is number | string {
  return (typeof id === 'number' && Number.isSafeInteger(id)) || (typeof id === 'string' && id.length <= 64);
}

/**
 * Read one WebSocket message as a request. Anything else (binary, not JSON, not an object, no usable id)
 * is answered with `invalid-input` rather than ignored, so a client never waits on a message we dropped;
 * the channel and payload are left for dispatch to check against the contract.
 */
export function parseIpcMessage(data: RawData, isBinary: boolean): ParsedMessage {
  if (isBinary) return refuse(null, 'Request refused: messages are JSON text, not binary.');
  const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
  const text = bytes.toString('utf8');
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return refuse(null, 'Request refused: the message is not JSON.');
  }
  if (typeof message !== 'object' || message === null || Array.isArray(message)) {
    return refuse(null, 'Request refused: a request is a JSON object with an id, a channel and a payload.');
  }
  const { id, channel, payload } = message as Record<string, unknown>;
  if (!validId(id)) return refuse(null, 'Request refused: the request has no usable id.');
  return { ok: true, request: { id, channel, payload } };
}

/** The reply as JSON; a result that cannot be serialised becomes an `internal` error rather than a throw. */
export function replyJson(id: number | string | null, reply: Reply): string {
  try {
    return JSON.stringify({ id, reply });
  } catch (err) {
    return JSON.stringify({
      id,
      reply: {
        ok: false,
        error: { code: 'internal', message: `The answer could not be sent: ${(err as Error).message}` },
      },
    });
  }
}
