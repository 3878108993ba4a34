import type { Reply } from '../../../src-shared/ipc/reply';
import type { PreloadBridge, RawEventListener } from '../../../src-renderer/lib/transport';

/**
 * Stands in for the main process at the one door the renderer has: `window.strata`, the preload's bridge.
 * The renderer's own api client, job following and state modules run unchanged on top of it; only what
 * main would answer is scripted here (main's handlers are tested against the engine elsewhere).
 * Import this before any renderer module: api.ts picks its transport when it loads.
 */
type Handler = (request: never) => unknown;

const handlers = new Map<string, Handler>();
const listeners = new Set<RawEventListener>();
/** Every request the renderer sent, in order. */
export const sent: Array<{ channel: string; request: unknown }> = [];

const bridge: PreloadBridge = {
  async invoke(channel, payload): Promise<Reply> {
    sent.push({ channel, request: payload });
    const handler = handlers.get(channel);
    if (!handler) return { ok: false, error: { code: 'internal', message: `no answer scripted for ${channel}` } };
    try {
      return { ok: true, result: await handler(payload as never) };
    } catch (error) {
      const shape = error as { code?: string; message?: string; details?: Record<string, unknown> };
      return {
        ok: false,
        error: {
          code: (shape.code ?? 'internal') as never,
          message: shape.message ?? String(error),
          ...(shape.details ? { details: shape.details } : {}),
        },
      };
    }
  },
  onEvent(listener) {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  pathForFile: () => '',
};

const page = globalThis as unknown as Record<string, unknown>;
page.window = Object.assign(new EventTarget(), { strata: bridge, location: { hash: '' } });

export const ipc = {
  /** What main answers on a channel (`domain.method`); a throw becomes the error reply. */
  answer<Req = never, Res = unknown>(channel: string, handler: (request: Req) => Res | Promise<Res>): void {
    handlers.set(channel, handler as Handler);
  },
  /** An event main pushes (`job.event`, `files.changed`). */
  push(name: string, payload: unknown): void {
    for (const listener of [...listeners]) listener(name, payload);
  },
  /** The requests sent on one channel. */
  requests(channel: string): unknown[] {
    return sent.filter((s) => s.channel === channel).map((s) => s.request);
  },
  reset(): void {
    handlers.clear();
    sent.length = 0;
  },
};

/** An error as main sends it. */
export function engineError(code: string, message: string, details?: Record<string, unknown>): Error {
  return Object.assign(new Error(message), { code, ...(details ? { details } : {}) });
}

/** A promise resolved from outside, to decide when main's answer arrives. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve: (value: T) => void = () => undefined;
  let reject: (error: unknown) => void = () => undefined;
  const promise = new Promise<T>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  return { promise, resolve, reject };
}
