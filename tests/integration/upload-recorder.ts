import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createServices, disposeServices, type Services } from '../../src-main/ipc/services';
import { dispatch, type Reply } from '../../src-main/ipc/dispatch';
import { createHandlers } from '../../src-main/ipc/handlers';
import { removeImagesWithNonce } from './build/build-context';

/**
 * A loopback proxy on a unix socket of our own in front of the test engine: every request is passed
 * through unchanged, and the body of each POST /build (the build context as uploaded) is kept, byte for
 * byte. Point DOCKER_HOST at `host` to see exactly what the app sends.
 */
export async function startRecordingProxy(engineHost: string): Promise<{
  host: string;
  uploads: Buffer[];
  /** The URL of each upgraded request (POST /session for BuildKit's sessions), in order. */
  upgrades: string[];
  close: () => Promise<void>;
}> {
  if (!engineHost.startsWith('unix://'))
    throw new Error(`the recording proxy needs a unix socket engine, not ${engineHost}`);
  const engineSocket = engineHost.slice('unix://'.length);
  const dir = await mkdtemp(path.join(tmpdir(), 'strata-proxy-'));
  const socket = path.join(dir, 'docker.sock');
  const uploads: Buffer[] = [];
  const upgrades: string[] = [];
  const server = http.createServer((req, res) => {
    const isBuild = req.method === 'POST' && /^(\/v[\d.]+)?\/build(\?|$)/.test(req.url ?? '');
    const chunks: Buffer[] = [];
    const upstream = http.request(
      { socketPath: engineSocket, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', (err) => {
      if (!res.headersSent) res.writeHead(502);
      res.end(String(err));
    });
    req.on('data', (c: Buffer) => {
      if (isBuild) chunks.push(c);
    });
    req.on('end', () => {
      if (isBuild) uploads.push(Buffer.concat(chunks));
    });
    req.pipe(upstream);
  });
  // A BuildKit build opens a session (POST /session, upgraded to h2c) through which the engine pulls the
  // context: pass upgraded connections through as raw bytes.
  const raw = new Set<net.Socket>();
  server.on('upgrade', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    upgrades.push(req.url ?? '');
    const upstream = net.connect(engineSocket, () => {
      const lines = [`${req.method} ${req.url} HTTP/${req.httpVersion}`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      upstream.write(lines.join('\r\n') + '\r\n\r\n');
      if (head.length) upstream.write(head);
      client.pipe(upstream).pipe(client);
    });
    for (const s of [client, upstream]) {
      raw.add(s);
      s.on('error', () => (client.destroy(), upstream.destroy()));
      s.on('close', () => raw.delete(s));
    }
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  return {
    host: `unix://${socket}`,
    uploads,
    upgrades,
    close: async () => {
      for (const s of raw) s.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The app's services and handlers talking to the engine through a recording proxy. */
export interface RecordedApp {
  services: Services;
  /** What went through to the engine: each POST /build body, each upgraded connection. */
  proxy: { uploads: Buffer[]; upgrades: string[] };
  /** Call a channel as the trusted window would; a failure reply is thrown with its code. */
  call<T>(channel: string, payload: unknown): Promise<T>;
  /** build.start of the folder, run to its end; the job's id and the build context exactly as it was uploaded. */
  buildAndRecord(request: { contextDir: string; options: Record<string, unknown> }): Promise<{
    jobId: string;
    state: string;
    upload: Buffer;
  }>;
  /** Removes the images built with `nonce` in a RUN, stops the services and the proxy. */
  close(nonce: string): Promise<void>;
}

/**
 * The app (services, handlers, dispatch) with its engine behind a recording proxy, so a test compares what a
 * panel or the CLI says with what build.start really uploaded. Shared by the tests that hold the two equal.
 */
export async function startRecordedApp(options: { engineHost: string; dataDir: string }): Promise<RecordedApp> {
  const proxy = await startRecordingProxy(options.engineHost);
  const services = createServices({ dataDir: options.dataDir, env: { ...process.env, DOCKER_HOST: proxy.host } });
  const handlers = createHandlers(services);
  const trusted = { trusted: true, description: 'test' };
  const call = async <T>(channel: string, payload: unknown): Promise<T> => {
    const reply: Reply = await dispatch(handlers, channel, payload, trusted);
    if (!reply.ok) throw Object.assign(new Error(reply.error.message), reply.error);
    return reply.result as T;
  };
  try {
    await services.engine.connect();
  } catch (err) {
    disposeServices(services);
    await proxy.close();
    throw err;
  }
  return {
    services,
    proxy,
    call,
    async buildAndRecord(request) {
      const before = proxy.uploads.length;
      const { jobId } = await call<{ jobId: string }>('build.start', request);
      const { state } = await services.jobs.settled(jobId);
      if (proxy.uploads.length !== before + 1) {
        throw new Error(`build.start uploaded ${proxy.uploads.length - before} build contexts, not one`);
      }
      return { jobId, state, upload: proxy.uploads.at(-1) as Buffer };
    },
    async close(nonce) {
      try {
        await removeImagesWithNonce(services.engine.docker(), nonce);
      } finally {
        disposeServices(services);
        await proxy.close();
      }
    },
  };
}
