import type Docker from 'dockerode';
import type { Duplex } from 'node:stream';
import { StrataError } from '$shared/engine/errors';
import { containerFailure } from './container-failure';
import { DEFAULT_DETACH_KEYS, detachKeyBytes } from './detach-keys';
import { createTerminalSession, type TerminalExit, type TerminalSession } from './terminal-session';

export interface OpenTerminalOptions {
  /** Container name or ID; it must be running. */
  container: string;
  /**
   * `attach` joins the container's main process (its TTY), `exec` starts a new shell beside it, `auto` attaches
   * when the container has a TTY with stdin open and execs otherwise (default).
   */
  mode?: 'attach' | 'exec' | 'auto';
  /** Command for `exec` sessions (default `['sh']`). */
  shell?: string[];
  /** Initial terminal size. */
  cols?: number;
  rows?: number;
  /**
   * Start the container after attaching when it is not running yet, as `docker run -it` does, so the terminal
   * sees its output from the first byte.
   */
  start?: boolean;
  /** Docker detach-keys spec (default `ctrl-p,ctrl-q`). */
  detachKeys?: string;
  /** The engine: Podman's API passes the detach keys to the process, so there the session detaches itself. */
  engine?: 'docker' | 'podman';
  signal?: AbortSignal;
}

/** How long to wait, after the stream closed, for the engine to report the process as exited. */
const SETTLE_POLLS = 20;
const SETTLE_INTERVAL_MS = 50;

/** Open an interactive terminal into a running container: attach to its TTY or exec a shell in it. */
export async function openTerminal(docker: Docker, options: OpenTerminalOptions): Promise<TerminalSession> {
  const detachKeys = options.detachKeys ?? DEFAULT_DETACH_KEYS;
  const detachSequence = detachKeyBytes(detachKeys);
  const withholdDetachKeys = options.engine === 'podman';
  const container = docker.getContainer(options.container);
  const abort = options.signal ? { abortSignal: options.signal } : {};
  const fail = (err: unknown, action: string): StrataError =>
    containerFailure(err, { action, container: options.container });

  let info: Docker.ContainerInspectInfo;
  try {
    info = await container.inspect(abort);
  } catch (err) {
    throw fail(err, 'open a terminal in');
  }
  const startAfterAttach = !!options.start && !info.State.Running && !info.State.Paused;
  if (startAfterAttach) {
    const session = await openAttach(container, info, { detachKeys, detachSequence, withholdDetachKeys, abort, fail });
    try {
      await container.start(abort);
    } catch (err) {
      void session.detach();
      throw fail(err, 'start');
    }
    // Only a running container's TTY can be resized; the shell reads the new size on SIGWINCH.
    if (options.cols && options.rows) await session.resize(options.cols, options.rows).catch(() => undefined);
    return session;
  }
  if (!info.State.Running || info.State.Paused) {
    throw new StrataError(
      'conflict',
      `Container ${info.Name.replace(/^\//, '')} is ${info.State.Paused ? 'paused' : 'not running'}: ${info.State.Paused ? 'unpause' : 'start'} it to open a terminal.`,
      { container: info.Id, state: info.State.Status },
    );
  }
  const mode = options.mode ?? 'auto';
  const attach = mode === 'attach' || (mode === 'auto' && info.Config.Tty && info.Config.OpenStdin);
  const session = attach
    ? await openAttach(container, info, { detachKeys, detachSequence, withholdDetachKeys, abort, fail })
    : await openExec(container, info, {
        detachKeys,
        detachSequence,
        withholdDetachKeys,
        abort,
        fail,
        shell: options.shell ?? ['sh'],
      });
  if (options.cols && options.rows) await session.resize(options.cols, options.rows).catch(() => undefined);
  return session;
}

interface OpenContext {
  detachKeys: string;
  detachSequence: number[];
  withholdDetachKeys: boolean;
  abort: { abortSignal?: AbortSignal };
  fail: (err: unknown, action: string) => StrataError;
}

