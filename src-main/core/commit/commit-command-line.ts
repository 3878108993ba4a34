import type { ConfigChange } from './config-change';
import { renderChanges } from './render-change';
import { shellJoin } from './shell-quote';

export interface CommitCommandLineOptions {
  /** Container name or ID. */
  container: string;
  /** `repository[:tag]`; absent for an untagged image. */
  reference?: string;
  author?: string;
  message?: string;
  /** Docker pauses by default; only `false` shows up on the command line. */
  pause?: boolean;
  changes?: readonly ConfigChange[];
}

/** The argv of the `docker commit` that does what the wizard will do. */
export function commitCommandArgs(options: CommitCommandLineOptions): string[] {
  const args = ['docker', 'commit'];
  if (options.author) args.push('--author', options.author);
  if (options.message) args.push('--message', options.message);
  for (const change of renderChanges(options.changes ?? [])) args.push('--change', change);
  if (options.pause === false) args.push('--pause=false');
  args.push(options.container);
  if (options.reference) args.push(options.reference);
  return args;
}

/** The equivalent `docker commit` command line, quoted for a POSIX shell. Throws on invalid changes. */
export function commitCommandLine(options: CommitCommandLineOptions): string {
  return shellJoin(commitCommandArgs(options));
}
