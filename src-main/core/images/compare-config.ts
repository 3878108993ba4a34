import type { ImageSummary } from './inspect-image';

/** How one key of a keyed field (an Env variable, a label, a port) differs between A and B. */
export interface KeyDiff {
  key: string;
  a?: string;
  b?: string;
  change: 'same' | 'added' | 'removed' | 'changed';
}

export type ConfigField =
  'Cmd' | 'Entrypoint' | 'Env' | 'Labels' | 'User' | 'WorkingDir' | 'ExposedPorts' | 'Volumes' | 'Author' | 'Comment';

/** One config field side by side. Keyed fields (Env, Labels, ExposedPorts, Volumes) also list per-key changes. */
export interface ConfigFieldDiff {
  field: ConfigField;
  /** Display text: JSON for command lines (as `docker inspect` shows them), one item per line for lists. */
  a: string;
  b: string;
  same: boolean;
  keys?: KeyDiff[];
}

function commandText(value: string[] | null): string {
  return value === null ? '' : JSON.stringify(value);
}

function envMap(env: readonly string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const item of env) {
    const eq = item.indexOf('=');
    if (eq < 0) map.set(item, '');
    else map.set(item.slice(0, eq), item.slice(eq + 1));
  }
  return map;
}

function keyDiffs(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): KeyDiff[] {
  const keys = [...new Set([...a.keys(), ...b.keys()])].sort();
  return keys.map((key): KeyDiff => {
    const va = a.get(key);
    const vb = b.get(key);
    const change = va === undefined ? 'added' : vb === undefined ? 'removed' : va === vb ? 'same' : 'changed';
    return { key, ...(va !== undefined ? { a: va } : {}), ...(vb !== undefined ? { b: vb } : {}), change };
  });
}

function keyed(
  field: ConfigField,
  a: Map<string, string>,
  b: Map<string, string>,
  text: (m: Map<string, string>) => string,
) {
  const keys = keyDiffs(a, b);
  return { field, a: text(a), b: text(b), same: keys.every((k) => k.change === 'same'), keys };
}

function scalar(field: ConfigField, a: string, b: string): ConfigFieldDiff {
  return { field, a, b, same: a === b };
}

const setOf = (items: readonly string[]) => new Map(items.map((item) => [item, '']));
const linesOfKeys = (m: Map<string, string>) => [...m.keys()].sort().join('\n');

/** Side-by-side diff of the config fields that tell two images apart (pure). */
export function compareConfig(a: ImageSummary, b: ImageSummary): ConfigFieldDiff[] {
  return [
    scalar('Cmd', commandText(a.config.cmd), commandText(b.config.cmd)),
    scalar('Entrypoint', commandText(a.config.entrypoint), commandText(b.config.entrypoint)),
    keyed('Env', envMap(a.config.env), envMap(b.config.env), (m) => [...m].map(([k, v]) => `${k}=${v}`).join('\n')),
    keyed('Labels', new Map(Object.entries(a.config.labels)), new Map(Object.entries(b.config.labels)), (m) =>
      [...m]
        .sort(([x], [y]) => x.localeCompare(y))
        .map(([k, v]) => `${k}=${v}`)
        .join('\n'),
    ),
    scalar('User', a.config.user, b.config.user),
    scalar('WorkingDir', a.config.workingDir, b.config.workingDir),
    keyed('ExposedPorts', setOf(a.config.exposedPorts), setOf(b.config.exposedPorts), linesOfKeys),
    keyed('Volumes', setOf(a.config.volumes), setOf(b.config.volumes), linesOfKeys),
    scalar('Author', a.author, b.author),
    scalar('Comment', a.comment, b.comment),
  ];
}
