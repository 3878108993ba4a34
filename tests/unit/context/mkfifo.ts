import { execFileSync } from 'node:child_process';

/** Create a named pipe (Node has no mkfifo; coreutils does). */
export function mkfifo(file: string): void {
  execFileSync('mkfifo', [file]);
}
