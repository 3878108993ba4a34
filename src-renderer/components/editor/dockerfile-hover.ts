import './dockerfile-ast-browser';
import { hoverTooltip, type Tooltip } from '@codemirror/view';
import { DockerHover } from 'dockerfile-language-service/lib/dockerHover';
import { MarkdownDocumentation } from 'dockerfile-language-service/lib/dockerMarkdown';
import { PlainTextDocumentation } from 'dockerfile-language-service/lib/dockerPlainText';
import type { Text } from '@codemirror/state';
import type { Hover, MarkupContent } from 'vscode-languageserver-types';
import { offsetAt, positionAt } from './lsp-text';

let service: DockerHover | undefined;

function hoverText(hover: Hover): string {
  const parts = Array.isArray(hover.contents) ? hover.contents : [hover.contents];
  return parts
    .map((p) => (typeof p === 'string' ? p : (p as MarkupContent).value))
    .join('\n\n')
    .trim();
}

/** The documentation dockerfile-language-service shows for the word at an offset, and the word's range. */
export function dockerfileHoverAt(doc: Text, pos: number): { from: number; to: number; text: string } | null {
  service ??= new DockerHover(new MarkdownDocumentation(), new PlainTextDocumentation());
  const hover = service.onHover(doc.toString(), positionAt(doc, pos), ['plaintext']);
  if (!hover) return null;
  const text = hoverText(hover);
  if (!text) return null;
  if (hover.range) return { from: offsetAt(doc, hover.range.start), to: offsetAt(doc, hover.range.end), text };
  const line = doc.lineAt(pos);
  const word = /[\w-]+/g;
  for (const m of line.text.matchAll(word)) {
    const from = line.from + (m.index ?? 0);
    if (from <= pos && pos <= from + m[0].length) return { from, to: from + m[0].length, text };
  }
  return { from: pos, to: pos, text };
}

/** Hover documentation for instructions, flags and directives. */
export const dockerfileHover = hoverTooltip((view, pos): Tooltip | null => {
  const found = dockerfileHoverAt(view.state.doc, pos);
  if (!found) return null;
  return {
    pos: found.from,
    end: found.to,
    above: true,
    create: () => {
      const dom = document.createElement('div');
      dom.className = 'cm-strata-doc';
      dom.textContent = found.text;
      return { dom };
    },
  };
});
