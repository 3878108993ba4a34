/**
 * A BuildKit session with the engine (POST /session, upgraded to h2c): the engine becomes the gRPC client
 * on the hijacked connection and we serve it. Exposed: FileSync.DiffCopy (the build context and the
 * Dockerfile's folder) and the health check the engine calls every few seconds (it drops a session that
 * does not answer). The shared key names the context folder, so the engine finds what it kept from the
 * last build of that folder and asks only for the files that changed.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import * as grpc from '@grpc/grpc-js';
import { decodePacket, encodePacket, HEALTH_SERVING, type Packet } from './fsutil-wire';
import { FILE_SYNC_METHOD, serveDiffCopy, type SyncDir, TransferCounter } from './file-sync-service';

const HEALTH_METHOD = '/grpc.health.v1.Health/Check';

export interface BuildSession {
  id: string;
  counter: TransferCounter;
  /** The first failure of a file transfer, if any, to name in the build's error. */
  readonly transferError: Error | null;
  close(): void;
}

/** The engine refused the session: it has no BuildKit session endpoint (Podman, old engines). */
export class SessionRefusedError extends Error {
  constructor(
    message: string,
    readonly statusCode?: number,
  ) {
    super(message);
  }
}

/** A stable key for a folder, so rebuilds of it reuse what the engine kept (docker/cli hashes the path too). */
export function sharedKeyFor(dir: string): string {
  return createHash('sha256').update(`strata:${dir}`).digest('hex');
}

const identity = (b: Buffer): Buffer => b;

function services(
  dirs: ReadonlyMap<string, SyncDir>,
  session: { counter: TransferCounter; fail(err: Error): void; signal: AbortSignal },
) {
  const fileSync: grpc.ServiceDefinition = {
    DiffCopy: {
      path: FILE_SYNC_METHOD,
      requestStream: true,
      responseStream: true,
      requestSerialize: encodePacket,
      requestDeserialize: decodePacket,
      responseSerialize: encodePacket,
      responseDeserialize: decodePacket,
      originalName: 'diffCopy',
    },
  };
  const health: grpc.ServiceDefinition = {
    Check: {
      path: HEALTH_METHOD,
      requestStream: false,
      responseStream: false,
      requestSerialize: identity,
      requestDeserialize: identity,
      responseSerialize: () => HEALTH_SERVING,
      responseDeserialize: identity,
      originalName: 'check',
    },
  };
  const fileSyncImpl: grpc.UntypedServiceImplementation = {
    DiffCopy: (call: grpc.ServerDuplexStream<Packet, Packet>) => {
      serveDiffCopy(call, dirs, session.counter, session.signal).catch((err: Error & { code?: number }) => {
        session.fail(err);
        if (call.destroyed || call.writableEnded) return;
        call.emit('error', { code: err.code ?? grpc.status.UNKNOWN, details: err.message });
      });
    },
  };
  const healthImpl: grpc.UntypedServiceImplementation = {
    Check: (_call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) =>
      callback(null, HEALTH_SERVING),
  };
  return [
    [fileSync, fileSyncImpl],
    [health, healthImpl],
  ] as const;
}

function dial(docker: Docker, headers: Record<string, string | string[]>): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    docker.modem.dial(
      {
        method: 'POST',
        path: '/session',
        hijack: true,
        // An empty body with Content-Length 0: without one docker-modem sends a chunked body, whose end
        // marker ("0\r\n\r\n") can reach the engine after it has taken the connection over, where its
        // HTTP/2 client reads it as a broken frame and drops the session.
        file: Buffer.alloc(0),
        headers,
        statusCodes: { 101: true, 200: true, 400: 'bad request', 404: 'not found', 500: 'server error' },
      },
      (err: (Error & { statusCode?: number }) | null, socket: unknown) => {
        if (err) reject(new SessionRefusedError(err.message, err.statusCode));
        else resolve(socket as Duplex);
      },
    );
  });
}

/**
 * Open a session offering `dirs` by name. The engine must be asked to build with `session=<id>` and
 * `remote=client-session` before it calls back. Close it when the build's stream ends.
 */
export async function openBuildSession(
  docker: Docker,
  options: { dirs: ReadonlyMap<string, SyncDir>; sharedKey: string; name?: string },
): Promise<BuildSession> {
  const id = randomUUID();
  const counter = new TransferCounter();
  const controller = new AbortController();
  let transferError: Error | null = null;
  const socket = await dial(docker, {
    Upgrade: 'h2c',
    'X-Docker-Expose-Session-Uuid': id,
    'X-Docker-Expose-Session-Name': options.name ?? 'strata',
    'X-Docker-Expose-Session-Sharedkey': options.sharedKey,
    'X-Docker-Expose-Session-Grpc-Method': [FILE_SYNC_METHOD, HEALTH_METHOD],
  });
  const server = new grpc.Server({
    'grpc.max_receive_message_length': 16 * 1024 * 1024,
    'grpc.max_send_message_length': 16 * 1024 * 1024,
  });
  const session = {
    counter,
    signal: controller.signal,
    fail: (err: Error) => {
      transferError ??= err;
    },
  };
  for (const [definition, impl] of services(options.dirs, session)) server.addService(definition, impl);
  const injector = server.createConnectionInjector(grpc.ServerCredentials.createInsecure());
  injector.injectConnection(socket);
  socket.on('error', () => undefined);
  let closed = false;
  return {
    id,
    counter,
    get transferError() {
      return transferError;
    },
    close() {
      if (closed) return;
      closed = true;
      controller.abort();
      injector.destroy();
      server.forceShutdown();
      socket.destroy();
    },
  };
}
