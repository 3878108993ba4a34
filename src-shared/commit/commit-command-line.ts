import type { ConfigChange } from './config-change';
import { renderChanges } from './render-change';
import { shellJoin } from './shell-quote';

/** What a commit makes, as both the engine call and the equivalent command line take it. */
export interface CommitRequest {
  /** Container name or ID, running or stopped. */
  container: string;
  /** `repository[:tag]` for the new image; untagged when absent. A missing tag means `latest`. */
  reference?: string;
  author?: string;
  /** The commit message, kept as the image's Comment. */
  message?: string;
  /**
   * Pause the container while its filesystem is copied, as docker does by default (default true); only `false`
   * shows up on a docker command line.
   */
  pause?: boolean;
  /** Config changes applied to the new image (`--change`). */
  changes?: readonly ConfigChange[];
}

export interface CommitCommandLineOptions extends CommitRequest {
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