async function openAttach(
  container: Docker.Container,
  info: Docker.ContainerInspectInfo,
  ctx: OpenContext,
): Promise<TerminalSession> {
  let socket: Duplex;
  try {
    socket = await attachWithoutBody(container, ctx);
  } catch (err) {
    throw ctx.fail(err, 'attach to');
  }
  return createTerminalSession({
    kind: 'attach',
    containerId: info.Id,
    socket,
    tty: info.Config.Tty,
    detachSequence: ctx.detachSequence,
    withholdDetachKeys: ctx.withholdDetachKeys,
    resize: async (cols, rows) => {
      if (!info.Config.Tty) return;
      try {
        await container.resize({ w: cols, h: rows });
      } catch (err) {
        throw ctx.fail(err, 'resize the terminal of');
      }
    },
    settle: (detachRequested) =>
      settle(detachRequested, async () => {
        const state = (await container.inspect()).State;
        return { running: state.Running, exitCode: state.ExitCode };
      }),
  });
}

async function openExec(
  container: Docker.Container,
  info: Docker.ContainerInspectInfo,
  ctx: OpenContext & { shell: string[] },
): Promise<TerminalSession> {
  let exec: Docker.Exec;
  let socket: Duplex;
  try {
    exec = await container.exec({
      Cmd: ctx.shell,
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      Tty: true,
      DetachKeys: ctx.detachKeys,
      ...ctx.abort,
    });
    socket = (await exec.start({ hijack: true, stdin: true, Tty: true, ...ctx.abort })) as Duplex;
  } catch (err) {
    throw ctx.fail(err, 'start a shell in');
  }
  return createTerminalSession({
    kind: 'exec',
    containerId: info.Id,
    execId: exec.id,
    socket,
    tty: true,
    detachSequence: ctx.detachSequence,
    withholdDetachKeys: ctx.withholdDetachKeys,
    resize: async (cols, rows) => {
      try {
        await exec.resize({ w: cols, h: rows });
      } catch (err) {
        throw ctx.fail(err, 'resize the terminal of');
      }
    },
    settle: (detachRequested) =>
      settle(detachRequested, async () => {
        if (detachRequested) {
          // Some engines (20.10 among them) mishandle the exec detach keys: they end the exec'd shell (exit code
          // 126) instead of leaving it in the background. What the person asked for, and got, is a container still running.
          const state = (await container.inspect()).State;
          return { running: state.Running, exitCode: state.ExitCode };
        }
        const state = await exec.inspect();
        return { running: state.Running, exitCode: state.ExitCode ?? undefined };
      }),
  });
}

/**
 * The stream closes a moment before the engine records the process's exit, so ask a few times before
 * concluding the process is still running (which means we detached, or the engine let go of us).
 */
async function settle(
  detachRequested: boolean,
  state: () => Promise<{ running: boolean; exitCode: number | undefined }>,
): Promise<TerminalExit> {
  try {
    for (let i = 0; i < SETTLE_POLLS; i++) {
      const now = await state();
      if (!now.running) return { reason: 'exited', ...(now.exitCode !== undefined ? { exitCode: now.exitCode } : {}) };
      if (detachRequested) return { reason: 'detached' };
      await new Promise((r) => setTimeout(r, SETTLE_INTERVAL_MS));
    }
    return { reason: 'detached' };
  } catch (err) {
    // The container may have been removed meanwhile: the session is over either way.
    const failure = err instanceof StrataError ? err : new StrataError('internal', (err as Error).message);
    return { reason: 'error', error: failure };
  }
}

/**
 * POST /containers/{id}/attach with the options in the query and an empty body. dockerode's attach also sends
 * its options as a JSON body, which Docker ignores but Podman hands to the container as its first stdin (the
 * shell then runs `{"stream":true,…}`); and with no body at all it never sends the request.
 */
function attachWithoutBody(container: Docker.Container, ctx: OpenContext): Promise<Duplex> {
  const query = { stream: true, stdin: true, stdout: true, stderr: true, detachKeys: ctx.detachKeys };
  return new Promise((resolve, reject) => {
    container.modem.dial(
      {
        path: `/containers/${container.id}/attach?`,
        method: 'POST',
        isStream: true,
        hijack: true,
        file: Buffer.alloc(0),
        headers: { 'Content-Type': 'text/plain' },
        statusCodes: { 200: true, 404: 'no such container', 500: 'server error' },
        options: query,
        ...(ctx.abort.abortSignal ? { abortSignal: ctx.abort.abortSignal } : {}),
      },
      (err: unknown, stream: unknown) => (err ? reject(err as Error) : resolve(stream as Duplex)),
    );
  });
}
