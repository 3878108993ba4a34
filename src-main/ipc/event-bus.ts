import type { PushedEvent, PushedEventName } from './contract';

export type EventListener = <N extends PushedEventName>(name: N, payload: PushedEvent<N>) => void;

const BACKLOG_LIMIT = 2000;

/**
 * Pushes events from main to whoever listens (the window, or browser-preview sockets). Events emitted
 * while nobody listens are kept and replayed to the first listener, so nothing said during start-up is lost.
 */
export class EventBus {
  private readonly listeners = new Set<EventListener>();
  private backlog: Array<[PushedEventName, unknown]> = [];

  emit<N extends PushedEventName>(name: N, payload: PushedEvent<N>): void {
    if (this.listeners.size === 0) {
      this.backlog.push([name, payload]);
      if (this.backlog.length > BACKLOG_LIMIT) this.backlog.splice(0, this.backlog.length - BACKLOG_LIMIT);
      return;
    }
    for (const listener of this.listeners) listener(name, payload);
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    const replay = this.backlog;
    this.backlog = [];
    for (const [name, payload] of replay) listener(name, payload as never);
    return () => this.listeners.delete(listener);
  }
}
