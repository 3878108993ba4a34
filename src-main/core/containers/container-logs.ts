import type Docker from 'dockerode';
import type { Readable } from 'node:stream';
import { containerFailure } from './container-failure';
import { StreamDemuxer, type OutputFrame } from './stream-demuxer';

export interface LogsOptions {
  /** Container name or ID. */
  container: string;
  /** Only the last N lines (as `docker logs --tail`); all when absent. */
  tail?: number;
  /** Prefix each line with the engine's RFC 3339 timestamp. */
  timestamps?: boolean;
  /** Only lines after this time (unix seconds). */
  since?: number;
  signal?: AbortSignal;
}

export interface FollowLogsOptions extends LogsOptions {
  /** Called with each chunk of output as it arrives, ANSI escapes kept. */
  onOutput: (frame: OutputFrame) => void;
}

/** Why following logs stopped. */
export type FollowEnd = 'ended' | 'cancelled';

/** Read a container's logs so far: stdout and stderr interleaved as the engine kept them, ANSI escapes kept. */
export async function readLogs(docker: Docker, options: LogsOptions): Promise<string> {
  const parts: Buffer[] = [];
  await streamLogs(docker, { ...options, follow: false, onOutput: (frame) => parts.push(frame.data) });
  return Buffer.concat(parts).toString('utf8');
}

/**
 * Follow a container's logs (as `docker logs -f`) until the container stops or `signal` aborts.
 * Resolves with how it ended; rejects when the engine refuses (e.g. the container does not exist).
 */
export async function followLogs(docker: Docker, options: FollowLogsOptions): Promise<FollowEnd> {
  return streamLogs(docker, { ...options, follow: true });
}

async function streamLogs(docker: Docker, options: FollowLogsOptions & { follow: boolean }): Promise<FollowEnd> {
  const container = docker.getContainer(options.container);
  let stream: Readable;
  let tty: boolean;
  try {
    const info = await container.inspect(options.signal ? { abortSignal: options.signal } : {});
    tty = info.Config.Tty;
    // Through the modem directly: dockerode's non-follow logs() parses the body as JSON when it happens to be
    // valid JSON (a container that printed "42" would come back as a number), so we always take the raw stream.
    stream = await dialLogs(docker, info.Id, options);
  } catch (err) {
    if (options.signal?.aborted) return 'cancelled';
    throw containerFailure(err, { action: 'read the logs of', container: options.container });
  }
  const demuxer = new StreamDemuxer(options.onOutput);
  return new Promise<FollowEnd>((resolve, reject) => {
    const onAbort = (): void => {
      stream.destroy();
      resolve('cancelled');
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    stream.on('data', (chunk: Buffer) => {
      if (tty) options.onOutput({ stream: 'stdout', data: chunk });
      else demuxer.push(chunk);
    });
    stream.on('end', () => {
      options.signal?.removeEventListener('abort', onAbort);
      resolve('ended');
    });
    stream.on('error', (err) => {
      options.signal?.removeEventListener('abort', onAbort);
      if (options.signal?.aborted) resolve('cancelled');
      else reject(containerFailure(err, { action: 'read the logs of', container: options.container }));
    });
  });
}

function dialLogs(docker: Docker, id: string, options: LogsOptions & { follow: boolean }): Promise<Readable> {
  const query: Record<string, unknown> = {
    stdout: true,
    stderr: true,
    follow: options.follow,
    timestamps: options.timestamps ?? false,
    ...(options.tail !== undefined ? { tail: String(options.tail) } : {}),
    ...(options.since !== undefined ? { since: options.since } : {}),
  };
  return new Promise((resolve, reject) => {
    docker.modem.dial(
      {
        path: `/containers/${encodeURIComponent(id)}/logs?`,
        method: 'GET',
        isStream: true,
        ...(options.signal ? { abortSignal: options.signal } : {}),
        statusCodes: { 200: true, 404: 'no such container', 500: 'server error' },
        options: query,
      },
      (err: unknown, stream: unknown) => (err ? reject(err) : resolve(stream as Readable)),
    );
  });
}
