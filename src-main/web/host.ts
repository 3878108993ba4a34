import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import { dispatch, type Handlers } from '../ipc/dispatch';
import type { EventBus } from '../ipc/event-bus';
import { CONTENT_SECURITY_POLICY } from './csp';
import { MAX_MESSAGE_BYTES, parseIpcMessage, replyJson } from './ipc-message';

export interface WebHostOptions {
  /** 0 picks any free port. */
  port: number;
  rendererDir: string;
  handlers: Handlers;
  bus: EventBus;
  /** Fixed token (tests); a random one otherwise. */
  token?: string;
}

export interface WebHost {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const mimeTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
};

/**
 * The browser preview: the built renderer over HTTP and the very same IPC handlers over a WebSocket, on
 * 127.0.0.1 only. The socket needs the token (from the URL fragment, sent on the handshake) and our own
 * Origin; the Host header must be ours too, which stops DNS-rebinding pages.
 */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const tokenBytes = Buffer.from(token);
  const root = normalize(options.rendererDir + sep);
  let port = options.port;
  const ownHost = () => `127.0.0.1:${port}`;
  const ownOrigin = () => `http://${ownHost()}`;

  // Any page on the machine can send us requests (an <img> is enough), so nothing a request carries may
  // end the process: every failure becomes a 4xx answer.
  const server = createServer((req, res) => {
    serveFile(req, res).catch(() => {
      if (res.headersSent) res.destroy();
      else end(res, 400, 'Bad request');
    });
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function serveFile(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.headers.host !== ownHost()) return end(res, 421, 'Misdirected request');
    if (req.method !== 'GET' && req.method !== 'HEAD') return end(res, 405, 'Method not allowed');
    let path = requestPath(req.url, ownOrigin());
    if (path === undefined) return end(res, 400, 'Bad request');
    if (path.endsWith('/')) path += 'index.html';
    const file = normalize(join(root, path));
    if (!file.startsWith(root)) return end(res, 403, 'Forbidden');
    try {
      const info = await stat(file);
      if (!info.isFile()) return end(res, 404, 'Not found');
      res.writeHead(200, {
        'Content-Type': mimeTypes[extname(file)] ?? 'application/octet-stream',
        'Content-Length': info.size,
        'Content-Security-Policy': CONTENT_SECURITY_POLICY,
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
        'Cross-Origin-Opener-Policy': 'same-origin',
        'X-Frame-Options': 'DENY',
        'Cache-Control': file.endsWith('.html') ? 'no-store' : 'public, max-age=300',
      });
      if (req.method === 'HEAD') return void res.end();
      // The file can vanish or turn unreadable between stat and open: end the response, not the process.
      createReadStream(file)
        .on('error', () => res.destroy())
        .pipe(res);
    } catch {
      end(res, 404, 'Not found');
    }
  }

  server.on('upgrade', (req, socket, head) => {
    // node:http drops its own error listener from an upgraded socket; a reset before ws takes it over
    // would otherwise be an uncaught error.
    socket.on('error', () => socket.destroy());
    const refuse = (status: number, reason: string) => {
      socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      socket.destroy();
    };
    let url: URL;
    try {
      url = new URL(req.url ?? '/', ownOrigin());
    } catch {
      return refuse(400, 'Bad Request');
    }
    if (url.pathname !== '/ipc') return refuse(404, 'Not Found');
    if (req.headers.host !== ownHost()) return refuse(421, 'Misdirected Request');
    if (req.headers.origin !== ownOrigin()) return refuse(403, 'Forbidden');
    const given = Buffer.from(url.searchParams.get('token') ?? '');
    if (given.length !== tokenBytes.length || !timingSafeEqual(given, tokenBytes)) return refuse(401, 'Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => onSocket(ws));
  });

  function onSocket(ws: WebSocket): void {
    // ws reports a protocol error (bad UTF-8, unmasked frame, reserved bits or opcodes, a message over
    // MAX_MESSAGE_BYTES...) here after it has already sent a close frame with the matching code (1002,
    // 1007, 1009); without a listener the error would end the process.
    ws.on('error', () => undefined);
    const send = (text: string) => {
      if (ws.readyState === ws.OPEN) ws.send(text);
    };
    const unsubscribe = options.bus.subscribe((event, payload) => {
      try {
        send(JSON.stringify({ event, payload }));
      } catch {
        // An event that cannot be serialised is not worth the connection.
      }
    });
    ws.on('message', (data, isBinary) => {
      const message = parseIpcMessage(data, isBinary);
      if (!message.ok) return send(replyJson(message.id, message.reply));
      const { id, channel, payload } = message.request;
      void dispatch(options.handlers, channel, payload, {
        trusted: true,
        description: 'browser preview socket with a valid token',
      }).then((reply) => send(replyJson(id, reply)));
    });
    ws.on('close', unsubscribe);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `${ownOrigin()}/#token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The decoded path of a request target, or undefined when it is not a URL path we can read. */
function requestPath(target: string | undefined, origin: string): string | undefined {
  try {
    const path = decodeURIComponent(new URL(target ?? '/', origin).pathname);
    return path.includes('\0') ? undefined : path;
  } catch {
    return undefined;
  }
}

function end(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(text);
}
