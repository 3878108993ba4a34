import type { Duplex } from 'node:stream';
// ssh2 is CommonJS: its default export works both bundled and as an external Node import.
import ssh2, { type Client, type ConnectConfig } from 'ssh2';

/** Which SSH connection of a route failed (0 = the first jump host), and at what. */
export interface SshHopFailure {
  hop: number;
  /** `connect`: reaching, checking or logging in to that host; `forward`: it would not forward to the next one. */
  stage: 'connect' | 'forward';
}

const FAILURE = Symbol('ssh hop failure');

/** The hop an error of an SSH route came from, if it came from one. */
export function sshHopFailure(err: unknown): SshHopFailure | undefined {
  return (err as { [FAILURE]?: SshHopFailure } | null)?.[FAILURE];
}

/** Mark an error with the hop it came from (the first mark stays: it is where the route broke). */
export function markSshHopFailure<E extends Error>(err: E, failure: SshHopFailure): E {
  if (sshHopFailure(err) === undefined) Object.defineProperty(err, FAILURE, { value: failure });
  return err;
}

/** SSH connections opened one through the other, as `ssh -J` does: the last one carries the engine's channels. */
export interface SshChain {
  /** The connection to the last host (the engine's): its channels run `docker system dial-stdio`. */
  client: Client;
  /** Resolves once every host is connected, checked and logged in to; rejects with the first hop's failure. */
  ready: Promise<void>;
  /** The TCP socket under the whole chain (the first host's), which alone can keep the process alive. */
  socket(): { ref?(): void; unref?(): void } | undefined;
  /** Close every connection, the last first. */
  end(): void;
}

/**
 * Connect to the first host, ask it to forward a connection to the next host's address (a direct-tcpip channel,
 * what `ssh -W host:port` asks for), run the next SSH connection over that channel, and so on: each host checked
 * and logged in to with its own settings. Any connection closing closes them all, and `onClose` is told once.
 */
export function openSshChain(hops: readonly ConnectConfig[], onClose: () => void): SshChain {
  if (hops.length === 0) throw new Error('An SSH route needs at least one host.');
  const clients = hops.map(() => new ssh2.Client());
  const client = clients.at(-1)!;
  let ended = false;
  let told = false;
  let resolveReady!: () => void;
  let rejectReady!: (err: Error) => void;
  const ready = new Promise<void>((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });

  const end = () => {
    if (ended) return;
    ended = true;
    // The last first, so each one's goodbye still travels through the hosts before it.
    for (const c of [...clients].reverse()) c.end();
  };
  const fail = (err: Error, hop: number, stage: SshHopFailure['stage']) => {
    rejectReady(markSshHopFailure(err, { hop, stage }));
    end();
    if (!told) {
      told = true;
      onClose();
    }
  };

  clients.forEach((c, hop) => {
    c.on('error', (err: Error) => fail(err, hop, 'connect'));
    c.on('close', () =>
      fail(new Error(`the SSH connection to ${hostOf(hops[hop]!)} closed before it was ready`), hop, 'connect'),
    );
  });

  const connect = (hop: number, sock?: Duplex) => {
    const c = clients[hop]!;
    c.once('ready', () => {
      const next = hops[hop + 1];
      if (next === undefined) return resolveReady();
      if (ended) return;
      // The originator address is informational; OpenSSH's `-W` sends the loopback address too.
      c.forwardOut('127.0.0.1', 0, String(next.host), next.port ?? 22, (err, channel) => {
        if (err) return fail(err, hop, 'forward');
        if (ended) return void channel.destroy();
        connect(hop + 1, channel);
      });
    });
    c.connect(sock ? { ...hops[hop], sock } : hops[hop]!);
  };
  connect(0);

  return {
    client,
    ready,
    // ssh2 keeps its socket private; reached only to ref/unref it, and harmless if it is not there.
    socket: () => (clients[0] as unknown as { _sock?: { ref?(): void; unref?(): void } })._sock,
    end,
  };
}

function hostOf(config: ConnectConfig): string {
  const host = String(config.host);
  return `${host.includes(':') ? `[${host}]` : host}:${config.port ?? 22}`;
}
