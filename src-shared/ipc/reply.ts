import type { StrataErrorShape } from '../engine/errors';

/** What every request is answered with, over either transport: its result, or the one error shape. */
export type Reply = { ok: true; result: unknown } | { ok: false; error: StrataErrorShape };
