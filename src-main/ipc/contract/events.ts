import { z } from 'zod';
import { engineStatus } from './engine';
import { jobEvent } from './jobs';

/** What the engine said happened, narrowed to what the renderer needs to refresh its lists. */
export const engineEvent = z.object({
  type: z.string(),
  action: z.string(),
  id: z.string(),
  name: z.string().optional(),
  time: z.number(),
});

/** Every event main pushes to the renderer, by name. */
export const pushedEvents = {
  'engine.status': engineStatus,
  'engine.event': engineEvent,
  'job.event': jobEvent,
  /** A menu item, a shortcut in the shell, or an "open with" asked the renderer to do something. */
  'app.command': z.object({ command: z.string(), path: z.string().optional() }),
  /** A file or folder given to files.watch changed on disk (sha256 null: the file is gone, or it is a folder). */
  'files.changed': z.object({ path: z.string(), kind: z.enum(['file', 'dir']), sha256: z.string().nullable() }),
};

export type PushedEvents = typeof pushedEvents;
export type PushedEventName = keyof PushedEvents;
export type PushedEvent<N extends PushedEventName> = z.infer<PushedEvents[N]>;
export type EngineEvent = z.infer<typeof engineEvent>;
