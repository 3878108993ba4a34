import { Agent, type ClientRequest, type ClientRequestArgs } from 'node:http';
import type { Duplex } from 'node:stream';
// ssh2 is CommonJS: its default export works both bundled and as an external Node import.
import ssh2, { type Client, type ClientChannel, type ConnectConfig } from 'ssh2';

/** OpenSSH allows 10 sessions per connection (MaxSessions); stay under it and open another connection past it. */
const MAX_CHANNELS = 8;
/** An SSH connection with nothing open is closed after this long. */
const IDLE_CLOSE_MS = 30_000;
/** A dial-stdio channel kept for the next request is closed after this long unused. */
const FREE_CLOSE_MS = 10_000;

interface Connection {
  client: Client;
  ready: Promise<void>;
  channels: number;
  /** Channels carrying a request now (the rest wait, kept alive, for the next one). */
  busy: number;
  /** How many channels this server allows on one connection: MAX_CHANNELS until it refuses one. */
  limit: number;
  closed: boolean;
  idle?: NodeJS.Timeout;
}

/**
 * An http.Agent whose every connection is `docker system dial-stdio` run on the remote, as the docker CLI does
 * for ssh:// hosts, but over one shared SSH connection (a channel per request). docker-modem's own ssh transport
 * makes a new SSH connection, with its key exchange and authentication, for every request: about a second each
 * on a busy machine, which a ping-then-version probe and a heartbeat cannot afford. Channels are kept alive
 * between requests, as HTTP connections are, so most requests start no process on the remote either.
 */
export class SshDialAgent extends Agent {
  private readonly connections: Connection[] = [];
  private readonly channels = new WeakMap<Duplex, { connection: Connection; free?: NodeJS.Timeout }>();

  /** What each SSH connection is opened with (ssh2 options: host, port, user, keys, host key check). */
  constructor(readonly config: ConnectConfig) {
    super({ keepAlive: true });
    // Assigned rather than overridden: Node calls it with a callback and accepts an asynchronous answer.
    (this as unknown as { createConnection: unknown }).createConnection = (
      _options: ClientRequestArgs,
      callback: (err: Error | null, stream?: Duplex) => void,
    ) => {
      this.open().then(
        (stream) => callback(null, stream),
        (err: Error) => callback(err),
      );
    };
  }

  /** A channel whose request is done waits for the next one; Node's default would touch TCP-only settings. */
  override keepSocketAlive(socket: Duplex): boolean {
    const channel = this.channels.get(socket);
    if (!channel) return false;
    channel.free = setTimeout(() => socket.destroy(), FREE_CLOSE_MS);
    channel.free.unref();
    this.setBusy(channel.connection, -1);
    return true;
  }

  override reuseSocket(socket: Duplex, request: ClientRequest): void {
    const channel = this.channels.get(socket);
    if (channel?.free) {
      clearTimeout(channel.free);
      channel.free = undefined;
      this.setBusy(channel.connection, +1);
    }
    (request as ClientRequest & { reusedSocket: boolean }).reusedSocket = true;
  }

  override destroy(): void {
    super.destroy();
    for (const c of this.connections.splice(0)) {
      c.closed = true;
      clearTimeout(c.idle);
      c.client.end();
    }
  }

  private async open(retried = false): Promise<ClientChannel> {
    const connection = this.connections.find((c) => !c.closed && c.channels < c.limit) ?? this.connect();
    connection.channels += 1;
    clearTimeout(connection.idle);
    socketOf(connection.client)?.ref?.();
    try {
      await connection.ready;
      const stream = await new Promise<ClientChannel>((resolve, reject) =>
        connection.client.exec('docker system dial-stdio', (err, channel) => (err ? reject(err) : resolve(channel))),
      );
      this.channels.set(stream, { connection });
      connection.busy += 1;
      stream.once('close', () => {
        const channel = this.channels.get(stream);
        if (channel?.free) clearTimeout(channel.free);
        else connection.busy -= 1;
        this.release(connection);
      });
      return stream;
    } catch (err) {
      this.release(connection);
      // A server with a lower MaxSessions refuses a channel past it: remember its limit, use another connection.
      const refused = (err as { reason?: unknown }).reason !== undefined && connection.channels > 0;
      if (!refused || retried) throw err;
      connection.limit = connection.channels;
      return this.open(true);
    }
  }

  private connect(): Connection {
    const client = new ssh2.Client();
    const connection: Connection = {
      client,
      channels: 0,
      busy: 0,
      limit: MAX_CHANNELS,
      closed: false,
      ready: new Promise<void>((resolve, reject) => {
        client.once('ready', resolve);
        client.once('error', reject);
      }),
    };
    connection.ready.catch(() => undefined);
    const drop = () => {
      connection.closed = true;
      clearTimeout(connection.idle);
      const at = this.connections.indexOf(connection);
      if (at >= 0) this.connections.splice(at, 1);
    };
    client.on('error', drop);
    client.on('close', drop);
    client.connect(this.config);
    this.connections.push(connection);
    return connection;
  }

  /** Only channels carrying a request keep the process alive: a one-shot command must not wait for FREE_CLOSE_MS. */
  private setBusy(connection: Connection, change: number): void {
    connection.busy += change;
    if (connection.busy > 0) socketOf(connection.client)?.ref?.();
    else socketOf(connection.client)?.unref?.();
  }

  private release(connection: Connection): void {
    connection.channels -= 1;
    if (connection.channels > 0 || connection.closed) return;
    connection.idle = setTimeout(() => connection.client.end(), IDLE_CLOSE_MS);
    connection.idle.unref();
    // An idle connection must not keep the process alive (a one-shot command would wait for the idle close).
    socketOf(connection.client)?.unref?.();
  }
}

/** ssh2 keeps its TCP socket private; reached only to ref/unref it, and harmless if it is not there. */
function socketOf(client: Client): { ref?(): void; unref?(): void } | undefined {
  return (client as unknown as { _sock?: { ref?(): void; unref?(): void } })._sock;
}
