import './dockerfile-ast-browser';
import type { Text } from '@codemirror/state';
import type { Diagnostic as CmDiagnostic } from '@codemirror/lint';
import { validate } from 'dockerfile-utils';
import type { Diagnostic } from 'vscode-languageserver-types';
import { offsetAt } from './lsp-text';

const severities: Record<number, CmDiagnostic['severity']> = { 1: 'error', 2: 'warning', 3: 'info', 4: 'hint' };

/** A problem for the list under the editor: 1-based line, as people count lines. */
export interface DockerfileProblem {
  line: number;
  severity: CmDiagnostic['severity'];
  message: string;
}

/** dockerfile-utils diagnostics as CodeMirror's, ranges turned into offsets of the same document. */
export function toCmDiagnostics(doc: Text, diagnostics: readonly Diagnostic[]): CmDiagnostic[] {
  return diagnostics.map((d) => {
    const from = offsetAt(doc, d.range.start);
    const to = Math.max(from, offsetAt(doc, d.range.end));
    return {
      from,
      to,
      severity: severities[d.severity ?? 1] ?? 'error',
      message: d.message,
      source: d.source ?? 'dockerfile-utils',
    };
  });
}

/** Validate a Dockerfile (dockerfile-utils, the checker behind the Docker editor tooling). */
export function dockerfileDiagnostics(doc: Text): CmDiagnostic[] {
  // An empty buffer is a Dockerfile not started yet, not one missing its FROM.
  if (doc.length === 0) return [];
  return toCmDiagnostics(doc, validate(doc.toString()));
}

/** The diagnostics as a list a person reads, in line order. */
export function problemsOf(doc: Text, diagnostics: readonly CmDiagnostic[]): DockerfileProblem[] {
  return diagnostics
    .map((d) => ({ line: doc.lineAt(d.from).number, severity: d.severity, message: d.message }))
    .sort((a, b) => a.line - b.line);
}
