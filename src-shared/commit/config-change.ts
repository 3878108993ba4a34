/**
 * The image config changes a commit can apply, as `docker commit --change` takes them. Each is a small
 * structured form the wizard edits; render-change.ts turns it into the Dockerfile line the engine parses.
 */

/** CMD and ENTRYPOINT take an exec form (argv, JSON array) or a shell form (run by `/bin/sh -c`). */
export type CommandForm = { form: 'exec'; args: string[] } | { form: 'shell'; command: string };

export type ExposeProtocol = 'tcp' | 'udp' | 'sctp';

export type ConfigChange =
  | { instruction: 'CMD'; command: CommandForm }
  | { instruction: 'ENTRYPOINT'; command: CommandForm }
  | { instruction: 'ENV'; key: string; value: string }
  /** `port` is a number or a range, `8000-8010`. */
  | { instruction: 'EXPOSE'; port: string; protocol: ExposeProtocol }
  | { instruction: 'LABEL'; key: string; value: string }
  /** `user`, `user:group`, `uid` or `uid:gid`. */
  | { instruction: 'USER'; user: string }
  | { instruction: 'WORKDIR'; path: string }
  | { instruction: 'VOLUME'; paths: string[] }
  /** A Dockerfile instruction that later builds FROM the image will run, e.g. `RUN make`. */
  | { instruction: 'ONBUILD'; trigger: string };

export type ChangeInstruction = ConfigChange['instruction'];

export const CHANGE_INSTRUCTIONS: readonly ChangeInstruction[] = [
  'CMD',
  'ENTRYPOINT',
  'ENV',
  'EXPOSE',
  'LABEL',
  'USER',
  'WORKDIR',
  'VOLUME',
  'ONBUILD',
];

/** A problem with one field of one change, phrased for the person fixing it. */
export interface ChangeIssue {
  /** Index of the change in the list it came from (0 when validating a single change). */
  index: number;
  /** Field of the change's form: `command`, `key`, `value`, `port`, `paths`, ... */
  field: string;
  message: string;
}

/**
 * Read what a person typed for CMD or ENTRYPOINT: text starting with `[` is the exec form and must be a JSON
 * array of strings (as in a Dockerfile); anything else is the shell form.
 */
export function parseCommandInput(text: string): { command: CommandForm } | { error: string } {
  const trimmed = text.trim();
  if (!trimmed.startsWith('[')) return { command: { form: 'shell', command: trimmed } };
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    return {
      error:
        'Starts with "[" but is not a JSON array: write ["executable", "arg"] with double quotes, or drop the brackets for the shell form.',
    };
  }
  if (!Array.isArray(parsed) || !parsed.every((a): a is string => typeof a === 'string')) {
    return { error: 'The exec form must be a JSON array of strings, e.g. ["sh", "-c", "echo hi"].' };
  }
  return { command: { form: 'exec', args: parsed } };
}

/** Show a command the way a person would type it back into the form. */
export function formatCommandInput(command: CommandForm): string {
  return command.form === 'exec' ? JSON.stringify(command.args) : command.command;
}
