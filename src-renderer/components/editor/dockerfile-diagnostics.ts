import type { Text } from '@codemirror/state';
import type { Diagnostic as CmDiagnostic } from '@codemirror/lint';
import { dockerfileProblems, type DockerfileLintProblem } from '$shared/dockerfile/dockerfile-problems';

/** A problem for the list under the editor: 1-based line, as people count lines. */
export interface DockerfileProblem {
  line: number;
  severity: CmDiagnostic['severity'];
  message: string;
}

/**
 * The core parser's problems as CodeMirror's: each covers its instruction, from the first word of its
 * first line to the end of its last (the builders name lines, not columns). Lines past the end are
 * clamped, so a stale problem can never point outside the document.
 */
export function toCmDiagnostics(doc: Text, problems: readonly DockerfileLintProblem[]): CmDiagnostic[] {
  const clamp = (n: number) => Math.min(Math.max(1, n), doc.lines);
  return problems.map((p) => {
    const first = doc.line(clamp(p.line));
    const last = doc.line(clamp(Math.max(p.line, p.endLine)));
    const indent = /^\s*/.exec(first.text)?.[0].length ?? 0;
    return {
      from: Math.min(first.from + indent, first.to),
      to: last.to,
      severity: p.severity,
      message: p.message,
      source: 'Dockerfile',
    };
  });
}

/**
 * Check a Dockerfile with the core parser, the same one the Build view's file check and the build's
 * step lines use, so the editor and the Build view never disagree about what is wrong.
 */
export function dockerfileDiagnostics(doc: Text): CmDiagnostic[] {
  // An empty buffer is a Dockerfile not started yet, not one missing its FROM.
  if (doc.length === 0) return [];
  return toCmDiagnostics(doc, dockerfileProblems(doc.toString()));
}

/** The diagnostics as a list a person reads, in line order. */
export function problemsOf(doc: Text, diagnostics: readonly CmDiagnostic[]): DockerfileProblem[] {
  return diagnostics
    .map((d) => ({ line: doc.lineAt(d.from).number, severity: d.severity, message: d.message }))
    .sort((a, b) => a.line - b.line);
}
