import { onEvent } from './api';
import { runCommand } from './command-runner.svelte';
import { notice } from './notice.svelte';

/**
 * What main asks of the page outside any request: commands from the native menu and "Open with", and paths it
 * was asked to open but cannot (missing, unreadable, neither file nor folder), said on the notice line, where
 * they stay until dismissed. Returns the unsubscribe.
 */
export function listenToAppEvents(): () => void {
  const offCommand = onEvent('app.command', ({ command, path }) => void runCommand(command, path));
  const offRefused = onEvent('app.open-refused', ({ message }) => notice(message, true));
  return () => {
    offCommand();
    offRefused();
  };
}
