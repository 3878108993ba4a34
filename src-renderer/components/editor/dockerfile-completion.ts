import './dockerfile-ast-browser';
import {
  insertCompletionText,
  pickedCompletion,
  type Completion,
  type CompletionContext,
  type CompletionResult,
  type CompletionSource,
} from '@codemirror/autocomplete';
import { DockerAssist } from 'dockerfile-language-service/lib/dockerAssist';
import { DockerCompletion } from 'dockerfile-language-service/lib/dockerCompletion';
import type { DockerRegistryClient } from 'dockerfile-language-service/lib/dockerRegistryClient';
import type { CompletionItem, MarkupContent } from 'vscode-languageserver-types';
import { lspDocument, offsetAt, positionAt } from './lsp-text';
import type { LocalRegistry } from './local-registry';

// What this editor supports: plain text inserts (no snippet tab stops), plain text documentation.
const CAPABILITIES = { snippetSupport: false, deprecatedSupport: true, documentationFormat: ['plaintext' as const] };

// LSP CompletionItemKind → CodeMirror's completion type (its icon).
const kinds: Record<number, string> = {
  3: 'function',
  5: 'property',
  6: 'variable',
  10: 'property',
  14: 'keyword',
  15: 'text',
  19: 'namespace',
};

let docs: DockerCompletion | undefined;

function documentation(item: CompletionItem): string | null {
  docs ??= new DockerCompletion();
  const resolved = item.documentation ? item : docs.resolveCompletionItem(item, ['plaintext']);
  const d = resolved.documentation;
  if (!d) return null;
  return typeof d === 'string' ? d : (d as MarkupContent).value;
}

function toCompletion(item: CompletionItem, start: number): Completion {
  const text = item.textEdit && 'newText' in item.textEdit ? item.textEdit.newText : (item.insertText ?? item.label);
  return {
    label: item.label,
    ...(item.detail ? { detail: item.detail } : {}),
    type: kinds[item.kind ?? 0] ?? 'text',
    boost: item.sortText ? -Number.parseInt(item.sortText, 10) || 0 : 0,
    info: () => {
      const text = documentation(item);
      if (!text) return null;
      const dom = document.createElement('div');
      dom.className = 'cm-strata-doc';
      dom.textContent = text;
      return dom;
    },
    // The service's edit starts where its prefix starts; the end is wherever the cursor is now.
    apply: (view, completion, _from, to) => {
      view.dispatch({
        ...insertCompletionText(view.state, text, start, to),
        annotations: pickedCompletion.of(completion),
      });
    },
  };
}

/**
 * Completion from dockerfile-language-service (instructions, flags, directives, variables, FROM tags),
 * with its Docker Hub client replaced by the local engine's images.
 */
export function languageServiceCompletions(registry: LocalRegistry): CompletionSource {
  return async (context: CompletionContext): Promise<CompletionResult | null> => {
    const { state, pos } = context;
    // Typing a space or starting a blank line is not a request for suggestions; Ctrl+Space is.
    if (!context.explicit && !/[\w$:={-]$/.test(state.sliceDoc(Math.max(0, pos - 1), pos))) return null;
    const doc = state.doc;
    // The registry client is only ever asked getTags(); ours answers from local images.
    const assist = new DockerAssist(lspDocument(doc), registry as unknown as DockerRegistryClient, CAPABILITIES);
    const items = await assist.computeProposals(positionAt(doc, pos));
    if (context.aborted || items.length === 0) return null;
    const starts = items.map((i) =>
      i.textEdit && 'range' in i.textEdit ? offsetAt(doc, i.textEdit.range.start) : pos,
    );
    const from = Math.min(...starts);
    return { from, options: items.map((item, i) => toCompletion(item, starts[i] ?? pos)), filter: false };
  };
}

/** Stage names declared (`FROM … AS name`) above a position. */
export function stageNamesBefore(text: string): string[] {
  const names: string[] = [];
  for (const m of text.matchAll(/^\s*FROM\s+(?:--\S+\s+)*\S+\s+AS\s+(\S+)/gim)) if (m[1]) names.push(m[1]);
  return names;
}

/**
 * Image names after FROM: the local images' `repository:tag`, earlier build stages, and `scratch`. The
 * language service offers none here, and would ask Docker Hub for tags; this asks nobody.
 */
export function fromImageCompletions(references: () => readonly string[]): CompletionSource {
  return (context: CompletionContext): CompletionResult | null => {
    const line = context.state.doc.lineAt(context.pos);
    const before = line.text.slice(0, context.pos - line.from);
    const m = /^\s*FROM\s+(?:--\S+\s+)*([^\s:@]*)$/i.exec(before);
    if (!m) return null;
    const word = m[1] ?? '';
    if (!context.explicit && word === '' && !/\s$/.test(before)) return null;
    const stages = stageNamesBefore(context.state.sliceDoc(0, line.from));
    const options: Completion[] = [
      ...stages.map((name) => ({ label: name, type: 'class', detail: 'build stage', boost: 2 })),
      ...[...new Set(references())]
        .sort()
        .map((ref) => ({ label: ref, type: 'namespace', detail: 'local image', boost: 1 })),
      { label: 'scratch', type: 'keyword', detail: 'empty base' },
    ];
    return { from: context.pos - word.length, options, validFor: /^[\w./-]*$/ };
  };
}
