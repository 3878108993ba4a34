import { StrataError, type ErrorCode } from '$shared/engine/errors';

/** A problem with the build context itself (missing directory, unreadable file), before anything is sent. */
export class ContextError extends StrataError {
  constructor(code: ErrorCode, message: string, details?: { path?: string; [key: string]: unknown }) {
    super(code, message, details);
    this.name = 'ContextError';
  }
}

/** The error a cancelled scan or upload ends with (recognised as 'cancelled' by toStrataError). */
export function abortError(): Error {
  const err = new Error('The operation was aborted');
  err.name = 'AbortError';
  return err;
}
