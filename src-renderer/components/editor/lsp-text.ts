import type { Text } from '@codemirror/state';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position } from 'vscode-languageserver-types';

/** An LSP position (0-based line, UTF-16 character) as a CodeMirror offset, clamped into the document. */
export function offsetAt(doc: Text, position: Position): number {
  if (position.line < 0) return 0;
  if (position.line >= doc.lines) return doc.length;
  const line = doc.line(position.line + 1);
  return line.from + Math.min(Math.max(position.character, 0), line.length);
}

/** A CodeMirror offset as an LSP position. */
export function positionAt(doc: Text, offset: number): Position {
  const line = doc.lineAt(Math.min(Math.max(offset, 0), doc.length));
  return { line: line.number - 1, character: Math.min(offset, doc.length) - line.from };
}

/**
 * The language service's view of the editor's text, read straight from CodeMirror's document (both count
 * UTF-16 code units, as LSP does), so no second copy of the line index is built per keystroke.
 */
export function lspDocument(doc: Text): TextDocument {
  let text: string | undefined;
  return {
    uri: 'file:///Dockerfile',
    languageId: 'dockerfile',
    version: 0,
    lineCount: doc.lines,
    getText: (range) => {
      text ??= doc.toString();
      return range ? text.slice(offsetAt(doc, range.start), offsetAt(doc, range.end)) : text;
    },
    offsetAt: (position) => offsetAt(doc, position),
    positionAt: (offset) => positionAt(doc, offset),
  };
}
