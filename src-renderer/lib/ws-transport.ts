import { chunkText } from './chunk-text';
import type { Reply } from '$shared/ipc/reply';
import type { RawEventListener, Transport } from './transport';

/**
 * Terminal input is sent in pieces of at most this many characters: a paste can be 1 MiB, and JSON can
 * write a control character in 6 bytes, which would pass the preview's message limit (8 MiB) and close the
 * socket. 64 Ki characters is at most 384 KiB a message.
 */
export const TERMINAL_INPUT_CHUNK = 64 * 1024;

/**
 * The browser preview's transport: one WebSocket to the preview host, authenticated by the token from the
 * URL fragment. Requests wait for the socket; if the socket drops, it reconnects with backoff.
 */
export function createWsTransport(token: string, location: Location = window.location): Transport {
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ipc?token=${encodeURIComponent(token)}`;
  const pending = new Map<number, (reply: Reply) => void>();
  const eventListeners = new Set<RawEventListener>();
  const closedListeners = new Set<(reason: string) => void>();
  let nextId = 1;
  let socket: WebSocket | undefined;
  let opened: Promise<WebSocket> | undefined;
  let retry = 0;

  function open(): Promise<WebSocket> {
    opened ??= new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.onopen = () => {
        retry = 0;
        socket = ws;
        resolve(ws);
      };
      ws.onmessage = (message) => {
        const data = JSON.parse(String(message.data)) as {
          id?: number;
          reply?: Reply;
          event?: string;
          payload?: unknown;
        };
        if (data.event) for (const l of eventListeners) l(data.event, data.payload);
        else if (typeof data.id === 'number') {
          pending.get(data.id)?.(data.reply as Reply);
          pending.delete(data.id);
        }
      };
      ws.onclose = () => {
        const wasOpen = socket === ws;
        socket = undefined;
        opened = undefined;
        for (const [id, done] of pending) {
          done({
            ok: false,
            error: { code: 'internal', message: 'Lost the connection to the Strata preview server.' },
          });
          pending.delete(id);
        }
        for (const l of closedListeners) l('The Strata preview server is not answering.');
        if (!wasOpen)
          reject(
            new Error(
              'Could not reach the Strata preview server (is `npm run web` still running, and is the token right?).',
            ),
          );
        retry += 1;
        // A failed reconnect is reported by its own close (the listeners above), and tries again from there.
        setTimeout(() => void open().catch(() => undefined), Math.min(500 * 2 ** retry, 5000));
      };
    });
    return opened;
  }

  function send(ws: WebSocket, channel: string, payload: unknown): Promise<Reply> {
    const id = nextId++;
    return new Promise<Reply>((resolve) => {
      pending.set(id, resolve);
      ws.send(JSON.stringify({ id, channel, payload }));
    });
  }

  return {
    async invoke(channel, payload) {
      const ws = socket ?? (await open());
      const input = payload as { jobId?: unknown; data?: unknown } | null;
      if (channel !== 'containers.terminalInput' || typeof input?.data !== 'string') return send(ws, channel, payload);
      // The pieces are sent back to back, so nothing typed meanwhile can land between them; the host runs
      // requests in the order they arrive. The answer is the first failure, or the last piece's.
      const replies = chunkText(input.data, TERMINAL_INPUT_CHUNK).map((data) => send(ws, channel, { ...input, data }));
      const all = await Promise.all(replies);
      return all.find((r) => !r.ok) ?? all[all.length - 1] ?? send(ws, channel, payload);
    },
    onEvent(listener) {
      eventListeners.add(listener);
      // Connects for the events; a failure reaches the onClosed listeners and is retried.
      void open().catch(() => undefined);
      return () => eventListeners.delete(listener);
    },
    onClosed(listener) {
      closedListeners.add(listener);
      return () => closedListeners.delete(listener);
    },
  };
}
