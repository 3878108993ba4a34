import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../../src-main/cli/command-line';

function io() {
  const out = { stdout: '', stderr: '' };
  return {
    out,
    io: {
      stdout: { write: (chunk: string | Uint8Array) => void (out.stdout += String(chunk)) },
      stderr: { write: (chunk: string) => void (out.stderr += chunk) },
    },
  };
}

const spec = (argv: string[], streams: ReturnType<typeof io>['io']) =>
  parseCommandLine({
    command: 'demo',
    usage: 'Usage: strata demo <dir>',
    argv,
    io: streams,
    operand: '<dir>',
    options: { json: { type: 'boolean' }, tag: { type: 'string', short: 't', multiple: true } },
  });

describe('the command-line scaffolding every strata command shares', () => {
  it('gives the values and the one operand', () => {
    const { io: streams, out } = io();
    expect(spec(['.', '-t', 'a', '--tag', 'b', '--json'], streams)).toEqual({
      values: { tag: ['a', 'b'], json: true },
      operand: '.',
    });
    expect(out).toEqual({ stdout: '', stderr: '' });
  });

  it('prints the usage for --help and -h, exit 0, on stdout', () => {
    for (const flag of ['--help', '-h']) {
      const { io: streams, out } = io();
      expect(spec([flag], streams)).toEqual({ exitCode: 0 });
      expect(out).toEqual({ stdout: 'Usage: strata demo <dir>\n', stderr: '' });
    }
  });

  it('refuses an unknown option, a missing operand and two operands with the usage, exit 2', () => {
    const cases: [string[], RegExp][] = [
      [['.', '--nope'], /^strata demo: Unknown option '--nope'/],
      [[], /^strata demo: missing <dir>\n\nUsage/],
      [['a', 'b'], /^strata demo: expected exactly one <dir>\n\nUsage/],
    ];
    for (const [argv, message] of cases) {
      const { io: streams, out } = io();
      expect(spec(argv, streams)).toEqual({ exitCode: 2 });
      expect(out.stderr).toMatch(message);
      expect(out.stdout).toBe('');
    }
  });
});
