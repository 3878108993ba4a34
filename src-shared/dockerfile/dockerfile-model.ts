import { instructionProblem } from './dockerfile-checks';
import { unquoteShellWord } from './dockerfile-heredoc';
import type { DockerfileInstruction } from './dockerfile-instruction';
import { parseDockerfile, type ParsedDockerfile } from './dockerfile-parser';

/** An ARG: its name, its default (quotes removed, variables left as written), and where it is. */
export interface DockerfileArg {
  name: string;
  /** Absent for `ARG NAME` with no default. */
  defaultValue?: string;
  /** The default as written, quotes included. */
  rawDefault?: string;
  line: number;
}

/** A build stage: one FROM and the instructions up to the next. */
export interface DockerfileStage {
  /** 0-based position, what `--target` also accepts. */
  index: number;
  /** `AS` name, lower-cased as BuildKit stores it. */
  name?: string;
  /** The image (or earlier stage) it starts from, as written. */
  baseName: string;
  /** `--platform` value, if given. */
  platform?: string;
  line: number;
  endLine: number;
  /** ARGs declared inside the stage. */
  args: DockerfileArg[];
  instructions: DockerfileInstruction[];
}

/** Something BuildKit rejects when it turns the parsed file into build steps. */
export interface DockerfileProblem {
  line: number;
  /** Last line of the instruction, when it spans several. */
  endLine?: number;
  message: string;
}

/** A Dockerfile's stages, global and per-stage ARGs, instructions, and instruction-level problems. */
export interface DockerfileModel extends ParsedDockerfile {
  stages: DockerfileStage[];
  /** ARGs before the first FROM (usable in FROM lines). */
  globalArgs: DockerfileArg[];
  problems: DockerfileProblem[];
}

function argsOf(instruction: DockerfileInstruction, escapeToken: string): DockerfileArg[] {
  return instruction.args.map((word) => {
    const eq = word.indexOf('=');
    if (eq < 0) return { name: word, line: instruction.startLine };
    const rawDefault = word.slice(eq + 1);
    return {
      name: word.slice(0, eq),
      defaultValue: unquoteShellWord(rawDefault, escapeToken),
      rawDefault,
      line: instruction.startLine,
    };
  });
}

/** Stages and ARGs of a parsed Dockerfile, with the problems both builders report for each instruction. */
export function describeDockerfile(parsed: ParsedDockerfile): DockerfileModel {
  const stages: DockerfileStage[] = [];
  const globalArgs: DockerfileArg[] = [];
  const problems: DockerfileProblem[] = [];
  for (const instruction of parsed.instructions) {
    const line = instruction.startLine;
    const span = instruction.endLine > line ? { endLine: instruction.endLine } : {};
    const problem = instructionProblem(instruction, parsed.escapeToken);
    if (problem) problems.push({ line, ...span, message: problem });
    const current = stages[stages.length - 1];
    if (instruction.name === 'from') {
      const [baseName = '', as, name] = instruction.args;
      const stage: DockerfileStage = {
        index: stages.length,
        baseName,
        line,
        endLine: instruction.endLine,
        args: [],
        instructions: [instruction],
      };
      if (name !== undefined && as?.toLowerCase() === 'as') {
        stage.name = name.toLowerCase();
        if (!problem && stages.some((s) => s.name === stage.name))
          problems.push({ line, ...span, message: `duplicate stage name "${stage.name}"` });
      }
      const platform = instruction.flags.findLast((f) => f.startsWith('--platform='));
      if (platform) stage.platform = platform.slice('--platform='.length);
      stages.push(stage);
      continue;
    }
    if (!current) {
      if (instruction.name === 'arg') globalArgs.push(...argsOf(instruction, parsed.escapeToken));
      else
        problems.push({ line, message: `${instruction.keyword} before the first FROM: only ARG may come before FROM` });
      continue;
    }
    current.instructions.push(instruction);
    current.endLine = instruction.endLine;
    if (instruction.name === 'arg') current.args.push(...argsOf(instruction, parsed.escapeToken));
  }
  if (stages.length === 0)
    problems.push({ line: 1, message: 'the Dockerfile has no FROM: it contains no stages to build' });
  return { ...parsed, stages, globalArgs, problems };
}

/** Parse a Dockerfile and describe its stages and ARGs (throws DockerfileParseError on syntax errors). */
export function readDockerfileModel(content: string | Uint8Array): DockerfileModel {
  return describeDockerfile(parseDockerfile(content));
}
