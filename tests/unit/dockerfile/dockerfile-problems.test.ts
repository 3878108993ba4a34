import { describe, expect, it } from 'vitest';
import { dockerfileProblems } from '$shared/dockerfile/dockerfile-problems';
import { exposeProblem, platformSpecifierProblem } from '$shared/dockerfile/dockerfile-values';
import { parseGoDuration } from '$shared/go/time-duration';
import { PROBLEM_CASES } from './problem-cases';

describe('problems both builders report, case by case', () => {
  it('holds over a hundred distinct cases, five of them for flags or syntax only newer builders know', () => {
    expect(PROBLEM_CASES.length).toBeGreaterThanOrEqual(100);
    expect(PROBLEM_CASES.filter((c) => c.newer).length).toBe(5);
    expect(new Set(PROBLEM_CASES.map((c) => c.name)).size).toBe(PROBLEM_CASES.length);
  });

  it.each(PROBLEM_CASES)('$name', ({ dockerfile, problem }) => {
    const errors = dockerfileProblems(dockerfile)
      .filter((p) => p.severity === 'error')
      .map(({ line, message }) => ({ line, message }));
    expect(errors).toEqual(problem ? [problem] : []);
  });
});

describe('what the list holds besides errors', () => {
  it('reports an empty continuation line as a warning on the instruction’s last line', () => {
    expect(dockerfileProblems('FROM x\nRUN a \\\n\n  b\n')).toEqual([
      {
        line: 4,
        endLine: 4,
        severity: 'warning',
        message:
          'Empty continuation line found in: RUN a   b (empty continuation lines will become errors in a future release)',
      },
    ]);
  });

  it('spans a multi-line instruction and lists every bad instruction, not only the first', () => {
    expect(dockerfileProblems('FROM x\nCOPY \\\n  onlyone\nEXPOSE\n')).toEqual([
      {
        line: 2,
        endLine: 3,
        severity: 'error',
        message: 'COPY requires at least two arguments, but only one was provided. Destination could not be determined',
      },
      { line: 4, endLine: 4, severity: 'error', message: 'EXPOSE requires at least one argument' },
    ]);
  });

  it('gives only the parse error when the parser stops', () => {
    expect(dockerfileProblems('FROM x\nENV a\nEXPOSE\n')).toEqual([
      { line: 2, endLine: 2, severity: 'error', message: 'ENV must have two arguments' },
    ]);
  });

  it('leaves values with variables to the builder, which expands them first', () => {
    expect(dockerfileProblems('ARG P\nFROM --platform=$P x\nEXPOSE ${PORT}/tcp\nSTOPSIGNAL $SIG\n')).toEqual([]);
  });
});

describe("Go's value parsers", () => {
  it.each([
    ['1h2m3.5s', 3723.5e9],
    ['.5ms', 0.5e6],
    ['-1s', -1e9],
    ['0', 0],
    ['1µs', 1e3],
  ])('time.ParseDuration(%s)', (text, ns) => {
    expect(parseGoDuration(text)).toEqual({ ns });
  });

  it.each(['', '.', 's', '1', '1.5', 'x1s', '+'])('time.ParseDuration rejects %j', (text) => {
    expect(parseGoDuration(text)).toHaveProperty('error');
  });

  it.each([
    ['80', undefined],
    ['0', undefined],
    ['65535', undefined],
    ['1.2.3.4:8080:80/udp', undefined],
    ['8000-8001:80', undefined],
    ['8000-8001:80-82', 'invalid ranges specified for container and host Ports: 80-82 and 8000-8001'],
    ['x:80', 'invalid hostPort: x'],
    ['/tcp', 'invalid port: "/tcp": no port specified'],
    ['80/SCTP', undefined],
  ])('EXPOSE %s', (port, problem) => {
    expect(exposeProblem(port)).toBe(problem);
  });

  it.each([
    ['linux', undefined],
    ['arm64', undefined],
    ['x86_64', undefined],
    ['linux/arm/v7', undefined],
    ['windows(10.0.17763)/amd64', undefined],
    ['linux/*', '"linux/*": wildcards not yet supported: invalid argument'],
    [
      'linux/a b',
      '"a b" is an invalid component of "linux/a b": platform specifier component must match "^[A-Za-z0-9_.-]+$": invalid argument',
    ],
  ])('platform %s', (specifier, problem) => {
    expect(platformSpecifierProblem(specifier)).toBe(problem);
  });
});
