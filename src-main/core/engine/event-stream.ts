import type Docker from 'dockerode';
import { JsonLineSplitter } from './json-lines';

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
      // Every line the engine sends is a JSON event; anything else is not worth dropping the stream for. A
      // line cut off by the stream's end is no whole event and is left unread.
      const splitter = new JsonLineSplitter<RawEvent>(() => undefined);
      const deliver = (events: RawEvent[]) => {
        for (const raw of events) {
          try {
            options.onEvent(toRecord(raw));
          } catch {
            // One event a listener cannot take does not stop the others.
          }
        }
      };
      stream.on('data', (chunk: Buffer) => deliver(splitter.push(chunk)));
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
