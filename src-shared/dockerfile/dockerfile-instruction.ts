import { goQuote } from '../go/strconv-quote';

/** One here-document attached to a RUN, COPY or ADD. */
export interface DockerfileHeredoc {
  /** The terminator word, quotes removed. */
  name: string;
  /** `<<-`: leading tabs are stripped from the content. */
  chomp: boolean;
  /** False when the terminator was quoted (the content is taken literally). */
  expand: boolean;
  fileDescriptor: number;
  /** Raw lines between the instruction and the terminator, newlines kept. */
  content: string;
}

/** One instruction as BuildKit's parser produces it (its AST node, flattened). */
export interface DockerfileInstruction {
  /** The keyword as written (`FROM`, `run`, …). */
  keyword: string;
  /** Lower-case keyword, the name BuildKit dispatches on. */
  name: string;
  /** `--flag` words before the arguments (`--from=build`, `--platform=$P`). */
  flags: string[];
  /** The argument nodes' values, as BuildKit's parser splits them for this instruction. */
  args: string[];
  /** True when the arguments were written in JSON array form. */
  json: boolean;
  /** ONBUILD's wrapped instruction. */
  sub?: DockerfileInstruction;
  heredocs: DockerfileHeredoc[];
  /** The logical line, continuations joined. */
  original: string;
  /** 1-based first and last physical lines. */
  startLine: number;
  endLine: number;
}

/** BuildKit's Node.Dump for one instruction: `copy ["--from=a"] "src" "dst"`, ONBUILD as `onbuild (run "x")`. */
export function dumpInstruction(instruction: DockerfileInstruction): string {
  let str = instruction.name;
  if (instruction.flags.length > 0) str += ' [' + instruction.flags.map(goQuote).join(' ') + ']';
  if (instruction.sub) str += ' (' + dumpInstruction(instruction.sub) + ')';
  for (const arg of instruction.args) str += ' ' + goQuote(arg);
  return str.trim();
}
