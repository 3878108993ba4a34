import { StringDecoder } from 'node:string_decoder';
import type { Services } from '../services';
import { followLogs, readLogs } from '../../core/containers/container-logs';
import {
  removeContainer,
  restartContainer,
  startContainer,
  stopContainer,
} from '../../core/containers/container-lifecycle';
import { listContainers } from '../../core/containers/list-containers';
import { openTerminal } from '../../core/containers/open-terminal';
import { followTerminal } from '../../core/containers/terminal-output';
import { runContainer } from '../../core/containers/run-container';
import type { TerminalExit, TerminalSession } from '../../core/containers/terminal-session';
import { StrataError } from '$shared/engine/errors';
import type { TerminalExitReport } from '../contract/jobs';
import type { DomainHandlers } from '../dispatch';

function exitReport(exit: TerminalExit): TerminalExitReport {
  return {
    reason: exit.reason,
    ...(exit.exitCode !== undefined ? { exitCode: exit.exitCode } : {}),
    ...(exit.error ? { message: exit.error.message } : {}),
  };
}

export function containersHandlers(s: Services): DomainHandlers<'containers'> {
  const sessions = s.terminals;
  const session = (jobId: string): TerminalSession => {
    const found = sessions.get(jobId);
    if (!found) throw new StrataError('not-found', 'This terminal session has ended. Open a new terminal.', { jobId });
    return found;
  };

  return {
    list: ({ all }) => listContainers(s.engine.docker(), { all }),
    start: async ({ container }) => {
      await startContainer(s.engine.docker(), { container });
      return { ok: true as const };
    },
    stop: async ({ container, timeoutSeconds }) => {
      await stopContainer(s.engine.docker(), {
        container,
        ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
      });
      return { ok: true as const };
    },
    restart: async ({ container, timeoutSeconds }) => {
      await restartContainer(s.engine.docker(), {
        container,
        ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
      });
      return { ok: true as const };
    },
    remove: async ({ container, force }) => {
      await removeContainer(s.engine.docker(), { container, force });
      return { ok: true as const };
    },
    run: ({ image, name, command, env, interactive, remove, ports, volumes, workdir, user, start }) =>
      runContainer(s.engine.docker(), {
        image,
        env,
        interactive,
        remove,
        ports,
        volumes,
        start,
        ...(name ? { name } : {}),
        ...(command && command.length > 0 ? { command } : {}),
        ...(workdir ? { workdir } : {}),
        ...(user ? { user } : {}),
      }),
    logs: ({ container, tail, follow, timestamps }) => {
      const docker = s.engine.docker();
      const jobId = s.jobs.start({
        kind: 'logs',
        title: `Logs of ${container}`,
        run: async ({ signal, emit }) => {
          const decoders = {
            stdout: new StringDecoder('utf8'),
            stderr: new StringDecoder('utf8'),
            stdin: new StringDecoder('utf8'),
          };
          const options = { container, timestamps, signal, ...(tail !== undefined ? { tail } : {}) };
          if (!follow) {
            emit('output', { stream: 'stdout', text: await readLogs(docker, options) });
            return { ended: 'ended' };
          }
          const ended = await followLogs(docker, {
            ...options,
            onOutput: (frame) =>
              emit('output', { stream: frame.stream, text: decoders[frame.stream].write(frame.data) }),
          });
          return { ended };
        },
      });
      return { jobId };
    },
    openTerminal: async ({ container, mode, cols, rows, start }) => {
      const docker = s.engine.docker();
      // Opened before the job starts so a refusal (stopped container, gone) answers this request directly.
      const status = s.engine.status;
      const terminal = await openTerminal(docker, {
        container,
        mode,
        start,
        engine: status.state === 'connected' && status.engine.product === 'Podman' ? 'podman' : 'docker',
        ...(cols !== undefined ? { cols } : {}),
        ...(rows !== undefined ? { rows } : {}),
      });
      const jobId = s.jobs.start({
        kind: 'terminal',
        title: `Terminal in ${container}`,
        run: async ({ signal, emit }) => {
          emit('step', {
            kind: terminal.kind,
            containerId: terminal.containerId,
            ...(terminal.execId ? { execId: terminal.execId } : {}),
          });
          try {
            return exitReport(await followTerminal(terminal, { signal, onOutput: (text) => emit('output', text) }));
          } finally {
            sessions.delete(jobId);
          }
        },
      });
      sessions.set(jobId, terminal);
      return { jobId };
    },
    terminalInput: ({ jobId, data }) => {
      session(jobId).write(data);
      return { ok: true as const };
    },
    terminalResize: async ({ jobId, cols, rows }) => {
      await session(jobId).resize(cols, rows);
      return { ok: true as const };
    },
    terminalDetach: async ({ jobId }) => exitReport(await session(jobId).detach()),
  };
}
