import path from 'node:path';
import { DockerfileParseError } from '$shared/dockerfile/dockerfile-parser';
import { readDockerfileModel } from '$shared/dockerfile/dockerfile-model';
import { dockerfileProblems } from '$shared/dockerfile/dockerfile-problems';
import { StrataError } from '$shared/engine/errors';
import { readRegularFile } from '../files/user-path';

export interface DockerfileInfo {
  /** Absolute path read. */
  path: string;
  /** Stages, for the target list: name (when named) and the FROM line. */
  stages: Array<{ index: number; name?: string; baseName: string; line: number }>;
  /** ARGs, for prefilling build args: global ones (before the first FROM) and each stage's. */
  args: Array<{ name: string; defaultValue?: string; line: number; stage?: number }>;
  /** Problems the builders would report, with their lines: the same list the editor shows. */
  problems: Array<{ line: number; severity: 'error' | 'warning'; message: string }>;
}

/** Read a context's Dockerfile for the build form: its stages and ARGs, or its problems. */
export async function readDockerfileInfo(options: {
  contextDir: string;
  dockerfile?: string;
}): Promise<DockerfileInfo> {
  const file = path.resolve(options.contextDir, options.dockerfile || 'Dockerfile');
  let text: string;
  try {
    text = (await readRegularFile(file)).toString('utf8');
  } catch (err) {
    if (err instanceof StrataError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR')
      throw new StrataError('not-found', `Cannot locate Dockerfile: "${file}"`, { path: file });
    if (err instanceof StrataError) throw err;
    throw new StrataError('invalid-input', `Cannot read ${file}: ${(err as Error).message}`, { path: file });
  }
  const problems = dockerfileProblems(text).map(({ line, severity, message }) => ({ line, severity, message }));
  try {
    const model = readDockerfileModel(text);
    const arg = (a: { name: string; defaultValue?: string; line: number }, stage?: number) => ({
      name: a.name,
      line: a.line,
      ...(a.defaultValue !== undefined ? { defaultValue: a.defaultValue } : {}),
      ...(stage !== undefined ? { stage } : {}),
    });
    return {
      path: file,
      stages: model.stages.map((s) => ({
        index: s.index,
        baseName: s.baseName,
        line: s.line,
        ...(s.name ? { name: s.name } : {}),
      })),
      args: [
        ...model.globalArgs.map((a) => arg(a)),
        ...model.stages.flatMap((s) => s.args.map((a) => arg(a, s.index))),
      ],
      problems,
    };
  } catch (err) {
    if (err instanceof DockerfileParseError) return { path: file, stages: [], args: [], problems };
    throw err;
  }
}
