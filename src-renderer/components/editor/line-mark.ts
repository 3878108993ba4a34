import { StateEffect, StateField, type Extension } from '@codemirror/state';
import { Decoration, EditorView, type DecorationSet } from '@codemirror/view';

/** Why a line is marked: the failing build step's line, or a line someone asked to see. */
export type LineMarkKind = 'error' | 'focus';

const setLineMark = StateEffect.define<{ line: number; kind: LineMarkKind } | null>();

const lineMarkField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(marks, tr) {
    let next = marks.map(tr.changes);
    for (const effect of tr.effects) {
      if (!effect.is(setLineMark)) continue;
      if (!effect.value) {
        next = Decoration.none;
        continue;
      }
      const line = tr.state.doc.line(Math.min(Math.max(effect.value.line, 1), tr.state.doc.lines));
      next = Decoration.set([Decoration.line({ class: `cm-strata-line-${effect.value.kind}` }).range(line.from)]);
    }
    return next;
  },
  provide: (field) => EditorView.decorations.from(field),
});

/** The marked-line decoration; add it to the editor's extensions. */
export const lineMark: Extension = lineMarkField;

/** Scroll a line (1-based) to the middle, put the cursor there and mark it; null marks nothing. */
export function revealLine(view: EditorView, line: number, kind: LineMarkKind = 'focus'): void {
  const target = view.state.doc.line(Math.min(Math.max(line, 1), view.state.doc.lines));
  view.dispatch({
    selection: { anchor: target.from },
    effects: [setLineMark.of({ line: target.number, kind }), EditorView.scrollIntoView(target.from, { y: 'center' })],
  });
}
