#!/usr/bin/env node
import { runGuarded } from './answer-guard';
import { runAnalyzeCommand } from './analyze-command';
import { runContextCommand } from './context-command';

/** `strata <command>`: the same core the app runs, for terminals and CI. */
const usage = `Usage: strata <command> [options]

Commands:
  context <dir> [--dockerfile <path>] [--builder auto|classic|buildkit] [--json | --tar]
      what a build of <dir> would send to the engine (.dockerignore applied as Docker does);
      --tar writes that tar itself to stdout
  analyze <image-or-archive> [--json] [--ci] [--lowest-efficiency R] [--highest-wasted-bytes B] [--highest-user-wasted-percent P]
      layer sizes, efficiency and wasted space as dive computes them`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const io = { stdout: process.stdout, stderr: process.stderr };
  switch (command) {
    case 'context':
      return runContextCommand(rest, io);
    case 'analyze':
      return runAnalyzeCommand(rest, io);
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      process.stdout.write(`${usage}\n`);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`strata: unknown command "${command}"\n\n${usage}\n`);
      return 2;
  }
}

runGuarded(main(process.argv.slice(2)), process, 'strata');
