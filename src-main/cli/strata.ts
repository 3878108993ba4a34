#!/usr/bin/env node
import { runGuarded } from './answer-guard';

// Keep V8's young generation at its initial size for commands that stream: short-lived buffers and
// objects by the million, few kept. Left to grow, the young generation takes tens of MiB for garbage
// (strata context --tar peaked at 83 MiB, with it at 67) for no measurable gain in time. Read by the heap
// whenever it considers growing, so it takes effect set before the command runs; the CLI process only
// (the app keeps V8's defaults). `strata analyze` keeps most of what it reads (an entry and a path per
// header), which a young generation of 1 MiB copies in some fifty scavenges: it keeps V8's default (on
// the 29,000-entry bench archive, 14 scavenges and about two thirds of the GC time, for 77 MiB at the
// peak instead of 69).
async function keepYoungGenerationSmall(): Promise<void> {
  (await import('node:v8')).setFlagsFromString('--semi-space-growth-factor=1');
}

/** `strata <command>`: the same core the app runs, for terminals and CI. */
const usage = `Usage: strata <command> [options]

Commands:
  context <dir> [--dockerfile <path>] [--builder auto|classic|buildkit] [--engine-kind docker|podman] [--json | --tar]
      what a build of <dir> would send to the engine (its ignore rules applied as that engine's builder does);
      --json also names the engine planned for and how the context goes; --tar writes that tar itself to stdout
  analyze <image-or-archive> [--json] [--ci] [--lowest-efficiency R] [--highest-wasted-bytes B] [--highest-user-wasted-percent P]
      layer sizes, efficiency and wasted space as dive computes them
  build <dir> [-t tag] [-f Dockerfile] [--builder classic|buildkit] [--network <mode>] [--json]
      build as the app does: the builder's log, the steps, and why each step missed the cache`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  // Getters: process.stdout, once touched, turns a pipe on fd 1 non-blocking, and `context --tar`
  // writes to fd 1 directly (blocking writes into a pipe are what keep it fast).
  const io = {
    get stdout() {
      return process.stdout;
    },
    get stderr() {
      return process.stderr;
    },
    stdoutFd: 1,
  };
  switch (command) {
    // Each command loads only its own code: `strata context` never loads the engine client, and
    // startup is a large part of a short command's time (half a second for everything, on a busy machine).
    case 'context':
      await keepYoungGenerationSmall();
      return (await import('./context-command')).runContextCommand(rest, io);
    case 'analyze':
      return (await import('./analyze-command')).runAnalyzeCommand(rest, io);
    case 'build': {
      await keepYoungGenerationSmall();
      // Ctrl+C cancels the build (the classic builder's leftovers are removed) instead of killing it mid-way.
      const controller = new AbortController();
      process.once('SIGINT', () => controller.abort());
      return (await import('./build-command')).runBuildCommand(rest, io, { signal: controller.signal });
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
