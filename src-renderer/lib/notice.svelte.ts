/**
 * The app's notice line, bottom right (drawn by AppCommands): what a command did, or why something that no view
 * is waiting on failed. A plain notice goes away by itself; an error stays until dismissed.
 */
export const noticeUi = $state({ current: null as { text: string; error: boolean } | null });

export function notice(text: string, error = false): void {
  noticeUi.current = { text, error };
}
