import path from 'node:path';
import { StrataError } from '$shared/engine/errors';
import { compileDockerignore, readDockerignoreLines } from '../context/dockerignore-file';
import { writeFileAtomic } from './atomic-write';
import type { PartialJournal } from './partial-journal';
import { readRegularFile } from './user-path';

/** What adding a rule did. */
export interface AddedIgnoreRule {
  path: string;
  /** False when the file already had the rule (nothing written). */
  added: boolean;
  /** 1-based line of the rule in the file. */
  line: number;
}

/**
 * Append one rule to a `.dockerignore` (created when missing), atomically. The new file is parsed with
 * Docker's own rules first, so a rule that would break the build (a lone `!`, a bad `[` class) is refused
 * with the matcher's message and nothing is written.
 */
export async function addDockerignoreRule(options: {
  file: string;
  rule: string;
  journal?: PartialJournal;
}): Promise<AddedIgnoreRule> {
  const rule = options.rule.trim();
  if (rule === '' || /[\r\n]/.test(rule)) {
    throw new StrataError('invalid-input', 'A .dockerignore rule is one non-empty line.', { rule: options.rule });
  }
  let current = '';
  try {
    current = (await readRegularFile(options.file)).toString('utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const lines = current.split('\n');
  const existing = lines.findIndex((l) => l.replace(/\r$/, '').trim() === rule);
  if (existing >= 0) return { path: options.file, added: false, line: existing + 1 };

  const eol = current.includes('\r\n') ? '\r\n' : '\n';
  const prefix = current === '' || current.endsWith('\n') ? current : current + eol;
  const next = `${prefix}${rule}${eol}`;
  // Throws a DockerignoreError (invalid-input) naming the line when the file would not parse.
  compileDockerignore(next, { file: path.basename(options.file) });
  await writeFileAtomic({ path: options.file, data: next, ...(options.journal ? { journal: options.journal } : {}) });
  const line = readDockerignoreLines(next).at(-1)?.line ?? prefix.split('\n').length;
  return { path: options.file, added: true, line };
}
