import './dockerfile-ast-browser';
import type { ChangeSpec, Text } from '@codemirror/state';
import type { Command } from '@codemirror/view';
import { format } from 'dockerfile-utils';
import { offsetAt } from './lsp-text';

/** dockerfile-utils' formatting of a whole Dockerfile, as CodeMirror changes against that same text. */
export function formatChanges(doc: Text, options: { tabSize?: number } = {}): ChangeSpec[] {
  const edits = format(doc.toString(), { insertSpaces: true, tabSize: options.tabSize ?? 4 });
  return edits.map((e) => ({ from: offsetAt(doc, e.range.start), to: offsetAt(doc, e.range.end), insert: e.newText }));
}

/** Format the Dockerfile (Shift+Alt+F). */
export const formatDockerfile: Command = (view) => {
  const changes = formatChanges(view.state.doc, { tabSize: view.state.tabSize });
  if (changes.length) view.dispatch({ changes, userEvent: 'format' });
  return true;
};
