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
  /** Docker pauses by default; only `false` shows up on a docker command line. */
  pause?: boolean;
  changes?: readonly ConfigChange[];
  /**
   * The CLI that works against the engine. Podman's API (4.x) refuses the body `docker commit` sends
   * ("Decode(): EOF"), so on Podman the line is `podman commit`, which must be told what docker implies:
   * the Docker image format (OCI has no commit message or ONBUILD) and pausing (Podman's default is not to).
   */
  cli?: 'docker' | 'podman';
}

/** The argv of the `docker commit` (or `podman commit`) that does what the wizard will do. */
export function commitCommandArgs(options: CommitCommandLineOptions): string[] {
  const podman = options.cli === 'podman';
  const args = podman ? ['podman', 'commit', '--format', 'docker'] : ['docker', 'commit'];
  if (options.author) args.push('--author', options.author);
  if (options.message) args.push('--message', options.message);
  for (const change of renderChanges(options.changes ?? [], podman ? 'podman' : 'docker'))
    args.push('--change', change);
  if (options.pause === false) args.push('--pause=false');
  else if (podman) args.push('--pause=true');
  args.push(options.container);
  if (options.reference) args.push(options.reference);
  return args;
}

/** The equivalent `docker commit` (or `podman commit`) command line, quoted for a POSIX shell. Throws on invalid changes. */
export function commitCommandLine(options: CommitCommandLineOptions): string {
  return shellJoin(commitCommandArgs(options));
}
