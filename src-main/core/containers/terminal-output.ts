import { StringDecoder } from 'node:string_decoder';
import type { TerminalExit, TerminalSession } from './terminal-session';

export interface FollowTerminalOptions {
  /** Aborting detaches from the session (the container keeps running). */
  signal: AbortSignal;
  /** Text for the terminal, ANSI kept: whole UTF-8 characters, bursts coalesced into one call per event-loop turn. */
  onOutput: (text: string) => void;
}

/**
 * Follow a terminal session until it ends: decode its output as UTF-8 (a character split across chunks is held
 * until complete), coalesce a burst of chunks into one piece per turn of the event loop, and pass on what was
 * still pending once the session has ended. Resolves with how it ended.
 */
export async function followTerminal(terminal: TerminalSession, options: FollowTerminalOptions): Promise<TerminalExit> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let scheduled = false;
  terminal.onData((chunk) => {
    pending += decoder.write(chunk);
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      if (pending) options.onOutput(pending);
      pending = '';
    });
  });
  // detach() never rejects: it resolves with how the session ended, which `exited` carries as well.
  const onAbort = (): void => void terminal.detach();
  options.signal.addEventListener('abort', onAbort, { once: true });
  try {
    const exit = await terminal.exited;
    const rest = pending + decoder.end();
    pending = '';
    if (rest) options.onOutput(rest);
    return exit;
  } finally {
    options.signal.removeEventListener('abort', onAbort);
  }
}
