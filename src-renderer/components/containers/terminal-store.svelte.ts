import type { TerminalExitDto } from '../../../src-main/ipc/contract/containers';
import type { JobId } from '../../../src-main/ipc/contract/jobs';

/** A terminal session main keeps open for a container; the view may come and go, the session stays. */
export interface TerminalEntry {
  jobId: JobId<'terminal'>;
  containerId: string;
  containerName: string;
  state: 'attached' | 'detached' | 'exited' | 'error';
  kind?: 'attach' | 'exec';
  exit?: TerminalExitDto;
  error?: string;
}

/** Open and recently ended terminal sessions, by container ID. */
export const terminals: Record<string, TerminalEntry> = $state({});

/** How a session ended, in words. */
export function describeExit(entry: TerminalEntry): string {
  if (entry.state === 'attached') {
    return entry.kind === 'exec'
      ? `Shell running in ${entry.containerName} (exec). Ctrl+P Ctrl+Q detaches.`
      : `Attached to ${entry.containerName}. Ctrl+P Ctrl+Q detaches and leaves it running.`;
  }
  if (entry.state === 'detached') return `Detached: ${entry.containerName} keeps running.`;
  if (entry.state === 'exited') {
    const code = entry.exit?.exitCode;
    return entry.kind === 'exec'
      ? `The shell exited${code !== undefined ? ` with code ${code}` : ''}; ${entry.containerName} keeps running.`
      : `The container's process exited${code !== undefined ? ` with code ${code}` : ''}: ${entry.containerName} stopped.`;
  }
  return entry.error ?? entry.exit?.message ?? 'The terminal session failed.';
}
