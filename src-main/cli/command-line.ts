import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';

/** Where a command writes: process.stdout/stderr, or anything with write() in tests. */
export interface CommandIO {
  /** Text, or for `--tar` the archive's bytes (piped with backpressure when it is a real Writable). */
  stdout: { write(chunk: string | Uint8Array): unknown; isTTY?: boolean };
  stderr: { write(chunk: string): unknown };
  /** stdout's file descriptor, when it is the process's own: `--tar` then writes to it directly. */
  stdoutFd?: number;
}

/** Exit code for a command line that cannot be run as typed, the same for every strata command. */
export const USAGE_ERROR = 2;

type Parsed<O extends ParseArgsOptionsConfig> = ReturnType<
  typeof parseArgs<{ args: string[]; allowPositionals: true; options: O }>
>;

export interface CommandLineSpec<O extends ParseArgsOptionsConfig> {
  /** The command's word, as messages name it: `context` gives "strata context: …". */
  command: string;
  usage: string;
  argv: string[];
  io: Pick<CommandIO, 'stdout' | 'stderr'>;
  /** Every option but `-h, --help`, which every command has. */
  options: O;
  /** What the one positional argument is (`<dir>`), for "missing <dir>". */
  operand: string;
  /** The message when there is not exactly one operand, where a command words it its own way. */
  wrongCount?: string;
}

/** The command line parsed, or the exit code when it was `--help` or could not be run as typed. */
export type CommandLine<O extends ParseArgsOptionsConfig> =
  { values: Parsed<O>['values']; operand: string } | { exitCode: number };

/**
 * The scaffolding every strata command shares: parse (an unknown option or a missing value prints the
 * error and the usage, exit 2), `--help` (the usage on stdout, exit 0), and exactly one operand.
 */
export function parseCommandLine<O extends ParseArgsOptionsConfig>(spec: CommandLineSpec<O>): CommandLine<O> {
  const usage = spec.usage.endsWith('\n') ? spec.usage : `${spec.usage}\n`;
  const fail = (message: string): CommandLine<O> => {
    spec.io.stderr.write(`strata ${spec.command}: ${message}\n\n${usage}`);
    return { exitCode: USAGE_ERROR };
  };
  let parsed: Parsed<O & { help: { type: 'boolean'; short: 'h' } }>;
  try {
    parsed = parseArgs({
      args: spec.argv,
      allowPositionals: true,
      options: { ...spec.options, help: { type: 'boolean', short: 'h' } } as O & {
        help: { type: 'boolean'; short: 'h' };
      },
    });
  } catch (err) {
    return fail((err as Error).message);
  }
  if ((parsed.values as { help?: boolean }).help) {
    spec.io.stdout.write(usage);
    return { exitCode: 0 };
  }
  const [operand] = parsed.positionals;
  if (parsed.positionals.length !== 1 || operand === undefined) {
    const count = parsed.positionals.length === 0 ? `missing ${spec.operand}` : `expected exactly one ${spec.operand}`;
    return fail(spec.wrongCount ?? count);
  }
  return { values: parsed.values as Parsed<O>['values'], operand };
}

/**
 * A `-f`/`--dockerfile` argument as docker build takes it: absolute as typed; relative from the current folder
 * when such a file exists there, else from the context folder.
 */
export function resolveDockerfileArg(file: string | undefined, contextDir: string): string | undefined {
  if (file === undefined || path.isAbsolute(file)) return file;
  const fromCwd = path.resolve(file);
  return existsSync(fromCwd) ? fromCwd : path.resolve(contextDir, file);
}
