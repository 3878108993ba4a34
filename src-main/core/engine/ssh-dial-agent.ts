import { Agent, type ClientRequest, type ClientRequestArgs } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ClientChannel, ConnectConfig } from 'ssh2';
import { openSshChain, type SshChain } from './ssh-chain';

/** OpenSSH allows 10 sessions per connection (MaxSessions); stay under it and open another connection past it. */
const MAX_CHANNELS = 8;
/** An SSH connection with nothing open is closed after this long. */
const IDLE_CLOSE_MS = 30_000;
/** A dial-stdio channel kept for the next request is closed after this long unused. */
const FREE_CLOSE_MS = 10_000;

interface Connection {
  /** The SSH connection to the engine's host, through its jump hosts if it has any. */
  chain: SshChain;
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
 * Behind jump hosts (ProxyJump), each connection is a chain of SSH connections opened one through the other.
 */
export class SshDialAgent extends Agent {
  private readonly connections: Connection[] = [];
  private readonly channels = new WeakMap<Duplex, { connection: Connection; free?: NodeJS.Timeout }>();

  /**
   * `config`: what each SSH connection to the engine's host is opened with (ssh2 options: host, port, user, keys,
   * host key check); `jumps`: the same for each jump host on the way, in the order they are connected.
   */
  constructor(
    readonly config: ConnectConfig,
    readonly jumps: readonly ConnectConfig[] = [],
  ) {
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
      c.chain.end();
    }
  }

  private async open(retried = false): Promise<ClientChannel> {
    const connection = this.connections.find((c) => !c.closed && c.channels < c.limit) ?? this.connect();
    connection.channels += 1;
    clearTimeout(connection.idle);
    connection.chain.socket()?.ref?.();
    try {
      await connection.ready;
    } catch (err) {
      this.release(connection);
      throw err;
    }
    try {
      const stream = await new Promise<ClientChannel>((resolve, reject) =>
        connection.chain.client.exec('docker system dial-stdio', (err, channel) =>
          err ? reject(err) : resolve(channel),
        ),
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
    const connection = { channels: 0, busy: 0, limit: MAX_CHANNELS, closed: false } as Connection;
    connection.chain = openSshChain([...this.jumps, this.config], () => {
      connection.closed = true;
      clearTimeout(connection.idle);
      const at = this.connections.indexOf(connection);
      if (at >= 0) this.connections.splice(at, 1);
    });
    connection.ready = connection.chain.ready;
    connection.ready.catch(() => undefined);
    this.connections.push(connection);
    return connection;
  }

  /** Only channels carrying a request keep the process alive: a one-shot command must not wait for FREE_CLOSE_MS. */
  private setBusy(connection: Connection, change: number): void {
    connection.busy += change;
    if (connection.busy > 0) connection.chain.socket()?.ref?.();
    else connection.chain.socket()?.unref?.();
  }

  private release(connection: Connection): void {
    connection.channels -= 1;
    if (connection.channels > 0 || connection.closed) return;
    connection.idle = setTimeout(() => connection.chain.end(), IDLE_CLOSE_MS);
    connection.idle.unref();
    // An idle connection must not keep the process alive (a one-shot command would wait for the idle close).
    connection.chain.socket()?.unref?.();
  }
}
