import type { TerminalSession } from '../../../src-main/core/containers/terminal-session';

/** Everything a terminal session printed so far, and a way to wait for a pattern to show up in it. */
export interface OutputRecorder {
  text(): string;
  waitFor(pattern: RegExp, what: string): Promise<string>;
}

/** Record a session's output; waiting fails loudly (with what was seen) rather than hanging the suite. */
export function recordOutput(session: TerminalSession, limitMs = 20_000): OutputRecorder {
  let text = '';
  const waiters = new Set<() => void>();
  session.onData((chunk) => {
    text += chunk.toString('utf8');
    for (const wake of waiters) wake();
  });
  return {
    text: () => text,
    waitFor(pattern, what) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const m = pattern.exec(text);
          if (!m) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(m[0]);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`terminal never showed ${what} (${pattern}); it printed: ${JSON.stringify(text)}`));
        }, limitMs);
        if (!check()) waiters.add(check);
      });
    },
  };
}
