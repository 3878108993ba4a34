import { StrataError } from '../engine/errors';
import type { ConfigChange } from './config-change';
import { validateChange } from './validate-change';

/**
 * Render a change as the Dockerfile line the engine parses for `docker commit --change`. Values that the
 * engine would word-expand (ENV, LABEL, USER, WORKDIR, VOLUME) are quoted and escaped so they arrive verbatim:
 * no `$VAR` substitution, no quote removal surprises. Throws invalid-input when the change is not valid.
 */
export function renderChange(change: ConfigChange, engine: ChangeEngine = 'docker'): string {
  const issues = validateChange(change);
  if (issues.length > 0) {
    throw new StrataError('invalid-input', `${change.instruction}: ${issues.map((i) => i.message).join(' ')}`, {
      issues,
    });
  }
  if (engine === 'podman') return renderPodmanChange(change);
  switch (change.instruction) {
    case 'CMD':
    case 'ENTRYPOINT':
      return `${change.instruction} ${
        change.command.form === 'exec' ? JSON.stringify(change.command.args) : change.command.command.trim()
      }`;
    case 'ENV':
      return `ENV ${change.key}=${doubleQuoted(change.value)}`;
    case 'LABEL':
      return `LABEL ${doubleQuoted(change.key)}=${doubleQuoted(change.value)}`;
    case 'EXPOSE':
      return `EXPOSE ${change.port.trim()}/${change.protocol}`;
    case 'USER':
      return `USER ${dockerfileWord(change.user)}`;
    case 'WORKDIR':
      return `WORKDIR ${dockerfileWord(change.path)}`;
    case 'VOLUME':
      // The JSON form keeps paths whole; the engine still word-expands each entry, hence the escaping inside.
      return `VOLUME ${JSON.stringify(change.paths.map(escapeUnquoted))}`;
    case 'ONBUILD':
      return `ONBUILD ${change.trigger.trim()}`;
  }
}

/** Which engine parses the changes: Docker runs its Dockerfile parser, Podman a simpler one of its own. */
export type ChangeEngine = 'docker' | 'podman';

/** Render a list of changes, in order, as the engine's `changes` query values. */
export function renderChanges(changes: readonly ConfigChange[], engine: ChangeEngine = 'docker'): string[] {
  return changes.map((change) => renderChange(change, engine));
}

/**
 * Podman (4.x, its API and its CLI alike) does no Dockerfile word expansion on `--change`: it takes USER and
 * WORKDIR literally, splits ENV and LABEL at the first `=` and strips one pair of surrounding double quotes
 * from key and value, and reads VOLUME as a JSON array. Docker's escaping would arrive as backslashes, so
 * for Podman the value is wrapped in exactly one pair of quotes and otherwise left alone. It drops ONBUILD
 * from what it commits, so that is refused rather than silently lost.
 */
function renderPodmanChange(change: ConfigChange): string {
  switch (change.instruction) {
    case 'CMD':
    case 'ENTRYPOINT':
    case 'EXPOSE':
      return renderChange(change, 'docker');
    case 'ENV':
      return `ENV ${change.key}="${change.value}"`;
    case 'LABEL':
      return `LABEL "${change.key}"="${change.value}"`;
    case 'USER':
      return `USER ${change.user.trim()}`;
    case 'WORKDIR':
      return `WORKDIR ${change.path.trim()}`;
    case 'VOLUME':
      return `VOLUME ${JSON.stringify(change.paths)}`;
    case 'ONBUILD':
      throw new StrataError(
        'invalid-input',
        'ONBUILD: Podman leaves ONBUILD triggers out of a committed image. Build from a Dockerfile with ONBUILD to keep one.',
        { issues: [{ field: 'trigger', message: 'Podman drops ONBUILD from a commit.' }] },
      );
  }
}

/** Inside Dockerfile double quotes only `\`, `"` and `$` are special. */
export function doubleQuoted(value: string): string {
  return `"${value.replace(/[\\"$]/g, '\\$&')}"`;
}

/** A word left bare when it holds nothing the engine would expand or unquote, double-quoted otherwise. */
export function dockerfileWord(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./~-]+$/.test(value) ? value : doubleQuoted(value);
}

/** Outside quotes the engine's word expansion lets a backslash escape any character. */
function escapeUnquoted(value: string): string {
  return value.replace(/[\\"'$\s]/g, '\\$&');
}
