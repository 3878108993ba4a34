import type Docker from 'dockerode';

export interface EngineEventRecord {
  type: string;
  action: string;
  id: string;
  name?: string;
  time: number;
}

interface RawEvent {
  Type?: string;
  Action?: string;
  status?: string;
  id?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
  time?: number;
}

/** Follow the engine's `/events` stream; calls onEnd once when it drops (so the caller can reconnect). */
export function watchEngineEvents(options: {
  docker: Docker;
  onEvent(event: EngineEventRecord): void;
  onEnd(): void;
}): () => void {
  const controller = new AbortController();
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    if (!controller.signal.aborted) options.onEnd();
  };
  options.docker
    .getEvents({ abortSignal: controller.signal } as Docker.GetEventsOptions)
    .then((stream) => {
      let buffered = '';
      stream.on('data', (chunk: Buffer) => {
        buffered += chunk.toString('utf8');
        let newline: number;
        while ((newline = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, newline).trim();
          buffered = buffered.slice(newline + 1);
          if (!line) continue;
          try {
            options.onEvent(toRecord(JSON.parse(line) as RawEvent));
          } catch {
            // A line we cannot read is not worth dropping the stream for.
          }
        }
      });
      stream.on('end', end);
      stream.on('close', end);
      stream.on('error', end);
    })
    .catch(end);
  return () => {
    controller.abort();
  };
}

function toRecord(raw: RawEvent): EngineEventRecord {
  const name = raw.Actor?.Attributes?.name;
  return {
    type: raw.Type ?? 'unknown',
    action: raw.Action ?? raw.status ?? 'unknown',
    id: raw.Actor?.ID ?? raw.id ?? '',
    ...(name ? { name } : {}),
    time: raw.time ?? Math.floor(Date.now() / 1000),
  };
}
