import type { Duplex } from 'node:stream';
import { toStrataError, type StrataError } from '$shared/engine/errors';
import { DetachKeyWatcher } from './detach-keys';
import { StreamDemuxer } from './stream-demuxer';

/** How a terminal session ended. `detached` leaves the container (and an exec'd shell) running. */
export interface TerminalExit {
  reason: 'detached' | 'exited' | 'error';
  /** Exit code of the attached process, when it exited. */
  exitCode?: number;
  error?: StrataError;
}

/** A live terminal into a container: bytes in, bytes out, resize, detach. Closing never kills the container. */
export interface TerminalSession {
  readonly kind: 'attach' | 'exec';
  readonly containerId: string;
  /** The exec instance's ID, for `exec` sessions. */
  readonly execId?: string;
  /** Send typed bytes (keys, pasted text) to the process's stdin. */
  write(data: string | Uint8Array): void;
  /** Resize the TTY to the terminal's size. */
  resize(cols: number, rows: number): Promise<void>;
  /** Subscribe to output (ANSI kept). Output that arrived before the first subscriber is replayed to it. */
  onData(listener: (chunk: Buffer) => void): () => void;
  /** Subscribe to the end of the session; called at once when it already ended. */
  onExit(listener: (exit: TerminalExit) => void): () => void;
  /** Detach with the detach keys, as Ctrl+P Ctrl+Q does; resolves when the engine has let go. */
  detach(): Promise<TerminalExit>;
  /** Resolves when the session ends, however it ends. */
  readonly exited: Promise<TerminalExit>;
}

export interface SessionWiring {
  kind: 'attach' | 'exec';
  containerId: string;
  execId?: string;
  socket: Duplex;
  /** True when the output is raw (a TTY); false when it is multiplexed and must be split. */
  tty: boolean;
  detachSequence: number[];
  /**
   * Keep the detach keys from the engine and let go ourselves. Podman's API does not detach on them: it
   * passes them to the process (a shell's line editor takes Ctrl+P as "previous line", which then mangles
   * the next command after a re-attach). Docker detaches on them itself, so there they are sent.
   */
  withholdDetachKeys?: boolean;
  resize(cols: number, rows: number): Promise<void>;
  /** Decide how the session ended once the engine closed the stream. */
  settle(detachRequested: boolean): Promise<TerminalExit>;
}

/** Output kept for a view that has not subscribed yet; beyond this the oldest is dropped. */
const BACKLOG_LIMIT = 1024 * 1024;
/** If the engine has not closed the stream this long after the detach keys, let go ourselves. */
const DETACH_GRACE_MS = 3000;

/** Build the session handle around a hijacked engine stream. */
export function createTerminalSession(wiring: SessionWiring): TerminalSession {
  const dataListeners = new Set<(chunk: Buffer) => void>();
  const exitListeners = new Set<(exit: TerminalExit) => void>();
  let backlog: Buffer[] = [];
  let backlogBytes = 0;
  let ended = false;
  let detachRequested = false;
  let result: TerminalExit | undefined;
  const watcher = new DetachKeyWatcher(wiring.detachSequence);
  const { socket } = wiring;
  const withhold = wiring.withholdDetachKeys === true;
  // Withholding: the typed bytes that could still be the start of the detach keys, kept until they are not.
  let held: number[] = [];
  const sequence = wiring.detachSequence;
  /** What to send of `bytes` when withholding the detach keys; the rest is held or was the sequence. */
  const passable = (bytes: Uint8Array): Buffer => {
    const out: number[] = [];
    for (const byte of bytes) {
      if (byte === sequence[held.length]) {
        held.push(byte);
        // The whole sequence: nothing of it, nor anything typed after it, goes to the process.
        if (held.length === sequence.length) {
          held = [];
          break;
        }
        continue;
      }
      out.push(...held);
      held = [];
      if (byte === sequence[0]) held.push(byte);
      else out.push(byte);
    }
    return Buffer.from(out);
  };

  const emit = (chunk: Buffer): void => {
    if (dataListeners.size === 0) {
      backlog.push(chunk);
      backlogBytes += chunk.length;
      while (backlogBytes > BACKLOG_LIMIT && backlog.length > 1) backlogBytes -= backlog.shift()!.length;
      return;
    }
    for (const listener of dataListeners) listener(chunk);
  };
  const demuxer = new StreamDemuxer((frame) => emit(frame.data));
  socket.on('data', (chunk: Buffer) => (wiring.tty ? emit(chunk) : demuxer.push(chunk)));

  const exited = new Promise<TerminalExit>((resolve) => {
    const finish = (): void => {
      if (ended) return;
      ended = true;
      socket.destroy();
      // The session ends whatever settle() does: if it fails, the session ended with that error (else
      // `exited` would never resolve and the terminal's job would run on forever).
      void wiring
        .settle(detachRequested || watcher.detachTyped)
        .catch((err: unknown): TerminalExit => ({ reason: 'error', error: toStrataError(err) }))
        .then((exit) => {
          result = exit;
          resolve(exit);
          for (const listener of exitListeners) listener(exit);
          exitListeners.clear();
        });
    };
    socket.on('end', finish);
    socket.on('close', finish);
    // A reset connection ends the session like a close does; settle() tells what happened to the process.
    socket.on('error', finish);
  });

  let resizing: Promise<void> = Promise.resolve();

  return {
    kind: wiring.kind,
    containerId: wiring.containerId,
    ...(wiring.execId ? { execId: wiring.execId } : {}),
    exited,
    write(data) {
      if (ended || (withhold && watcher.detachTyped)) return;
      const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
      const typedBefore = watcher.detachTyped;
      const out = withhold ? passable(bytes) : bytes;
      watcher.feed(bytes);
      if (out.length > 0) socket.write(out);
      if (withhold && watcher.detachTyped) {
        // The keys never reach the process: let go now (what came before them is already written).
        socket.destroy();
        return;
      }
      // The engine detaches and closes the stream; should it not, the session lets go by itself after a
      // grace period, as detach() does.
      if (watcher.detachTyped && !typedBefore) {
        const timer = setTimeout(() => socket.destroy(), DETACH_GRACE_MS);
        void exited.finally(() => clearTimeout(timer));
      }
    },
    resize(cols, rows) {
      if (ended) return Promise.resolve();
      const w = Math.max(1, Math.floor(cols));
      const h = Math.max(1, Math.floor(rows));
      // One at a time, in the order asked: a window dragged sends sizes in bursts, and two resize requests in
      // flight at once can land in either order (Podman's often do), leaving the TTY at a size already gone.
      const run = resizing.then(() => (ended ? undefined : wiring.resize(w, h)));
      resizing = run.catch(() => undefined);
      return run;
    },
    onData(listener) {
      dataListeners.add(listener);
      if (backlog.length > 0) {
        const replay = backlog;
        backlog = [];
        backlogBytes = 0;
        for (const chunk of replay) listener(chunk);
      }
      return () => dataListeners.delete(listener);
    },
    onExit(listener) {
      if (result) {
        listener(result);
        return () => undefined;
      }
      exitListeners.add(listener);
      return () => exitListeners.delete(listener);
    },
    async detach() {
      if (!ended) {
        detachRequested = true;
        if (withhold) socket.destroy();
        else socket.write(Buffer.from(wiring.detachSequence));
        const timer = setTimeout(() => socket.destroy(), DETACH_GRACE_MS);
        void exited.finally(() => clearTimeout(timer));
      }
      return exited;
    },
  };
}
