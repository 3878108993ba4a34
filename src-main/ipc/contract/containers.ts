import { z } from 'zod';
import type { ContainerSummary } from '../../core/containers/list-containers';
import type { RunContainerResult } from '../../core/containers/run-container';
import { channel, ok } from './define';
import { jobStarted, type TerminalExitReport } from './jobs';

const containerRef = z.string().min(1).max(256);
const jobId = z.string().min(1).max(64);
const terminalSize = z.number().int().min(1).max(2000);

const port = z.number().int().min(1).max(65535);
const portMapping = z
  .object({
    hostPort: port,
    containerPort: port,
    protocol: z.enum(['tcp', 'udp']).optional(),
    hostIp: z.ipv4().optional(),
  })
  .strict();
const bindVolume = z
  .object({
    source: z.string().min(1).max(4096),
    target: z.string().min(1).max(4096).startsWith('/'),
    readOnly: z.boolean().optional(),
  })
  .strict();

export const containers = {
  list: channel(z.object({ all: z.boolean().default(true) }).strict(), z.custom<ContainerSummary[]>()),
  start: channel(z.object({ container: containerRef }).strict(), ok),
  stop: channel(
    z.object({ container: containerRef, timeoutSeconds: z.number().int().min(0).max(600).optional() }).strict(),
    ok,
  ),
  restart: channel(
    z.object({ container: containerRef, timeoutSeconds: z.number().int().min(0).max(600).optional() }).strict(),
    ok,
  ),
  remove: channel(z.object({ container: containerRef, force: z.boolean().default(false) }).strict(), ok),
  /** Create and start a container (as `docker run -d`, with `-it` unless interactive is false). */
  run: channel(
    z
      .object({
        image: z.string().min(1).max(512),
        name: z
          .string()
          .max(128)
          .regex(
            /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/,
            'A name is letters, digits, "_", "." and "-", starting with a letter or digit',
          )
          .optional(),
        command: z.array(z.string().max(8192)).max(256).optional(),
        env: z.array(z.string().min(1).max(8192)).max(256).default([]),
        interactive: z.boolean().default(true),
        /** `--rm`: the engine removes the container when it stops. */
        remove: z.boolean().default(false),
        ports: z.array(portMapping).max(64).default([]),
        volumes: z.array(bindVolume).max(64).default([]),
        workdir: z.string().max(4096).optional(),
        user: z.string().max(256).optional(),
        /**
         * False creates the container without starting it, so a terminal can attach before its first output
         * (openTerminal with `start`), as `docker run -it` does.
         */
        start: z.boolean().default(true),
      })
      .strict(),
    z.custom<RunContainerResult>(),
  ),
  /** Logs as a job: `output` events carry `{ stream, text }` (ANSI kept); with follow it runs until cancelled or the container stops. */
  logs: channel(
    z
      .object({
        container: containerRef,
        tail: z.number().int().min(0).max(100_000).optional(),
        follow: z.boolean().default(true),
        timestamps: z.boolean().default(false),
      })
      .strict(),
    jobStarted<'logs'>(),
  ),
  /**
   * A terminal as a job: a `step` event says what it attached to, `output` events carry text, `done` carries
   * how it ended. Cancelling the job detaches; nothing here ever stops or kills the container.
   */
  openTerminal: channel(
    z
      .object({
        container: containerRef,
        mode: z.enum(['attach', 'exec', 'auto']).default('auto'),
        cols: terminalSize.optional(),
        rows: terminalSize.optional(),
        /** Start the (created) container once attached, so none of its first output is lost. */
        start: z.boolean().default(false),
      })
      .strict(),
    jobStarted<'terminal'>(),
  ),
  terminalInput: channel(z.object({ jobId, data: z.string().max(1024 * 1024) }).strict(), ok),
  terminalResize: channel(z.object({ jobId, cols: terminalSize, rows: terminalSize }).strict(), ok),
  /** Detach as Ctrl+P Ctrl+Q does; the container keeps running. */
  terminalDetach: channel(z.object({ jobId }).strict(), z.custom<TerminalExitReport>()),
};

/** core/containers' own type (responses are core types). */
export type ContainerSummaryDto = ContainerSummary;
export type TerminalExitDto = TerminalExitReport;
export type { TerminalOpened } from './jobs';
