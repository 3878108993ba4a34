import { describe, expect, it } from 'vitest';
import { dockerfileOutline } from '../../../src-main/core/build/dockerfile-outline';
import { FAILING_OUTLINE, fixture, MULTISTAGE_OUTLINE } from './fixtures';

describe('Dockerfile outline for step lines (from the Dockerfile parser)', () => {
  it('is undefined for a Dockerfile the parser rejects, leaving the error to the engine', () => {
    expect(dockerfileOutline('')).toBeUndefined();
    expect(dockerfileOutline('FROM x\nENV a\n')).toBeUndefined();
  });

  it('outlines the recorded fixtures as written by hand', () => {
    expect(dockerfileOutline(fixture('classic-multistage-cold.Dockerfile').toString())).toEqual(MULTISTAGE_OUTLINE);
    expect(dockerfileOutline(fixture('classic-failing-run.Dockerfile').toString())).toEqual(FAILING_OUTLINE);
  });

  it('follows continuations, comments inside them, the escape directive and CRLF', () => {
    const text = [
      '# syntax=docker/dockerfile:1',
      '# escape=`',
      '',
      'FROM busybox AS Build',
      'RUN echo one `',
      '# a comment inside the instruction',
      '    two `',
      '',
      '    three',
      'COPY a b',
      '# trailing comment',
      'from --platform=linux/amd64 build',
      'cmd ["sh"]',
    ].join('\r\n');
    expect(dockerfileOutline(text)).toEqual({
      metaArgLines: [],
      stages: [
        {
          name: 'build',
          base: 'busybox',
          line: 4,
          instructions: [
            { keyword: 'RUN', line: 5 },
            { keyword: 'COPY', line: 10 },
          ],
        },
        { base: 'build', line: 12, instructions: [{ keyword: 'CMD', line: 13 }] },
      ],
    });
  });

  it('skips heredoc bodies and counts ARGs before the first FROM as meta ARGs', () => {
    const text = [
      'ARG A=1',
      'ARG B',
      'FROM scratch',
      'COPY <<EOF /etc/conf',
      'FROM not-an-instruction',
      'EOF',
      'RUN <<-"END" sh',
      '\techo hi',
      '\tEND',
      'RUN echo $((1<<2))',
      'ENV X=1',
    ].join('\n');
    expect(dockerfileOutline(text)).toEqual({
      metaArgLines: [1, 2],
      stages: [
        {
          base: 'scratch',
          line: 3,
          instructions: [
            { keyword: 'COPY', line: 4 },
            { keyword: 'RUN', line: 7 },
            { keyword: 'RUN', line: 10 },
            { keyword: 'ENV', line: 11 },
          ],
        },
      ],
    });
  });

  it('treats a directive after the first comment as a comment, as Docker does', () => {
    const outline = dockerfileOutline('# hello\n# escape=`\nFROM x\nRUN a \\\n  b\nRUN c\n');
    expect(outline?.stages[0]?.instructions).toEqual([
      { keyword: 'RUN', line: 4 },
      { keyword: 'RUN', line: 6 },
    ]);
  });
});
