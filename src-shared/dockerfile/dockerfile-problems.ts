import { describeDockerfile } from './dockerfile-model';
import { DockerfileParseError, parseDockerfile } from './dockerfile-parser';

/** A problem as the editor and the Build view list it: 1-based lines, severity, the builder's words. */
export interface DockerfileLintProblem {
  line: number;
  endLine: number;
  severity: 'error' | 'warning';
  message: string;
}

/**
 * Every problem found in a Dockerfile's text: what the parser rejects (then nothing else can be said),
 * what both builders reject per instruction, and the parser's warnings. Pure, so the editor (renderer)
 * and the Build view's file check (main) use this one function and always agree.
 */
export function dockerfileProblems(text: string): DockerfileLintProblem[] {
  let model;
  try {
    model = describeDockerfile(parseDockerfile(text));
  } catch (err) {
    if (err instanceof DockerfileParseError)
      return [{ line: err.line, endLine: err.endLine, severity: 'error', message: err.reason }];
    throw err;
  }
  const problems: DockerfileLintProblem[] = [
    ...model.problems.map((p) => ({
      line: p.line,
      endLine: p.endLine ?? p.line,
      severity: 'error' as const,
      message: p.message,
    })),
    ...model.warnings.map((w) => ({
      line: w.line,
      endLine: w.line,
      severity: 'warning' as const,
      message: `${w.message} (empty continuation lines will become errors in a future release)`,
    })),
  ];
  return problems.sort((a, b) => a.line - b.line);
}
