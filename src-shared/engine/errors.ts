/** The one error shape that crosses from main to the renderer. */
export type ErrorCode =
  'engine-unreachable' | 'not-found' | 'conflict' | 'invalid-input' | 'forbidden' | 'cancelled' | 'internal';

export interface ErrorDetails {
  /** HTTP status the engine answered with, when the engine answered. */
  status?: number;
  /** The engine's own message, verbatim. */
  engineMessage?: string;
  [key: string]: unknown;
}

export interface StrataErrorShape {
  code: ErrorCode;
  message: string;
  details?: ErrorDetails;
}

export class StrataError extends Error implements StrataErrorShape {
  readonly code: ErrorCode;
  readonly details?: ErrorDetails;
  constructor(code: ErrorCode, message: string, details?: ErrorDetails) {
    super(message);
    this.name = 'StrataError';
    this.code = code;
    if (details) this.details = details;
  }
  toJSON(): StrataErrorShape {
    return { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) };
  }
}

const unreachableCodes = new Set(['ECONNREFUSED', 'ENOENT', 'ECONNRESET', 'EPIPE', 'EHOSTUNREACH', 'ETIMEDOUT']);

function statusToCode(status: number): ErrorCode {
  if (status === 404) return 'not-found';
  if (status === 409) return 'conflict';
  if (status === 400 || status === 422) return 'invalid-input';
  return 'internal';
}

/** Engine messages arrive as `{ message }` JSON, a Buffer or a string, depending on the endpoint. */
function engineMessageOf(err: Record<string, unknown>): string | undefined {
  const json = err.json as unknown;
  if (json && typeof json === 'object' && typeof (json as { message?: unknown }).message === 'string') {
    return (json as { message: string }).message;
  }
  if (typeof json === 'string' && json.trim()) return json.trim();
  // A Buffer is a Uint8Array; decoded as Buffer#toString does (BOM kept), without naming Node's Buffer.
  if (json instanceof Uint8Array) return new TextDecoder('utf-8', { ignoreBOM: true }).decode(json).trim();
  // Some endpoints (/build) leave json null and put the engine's text in the message:
  // "(HTTP code 400) unexpected - <engine message>".
  const fromMessage = typeof err.message === 'string' ? /^\(HTTP code \d+\) [^-]*- (.+)$/s.exec(err.message) : null;
  if (fromMessage?.[1]?.trim()) return fromMessage[1].trim();
  const reason = err.reason;
  return typeof reason === 'string' ? reason : undefined;
}

/**
 * Turn anything thrown by dockerode, Node or our own code into a StrataError, keeping the engine's HTTP
 * status and message in `details` so the renderer can tell a 409 from a 500.
 */
export function toStrataError(err: unknown): StrataError {
  if (err instanceof StrataError) return err;
  if (err && typeof err === 'object') {
    const e = err as Record<string, unknown> & { message?: string; name?: string; code?: string };
    if (e.name === 'AbortError' || e.code === 'ABORT_ERR') return new StrataError('cancelled', 'Cancelled.');
    const status = typeof e.statusCode === 'number' ? e.statusCode : undefined;
    if (status !== undefined) {
      const engineMessage = engineMessageOf(e);
      const message = engineMessage ? capitalise(engineMessage) : `The engine answered ${status}.`;
      const code = podmanConflict(e, status)
        ? 'conflict'
        : podmanNotFound(e, status)
          ? 'not-found'
          : statusToCode(status);
      return new StrataError(code, message, {
        status,
        ...(engineMessage ? { engineMessage } : {}),
      });
    }
    if (
      typeof e.code === 'string' &&
      unreachableCodes.has(e.code) &&
      /connect|socket|pipe|read/i.test(String(e.syscall ?? e.message))
    ) {
      return new StrataError('engine-unreachable', 'The container engine is not reachable. Start it, then try again.', {
        cause: e.message,
      });
    }
    if (typeof e.message === 'string') return new StrataError('internal', e.message);
  }
  return new StrataError('internal', String(err));
}

/** Podman answers 500 where Docker answers 409 (a name in use, removing a running container); its `cause` says which. */
function podmanConflict(e: Record<string, unknown>, status: number): boolean {
  const cause = (e.json as { cause?: unknown } | null | undefined)?.cause;
  return status === 500 && typeof cause === 'string' && /already in use|is in use|container state improper/.test(cause);
}

/**
 * Podman answers 500 where Docker answers 404 for an image it does not have, asked for by its bare 64-hex ID:
 * finding no such ID it reads the hex as a name and refuses it ("cannot specify 64-byte hexadecimal strings").
 */
function podmanNotFound(e: Record<string, unknown>, status: number): boolean {
  const json = e.json as { cause?: unknown; message?: unknown } | null | undefined;
  const text = [json?.cause, json?.message].filter((t) => typeof t === 'string').join(' ');
  return status === 500 && /cannot specify 64-byte hexadecimal strings|no such image|image not known/i.test(text);
}

function capitalise(s: string): string {
  return s.length ? s[0]!.toUpperCase() + s.slice(1) : s;
}
