import { DOCKERFILE_KEYWORDS } from '../dockerfile/dockerfile-keywords';
import type { ChangeIssue, CommandForm, ConfigChange } from './config-change';

/** Docker refuses these as ONBUILD triggers. */
const FORBIDDEN_TRIGGERS = new Set(['ONBUILD', 'FROM', 'MAINTAINER']);
const PROTOCOLS = new Set(['tcp', 'udp', 'sctp']);

/** Check one change; an empty list means it is valid. `index` is copied into each issue. */
export function validateChange(change: ConfigChange, index = 0): ChangeIssue[] {
  const issues: ChangeIssue[] = [];
  const issue = (field: string, message: string): void => void issues.push({ index, field, message });
  // The engine joins changes with newlines and parses them as a Dockerfile, so no field may span lines.
  const singleLine = (field: string, what: string, value: string): boolean => {
    if (!/[\r\n]/.test(value)) return true;
    issue(field, `${what} must be on one line.`);
    return false;
  };

  switch (change.instruction) {
    case 'CMD':
    case 'ENTRYPOINT':
      validateCommand(change.instruction, change.command, issue, singleLine);
      break;
    case 'ENV':
      if (change.key === '') issue('key', 'ENV needs a variable name.');
      else if (/[\s=$"'\\]/.test(change.key)) {
        issue('key', `"${change.key}" is not a valid variable name: no spaces, "=", "$", quotes or backslashes.`);
      }
      singleLine('value', 'The value', change.value);
      break;
    case 'LABEL':
      if (change.key.trim() === '') issue('key', 'LABEL needs a key, e.g. org.opencontainers.image.title.');
      // The engine splits `key=value` at the first "=", even inside quotes.
      else if (change.key.includes('=')) issue('key', 'A label key cannot contain "=".');
      else singleLine('key', 'The key', change.key);
      singleLine('value', 'The value', change.value);
      break;
    case 'EXPOSE':
      validatePort(change.port, issue);
      if (!PROTOCOLS.has(change.protocol)) issue('protocol', 'The protocol must be tcp, udp or sctp.');
      break;
    case 'USER':
      if (change.user.trim() === '') issue('user', 'USER needs a user name or UID (optionally :group or :GID).');
      else if (!/^[^\s:]+(:[^\s:]+)?$/.test(change.user)) {
        issue('user', `"${change.user}" is not user, user:group, UID or UID:GID (no spaces).`);
      }
      break;
    case 'WORKDIR':
      if (change.path.trim() === '') issue('path', 'WORKDIR needs a directory path, e.g. /app.');
      else singleLine('path', 'The path', change.path);
      break;
    case 'VOLUME':
      if (change.paths.length === 0) issue('paths', 'VOLUME needs at least one path, e.g. /data.');
      for (const path of change.paths) {
        if (!path.startsWith('/')) issue('paths', `Volume path "${path}" must be absolute (start with /).`);
        else singleLine('paths', 'A volume path', path);
      }
      break;
    case 'ONBUILD': {
      const trigger = change.trigger.trim();
      const word = (/^\S+/.exec(trigger)?.[0] ?? '').toUpperCase();
      if (trigger === '') issue('trigger', 'ONBUILD needs an instruction, e.g. RUN make.');
      else if (!DOCKERFILE_KEYWORDS.has(word)) issue('trigger', `"${word}" is not a Dockerfile instruction.`);
      else if (FORBIDDEN_TRIGGERS.has(word)) issue('trigger', `${word} is not allowed as an ONBUILD trigger.`);
      else if (trigger === word) issue('trigger', `${word} needs arguments.`);
      else if (singleLine('trigger', 'The trigger', trigger) && trigger.endsWith('\\')) {
        issue('trigger', 'The trigger cannot end with a backslash (it would continue onto the next line).');
      }
      break;
    }
    default: {
      const unknown: never = change;
      issue('instruction', `Unknown change ${(unknown as { instruction: string }).instruction}.`);
    }
  }
  return issues;
}

/** Check a list of changes; issues carry the index of the change they belong to. */
export function validateChanges(changes: readonly ConfigChange[]): ChangeIssue[] {
  return changes.flatMap((change, index) => validateChange(change, index));
}

function validateCommand(
  instruction: 'CMD' | 'ENTRYPOINT',
  command: CommandForm,
  issue: (field: string, message: string) => void,
  singleLine: (field: string, what: string, value: string) => boolean,
): void {
  if (command.form === 'exec') {
    // An empty exec form is meaningful: it clears the inherited CMD or ENTRYPOINT.
    if (command.args.some((a) => typeof a !== 'string')) issue('command', 'Every argument must be a string.');
    return;
  }
  const text = command.command.trim();
  if (text === '') {
    issue('command', `${instruction} needs a command; use the exec form [] to clear it.`);
  } else if (singleLine('command', 'The command', text) && text.endsWith('\\')) {
    issue('command', 'The command cannot end with a backslash (it would continue onto the next line).');
  }
}

function validatePort(port: string, issue: (field: string, message: string) => void): void {
  const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(port.trim());
  if (!m) {
    issue('port', `"${port}" is not a port number or range (e.g. 8080 or 8000-8010).`);
    return;
  }
  const start = Number(m[1]);
  const end = m[2] === undefined ? start : Number(m[2]);
  if (start < 1 || start > 65535 || end < 1 || end > 65535) issue('port', 'Ports are between 1 and 65535.');
  else if (end < start) issue('port', `The range ${port} ends before it starts.`);
}
