import { StateEffect, StateField, type Extension } from '@codemirror/state';
import { Decoration, EditorView, type DecorationSet } from '@codemirror/view';

/** Why a line is marked: the failing build step's line, or a line someone asked to see. */
export type LineMarkKind = 'error' | 'focus';

/** Set (a 1-based line) or clear (null) one kind of mark; the other kind stays where it is. */
const setLineMark = StateEffect.define<{ line: number | null; kind: LineMarkKind }>();

type Marks = Record<LineMarkKind, number | null>;

/**
 * The two marks are independent: looking at another line (a cached step, a problem) must not move the
 * failing step's mark, which stays until the next build starts. Both follow the text as it is edited.
 */
const lineMarkField = StateField.define<Marks>({
  create: () => ({ error: null, focus: null }),
  update(marks, tr) {
    const next: Marks = {
      error: marks.error === null ? null : tr.changes.mapPos(marks.error),
      focus: marks.focus === null ? null : tr.changes.mapPos(marks.focus),
    };
    for (const effect of tr.effects) {
      if (!effect.is(setLineMark)) continue;
      const { line, kind } = effect.value;
      next[kind] = line === null ? null : tr.state.doc.line(clampLine(tr.state.doc.lines, line)).from;
    }
    return next;
  },
  provide: (field) =>
    EditorView.decorations.from(field, (marks): DecorationSet => {
      const ranges = (['error', 'focus'] as const)
        .filter((kind) => marks[kind] !== null)
        .map((kind) => Decoration.line({ class: `cm-strata-line-${kind}` }).range(marks[kind] as number));
      return Decoration.set(ranges, true);
    }),
});

function clampLine(lines: number, line: number): number {
  return Math.min(Math.max(line, 1), lines);
}

/** The marked-line decorations; add them to the editor's extensions. */
export const lineMark: Extension = lineMarkField;

/** Scroll a line (1-based) to the middle, put the cursor there and mark it. */
export function revealLine(view: EditorView, line: number, kind: LineMarkKind = 'focus'): void {
  const target = view.state.doc.line(clampLine(view.state.doc.lines, line));
  view.dispatch({
    selection: { anchor: target.from },
    effects: [setLineMark.of({ line: target.number, kind }), EditorView.scrollIntoView(target.from, { y: 'center' })],
  });
}

/** Remove one kind of mark (the failing step's when a new build starts). */
export function clearLineMark(view: EditorView, kind: LineMarkKind): void {
  view.dispatch({ effects: setLineMark.of({ line: null, kind }) });
}
