import { autocompletion, completionKeymap } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { bracketMatching, HighlightStyle, StreamLanguage, syntaxHighlighting } from '@codemirror/language';
import { dockerFile } from '@codemirror/legacy-modes/mode/dockerfile';
import { linter, lintGutter, lintKeymap, type Diagnostic } from '@codemirror/lint';
import { EditorState, type Extension } from '@codemirror/state';
import {
  drawSelection,
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  highlightSpecialChars,
  keymap,
  lineNumbers,
} from '@codemirror/view';
import { tags } from '@lezer/highlight';
import { fromImageCompletions, languageServiceCompletions } from './dockerfile-completion';
import { dockerfileDiagnostics } from './dockerfile-diagnostics';
import { formatDockerfile } from './dockerfile-format';
import { dockerfileHover } from './dockerfile-hover';
import { lineMark } from './line-mark';
import { localRegistry } from './local-registry';

/** What the editor reports back and asks for. */
export interface EditorHooks {
  /** The text changed (every edit). */
  onText(text: string): void;
  /** The validator ran; the diagnostics it found. */
  onDiagnostics(diagnostics: readonly Diagnostic[], state: EditorState): void;
  /** `repository:tag` of local images, for FROM completion. */
  localImages(): readonly string[];
}

// Colours from the app's own variables, so light and dark follow the system like the rest of the app.
const theme = EditorView.theme({
  '&': { height: '100%', backgroundColor: 'var(--panel)', color: 'var(--text)', fontSize: '13px' },
  '.cm-scroller': { fontFamily: 'var(--mono)', lineHeight: '1.5' },
  '.cm-content': { caretColor: 'var(--text)' },
  '.cm-gutters': { backgroundColor: 'var(--panel-2)', color: 'var(--muted)', borderRight: '1px solid var(--border)' },
  '.cm-activeLine': { backgroundColor: 'color-mix(in srgb, var(--row-hover) 60%, transparent)' },
  '.cm-activeLineGutter': { backgroundColor: 'var(--row-hover)' },
  '&.cm-focused': { outline: '2px solid var(--accent)', outlineOffset: '-2px' },
  '&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection': {
    backgroundColor: 'var(--row-selected)',
  },
  '.cm-strata-line-error': { backgroundColor: 'color-mix(in srgb, var(--danger) 18%, transparent)' },
  '.cm-strata-line-focus': { backgroundColor: 'color-mix(in srgb, var(--accent) 16%, transparent)' },
  '.cm-tooltip': { backgroundColor: 'var(--panel)', border: '1px solid var(--border)', color: 'var(--text)' },
  '.cm-tooltip-autocomplete > ul > li[aria-selected]': {
    backgroundColor: 'var(--accent)',
    color: 'var(--accent-text)',
  },
  '.cm-strata-doc': { whiteSpace: 'pre-wrap', maxWidth: '480px', padding: '6px 8px', fontFamily: 'var(--sans)' },
  '.cm-diagnostic': { fontFamily: 'var(--sans)' },
});

const highlight = HighlightStyle.define([
  { tag: tags.keyword, color: 'var(--accent)', fontWeight: '600' },
  { tag: [tags.string, tags.special(tags.string)], color: 'var(--ok)' },
  { tag: tags.comment, color: 'var(--muted)', fontStyle: 'italic' },
  { tag: [tags.number, tags.bool, tags.atom], color: 'var(--warn)' },
  { tag: [tags.variableName, tags.special(tags.variableName)], color: 'var(--modified)' },
  { tag: tags.invalid, color: 'var(--danger)' },
]);

/** Everything the Dockerfile editor is made of: highlighting, diagnostics, completion, hover, formatting. */
function dockerfileExtensions(hooks: EditorHooks): Extension[] {
  return [
    lineNumbers(),
    highlightActiveLineGutter(),
    highlightSpecialChars(),
    history(),
    drawSelection(),
    EditorState.allowMultipleSelections.of(true),
    bracketMatching(),
    highlightActiveLine(),
    StreamLanguage.define(dockerFile),
    syntaxHighlighting(highlight),
    lintGutter(),
    linter(
      (view) => {
        const diagnostics = dockerfileDiagnostics(view.state.doc);
        hooks.onDiagnostics(diagnostics, view.state);
        return diagnostics;
      },
      { delay: 250 },
    ),
    autocompletion({
      override: [fromImageCompletions(hooks.localImages), languageServiceCompletions(localRegistry(hooks.localImages))],
    }),
    dockerfileHover,
    lineMark,
    keymap.of([
      // Ctrl+Enter builds (the Build view listens on the window). CodeMirror's default binding would also
      // insert a blank line, changing the Dockerfile that is saved and built: claim the key and do nothing.
      { key: 'Mod-Enter', run: () => true },
      { key: 'Shift-Alt-f', run: formatDockerfile, preventDefault: true },
      ...completionKeymap,
      ...lintKeymap,
      ...historyKeymap,
      indentWithTab,
      ...defaultKeymap,
    ]),
    EditorView.updateListener.of((update) => {
      if (update.docChanged) hooks.onText(update.state.doc.toString());
    }),
    EditorView.contentAttributes.of({ 'aria-label': 'Dockerfile editor' }),
    theme,
  ];
}

/** A fresh editor state (new undo history) holding `text`. */
export function createEditorState(text: string, hooks: EditorHooks): EditorState {
  return EditorState.create({ doc: text, extensions: dockerfileExtensions(hooks) });
}
