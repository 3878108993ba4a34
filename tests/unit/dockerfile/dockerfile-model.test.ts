import { describe, expect, it } from 'vitest';
import { readDockerfileModel } from '$shared/dockerfile/dockerfile-model';
import { DockerfileParseError, parseDockerfile } from '$shared/dockerfile/dockerfile-parser';

const MULTI = `# syntax=docker/dockerfile:1
ARG BASE=alpine:3.20
ARG VERSION

FROM --platform=$BUILDPLATFORM \${BASE} AS Build
ARG GOFLAGS="-trimpath -ldflags=-s" TARGETOS
RUN echo building \\
    # a comment inside the continuation
    && make

FROM build as test
RUN make test

FROM scratch
ARG VERSION=dev
COPY --from=build /out/app /app
ENTRYPOINT ["/app"]
`;

describe('stages and ARGs', () => {
  const model = readDockerfileModel(MULTI);

  it('lists the stages with index, lower-cased name, base, platform and lines', () => {
    expect(
      model.stages.map((s) => ({
        index: s.index,
        name: s.name,
        base: s.baseName,
        platform: s.platform,
        line: s.line,
        endLine: s.endLine,
      })),
    ).toEqual([
      { index: 0, name: 'build', base: '${BASE}', platform: '$BUILDPLATFORM', line: 5, endLine: 9 },
      { index: 1, name: 'test', base: 'build', platform: undefined, line: 11, endLine: 12 },
      { index: 2, name: undefined, base: 'scratch', platform: undefined, line: 14, endLine: 17 },
    ]);
    expect(model.problems).toEqual([]);
  });

  it('lists global and per-stage ARGs with defaults, quotes removed', () => {
    expect(model.globalArgs).toEqual([
      { name: 'BASE', defaultValue: 'alpine:3.20', rawDefault: 'alpine:3.20', line: 2 },
      { name: 'VERSION', line: 3 },
    ]);
    expect(model.stages[0]?.args).toEqual([
      { name: 'GOFLAGS', defaultValue: '-trimpath -ldflags=-s', rawDefault: '"-trimpath -ldflags=-s"', line: 6 },
      { name: 'TARGETOS', line: 6 },
    ]);
    expect(model.stages[2]?.args).toEqual([{ name: 'VERSION', defaultValue: 'dev', rawDefault: 'dev', line: 15 }]);
  });

  it('gives each instruction its lines, continuations joined and comments inside them skipped', () => {
    const run = model.stages[0]?.instructions[2];
    expect(run).toMatchObject({ name: 'run', startLine: 7, endLine: 9, args: ['echo building     && make'] });
    expect(model.instructions.map((i) => i.name)).toEqual([
      'arg',
      'arg',
      'from',
      'arg',
      'run',
      'from',
      'run',
      'from',
      'arg',
      'copy',
      'entrypoint',
    ]);
    expect(model.directives).toEqual([{ name: 'syntax', value: 'docker/dockerfile:1', line: 1 }]);
  });
});

describe('parser details', () => {
  it('honours the escape directive for continuations', () => {
    const parsed = parseDockerfile('# escape=`\nFROM windows\nRUN dir `\n  c:\\\n');
    expect(parsed.escapeToken).toBe('`');
    expect(parsed.instructions[1]).toMatchObject({ args: ['dir   c:\\'], startLine: 3, endLine: 4 });
  });

  it('reads here-documents and their terminators', () => {
    const parsed = parseDockerfile(
      'FROM alpine\nRUN <<EOF\necho one\necho two\nEOF\nCOPY <<-"END" /etc/motd\n\thello\n\tEND\nRUN ["echo", "<<NOT"]\n',
    );
    const [, run, copy, json] = parsed.instructions;
    expect(run?.heredocs).toEqual([
      { name: 'EOF', chomp: false, expand: true, fileDescriptor: 0, content: 'echo one\necho two\n' },
    ]);
    expect(run).toMatchObject({ startLine: 2, endLine: 5 });
    expect(copy?.heredocs).toEqual([
      { name: 'END', chomp: true, expand: false, fileDescriptor: 0, content: '\thello\n' },
    ]);
    expect(json?.heredocs).toEqual([]);
    expect(json?.startLine).toBe(9);
  });

  it('reports an unterminated here-document with its lines', () => {
    expect(() => parseDockerfile('FROM alpine\nRUN <<EOF\necho\n')).toThrow(
      new DockerfileParseError('unterminated heredoc', 2, 3),
    );
  });

  it('reports a repeated or invalid directive on its line', () => {
    expect(() => parseDockerfile('# escape=`\n# escape=\\\nFROM x\n')).toThrow(
      'line 2: only one escape parser directive can be used',
    );
    expect(() => parseDockerfile('# escape=x\nFROM x\n')).toThrow("line 1: invalid escape token 'x'");
  });

  it('reports ENV without a value on its line', () => {
    let caught: unknown;
    try {
      parseDockerfile('FROM busybox\n\nENV PATH\n');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(DockerfileParseError);
    expect((caught as DockerfileParseError).line).toBe(3);
  });

  it('warns about empty continuation lines', () => {
    expect(parseDockerfile('FROM x\nRUN a \\\n\n  b\n').warnings).toEqual([
      { line: 4, message: 'Empty continuation line found in: RUN a   b' },
    ]);
  });

  it('strips a byte-order mark on the first line only', () => {
    expect(parseDockerfile('\ufeffFROM x\n').instructions[0]?.name).toBe('from');
  });
});

describe('problems BuildKit reports when it reads the instructions', () => {
  it('flags unknown instructions, bad FROM lines, bad and duplicate stage names, and work before FROM', () => {
    const model = readDockerfileModel(
      'RUN early\nFROM a AS 1st\nFROM b AS one\nFROM c AS One\nFROM d e\nFROMM x\nFROM --nope=1 e\n',
    );
    expect(model.problems).toEqual([
      { line: 1, message: 'RUN before the first FROM: only ARG may come before FROM' },
      { line: 2, message: 'invalid name for build stage: "1st", name can\'t start with a number or contain symbols' },
      { line: 4, message: 'duplicate stage name "one"' },
      { line: 5, message: 'FROM requires either one or three arguments' },
      { line: 6, message: 'unknown instruction: FROMM' },
      { line: 7, message: 'unknown flag: --nope' },
    ]);
    expect(model.stages).toHaveLength(5);
  });

  it('flags a Dockerfile without FROM', () => {
    expect(readDockerfileModel('ARG X=1\n').problems).toEqual([
      { line: 1, message: 'the Dockerfile has no FROM: it contains no stages to build' },
    ]);
  });
});
