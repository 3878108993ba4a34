import {
  parseCommandInput,
  type ChangeInstruction,
  type ConfigChange,
  type ExposeProtocol,
} from '$shared/commit/config-change';
import { validateChange } from '$shared/commit/validate-change';

/** One config change as the form holds it: text fields, parsed into a ConfigChange on demand. */
export interface ChangeDraft {
  id: number;
  instruction: ChangeInstruction;
  /** CMD / ENTRYPOINT: a JSON array (exec form) or a shell command. */
  command: string;
  /** ENV / LABEL. */
  key: string;
  value: string;
  /** EXPOSE. */
  port: string;
  protocol: ExposeProtocol;
  /** USER, WORKDIR, ONBUILD; VOLUME: one path a line. */
  text: string;
}

/** What the person typed in the wizard, kept per container so an error or a detour loses nothing. */
export interface CommitDraft {
  reference: string;
  author: string;
  message: string;
  pause: boolean;
  changes: ChangeDraft[];
}

const drafts: Record<string, CommitDraft> = $state({});

let nextId = 1;

export function newChange(instruction: ChangeInstruction): ChangeDraft {
  return { id: nextId++, instruction, command: '', key: '', value: '', port: '', protocol: 'tcp', text: '' };
}

export function draftFor(containerId: string, author: string): CommitDraft {
  drafts[containerId] ??= { reference: '', author, message: '', pause: true, changes: [] };
  return drafts[containerId];
}

/** The change a draft describes, or the problems that keep it from being one. */
export function toChange(
  draft: ChangeDraft,
): { change: ConfigChange; problems: string[] } | { change?: undefined; problems: string[] } {
  let change: ConfigChange;
  switch (draft.instruction) {
    case 'CMD':
    case 'ENTRYPOINT': {
      const parsed = parseCommandInput(draft.command);
      if ('error' in parsed) return { problems: [parsed.error] };
      change = { instruction: draft.instruction, command: parsed.command };
      break;
    }
    case 'ENV':
    case 'LABEL':
      change = { instruction: draft.instruction, key: draft.key.trim(), value: draft.value };
      break;
    case 'EXPOSE':
      change = { instruction: 'EXPOSE', port: draft.port.trim(), protocol: draft.protocol };
      break;
    case 'USER':
      change = { instruction: 'USER', user: draft.text.trim() };
      break;
    case 'WORKDIR':
      change = { instruction: 'WORKDIR', path: draft.text.trim() };
      break;
    case 'VOLUME':
      change = {
        instruction: 'VOLUME',
        paths: draft.text
          .split('\n')
          .map((p) => p.trim())
          .filter((p) => p !== ''),
      };
      break;
    case 'ONBUILD':
      change = { instruction: 'ONBUILD', trigger: draft.text.trim() };
      break;
  }
  const problems = validateChange(change).map((issue) => issue.message);
  return problems.length > 0 ? { problems } : { change, problems: [] };
}
