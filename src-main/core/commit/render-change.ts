import { StrataError } from '../engine/errors';
import type { ConfigChange } from './config-change';
import { validateChange } from './validate-change';

/**
 * Render a change as the Dockerfile line the engine parses for `docker commit --change`. Values that the
 * engine would word-expand (ENV, LABEL, USER, WORKDIR, VOLUME) are quoted and escaped so they arrive verbatim:
 * no `$VAR` substitution, no quote removal surprises. Throws invalid-input when the change is not valid.
 */
export function renderChange(change: ConfigChange): string {
  const issues = validateChange(change);
  if (issues.length > 0) {
    throw new StrataError('invalid-input', `${change.instruction}: ${issues.map((i) => i.message).join(' ')}`, {
      issues,
    });
  }
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

/** Render a list of changes, in order, as the engine's `changes` query values. */
export function renderChanges(changes: readonly ConfigChange[]): string[] {
  return changes.map(renderChange);
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
