import type { ConnectionStatus } from '../../core/engine/connection';
import type { EngineEventRecord } from '../../core/engine/event-stream';
import type { WatchedChange } from '../../core/files/file-watcher';
import type { JobEvent } from './jobs';

/**
 * Every event main pushes to the renderer, by name, with its payload. Main builds them from core's types,
 * so, like responses, they are typed rather than parsed.
 */
export interface PushedEvents {
  'engine.status': ConnectionStatus;
  /** What the engine said happened, narrowed to what the renderer needs to refresh its lists. */
  'engine.event': EngineEventRecord;
  'job.event': JobEvent;
  /** A menu item, a shortcut in the shell, or an "open with" asked the renderer to do something. */
  'app.command': { command: string; path?: string };
  /** A path given to the app (a launch, a second launch, "Open with") that cannot be opened: why, and what to do. */
  'app.open-refused': { path: string; message: string };
  /** A file or folder given to files.watch changed on disk (sha256 null: the file is gone, or it is a folder). */
  'files.changed': WatchedChange;
}

export type PushedEventName = keyof PushedEvents;
export type PushedEvent<N extends PushedEventName> = PushedEvents[N];
export type EngineEvent = EngineEventRecord;
