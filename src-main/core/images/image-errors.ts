import { stat } from 'node:fs/promises';
import { StrataError, toStrataError } from '$shared/engine/errors';
import type { ErrorCode, ErrorDetails } from '$shared/engine/errors';

/**
 * dockerode puts the engine's message in `json.message` for JSON endpoints but only inside
 * `message` ("(HTTP code 500) server error - <engine message> ") for streaming ones; recover it.
 */
function streamedEngineMessage(err: unknown): string | undefined {
  if (!err || typeof err !== 'object') return undefined;
  const e = err as { json?: unknown; message?: unknown; statusCode?: unknown };
  if (typeof e.statusCode !== 'number' || e.json != null || typeof e.message !== 'string') return undefined;
  const match = /^\(HTTP code \d+\) [^-]*- ([\s\S]*)$/.exec(e.message);
  const text = match?.[1]?.trim();
  return text ? text : undefined;
}

/**
 * Wrap a failure from the engine with what we were doing ("Could not tag busybox as app:1"), keeping
 * the engine's HTTP status and its own message in `details` so the IPC layer can tell a 409 from a 500.
 */
export function engineFailure(err: unknown, doing: string, hint?: string): StrataError {
  const base = toStrataError(err);
  if (base.code === 'cancelled' || base.code === 'engine-unreachable') return base;
  const streamed = streamedEngineMessage(err);
  const details: ErrorDetails = { ...base.details, ...(streamed ? { engineMessage: streamed } : {}) };
  const reason = (details.engineMessage ?? base.message).replace(/[.\s]+$/, '');
  const suggestion = hint ?? (base.code === 'not-found' ? 'Refresh the list: the image may have been removed.' : '');
  return new StrataError(base.code, `${doing}: ${reason}${suggestion ? `. ${suggestion}` : ''}`, details);
}

/**
 * A failure we detect ourselves, before or instead of asking the engine (a bad tag, a folder that does not
 * exist, an image that containers use). No HTTP status: `status` says what the engine answered, and the app
 * shows it as "Engine answered 400", which would send a person looking at the engine for a local mistake.
 */
export function imageProblem(code: ErrorCode, message: string, details?: ErrorDetails): StrataError {
  return new StrataError(code, message, details);
}

/** The error thrown when an AbortSignal fires, recognised as `cancelled` by the IPC layer. */
export function cancelled(what: string): StrataError {
  return new StrataError('cancelled', `${what} was cancelled.`);
}

/** True when the error means "no such image" (404 from the engine). */
export function isNotFound(err: unknown): boolean {
  return !!err && typeof err === 'object' && (err as { statusCode?: unknown }).statusCode === 404;
}

/**
 * A local file that cannot be read for the engine, said with its path. No HTTP status: the engine was never
 * asked, and "Engine answered 400" would send a person looking in the wrong place.
 */
export async function localFileProblem(file: string, expected: string): Promise<StrataError | undefined> {
  const info = await stat(file).catch((err: NodeJS.ErrnoException) => err);
  if (info instanceof Error) {
    const why =
      info.code === 'ENOENT'
        ? 'does not exist'
        : info.code === 'EACCES'
          ? 'cannot be read (permission denied)'
          : `cannot be read (${info.code ?? info.message})`;
    return new StrataError('invalid-input', `The file ${file} ${why}: choose ${expected}.`, {
      field: 'source',
      path: file,
    });
  }
  if (!info.isFile()) {
    return new StrataError('invalid-input', `${file} is not a file: choose ${expected}.`, {
      field: 'source',
      path: file,
    });
  }
  return undefined;
}
