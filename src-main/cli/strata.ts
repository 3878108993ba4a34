#!/usr/bin/env node
import { runGuarded } from './answer-guard';
import { runAnalyzeCommand } from './analyze-command';
import { runBuildCommand } from './build-command';
import { runContextCommand } from './context-command';

/** `strata <command>`: the same core the app runs, for terminals and CI. */
const usage = `Usage: strata <command> [options]

Commands:
  context <dir> [--dockerfile <path>] [--builder classic|buildkit] [--json]
      what a build of <dir> would send to the engine (.dockerignore applied as Docker does)
  analyze <image-or-archive> [--json] [--ci] [--lowest-efficiency R] [--highest-wasted-bytes B] [--highest-user-wasted-percent P]
      layer sizes, efficiency and wasted space as dive computes them
  build <dir> [-t tag] [-f Dockerfile] [--builder classic|buildkit] [--network <mode>] [--json]
      build as the app does: the builder's log, the steps, and why each step missed the cache`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const io = { stdout: process.stdout, stderr: process.stderr };
  switch (command) {
    case 'context':
      return runContextCommand(rest, io);
    case 'analyze':
      return runAnalyzeCommand(rest, io);
    case 'build': {
      // Ctrl+C cancels the build (the classic builder's leftovers are removed) instead of killing it mid-way.
      const controller = new AbortController();
      process.once('SIGINT', () => controller.abort());
      return runBuildCommand(rest, io, { signal: controller.signal });
    }
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
