import type { MessageBoxSyncOptions, WebContents } from 'electron';

/** What the leave/stay question says when the page refuses to unload (unsaved Dockerfile changes). */
export const leaveQuestion: MessageBoxSyncOptions = {
  type: 'question',
  buttons: ['Leave without saving', 'Stay'],
  defaultId: 1,
  cancelId: 1,
  message: 'Leave Strata with unsaved changes?',
  detail: 'The Dockerfile in the editor has changes that are not saved. They will be lost.',
};

/**
 * Electron cancels a close silently when the page's beforeunload refuses; ask the person instead.
 * `ask` returns the index of the button chosen (dialog.showMessageBoxSync in the app).
 */
export function guardUnload(contents: Pick<WebContents, 'on'>, ask: (question: MessageBoxSyncOptions) => number): void {
  contents.on('will-prevent-unload', (event) => {
    // preventDefault() here ignores the page's refusal: the window closes or reloads.
    if (ask(leaveQuestion) === 0) event.preventDefault();
  });
}
