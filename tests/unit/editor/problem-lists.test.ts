import { Text } from '@codemirror/state';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDockerfileInfo } from '../../../src-main/core/build/dockerfile-info';
import { dockerfileDiagnostics, problemsOf } from '../../../src-renderer/components/editor/dockerfile-diagnostics';
import { PROBLEM_CASES } from '../dockerfile/problem-cases';

/** The Build view's two lists: the editor's (its buffer) and the file check's (the saved file, via main). */
async function bothLists(dir: string, text: string) {
  await writeFile(join(dir, 'Dockerfile'), text);
  const doc = Text.of(text.split('\n'));
  const editor = problemsOf(doc, dockerfileDiagnostics(doc));
  const file = (await readDockerfileInfo({ contextDir: dir })).problems;
  return { editor, file };
}

describe("the editor's problem list and the Build view's file check", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'strata-problem-lists-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  // The two lists used to come from two parsers and disagree on exactly these.
  it('agree on an empty continuation line (a warning, as the builders accept it)', async () => {
    const { editor, file } = await bothLists(dir, 'FROM busybox\nRUN echo a \\\n\n  b\n');
    expect(editor).toEqual([
      {
        line: 4,
        severity: 'warning',
        message:
          'Empty continuation line found in: RUN echo a   b (empty continuation lines will become errors in a future release)',
      },
    ]);
    expect(file).toEqual(editor);
  });

  it('agree on EXPOSE without an argument', async () => {
    const { editor, file } = await bothLists(dir, 'FROM busybox\nEXPOSE\n');
    expect(editor).toEqual([{ line: 2, severity: 'error', message: 'EXPOSE requires at least one argument' }]);
    expect(file).toEqual(editor);
  });

  it.each(PROBLEM_CASES)('agree on $name', async ({ dockerfile, problem }) => {
    const { editor, file } = await bothLists(dir, dockerfile);
    expect(file).toEqual(editor);
    expect(editor.filter((p) => p.severity === 'error').map(({ line, message }) => ({ line, message }))).toEqual(
      problem ? [problem] : [],
    );
  });
});
