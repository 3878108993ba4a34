/** How BuildKit reads a flag's value: a switch, one string, or a repeatable string. */
export type FlagKind = 'bool' | 'string' | 'strings';

/**
 * The flags each instruction accepts, as BuildKit's instructions parser declares them (the union over
 * current releases, so a flag a newer builder accepts is never reported). Instructions absent here
 * accept no flags; STOPSIGNAL and ARG never look at theirs.
 */
export const INSTRUCTION_FLAGS: Readonly<Record<string, Readonly<Record<string, FlagKind>>>> = {
  add: {
    chown: 'string',
    chmod: 'string',
    link: 'bool',
    'keep-git-dir': 'bool',
    checksum: 'string',
    unpack: 'bool',
    exclude: 'strings',
  },
  copy: { chown: 'string', from: 'string', chmod: 'string', link: 'bool', exclude: 'strings', parents: 'bool' },
  from: { platform: 'string' },
  run: { mount: 'strings', network: 'string', security: 'string', device: 'strings' },
  healthcheck: {
    interval: 'string',
    timeout: 'string',
    'start-period': 'string',
    'start-interval': 'string',
    retries: 'string',
  },
};

/** A parsed flag: its name without `--`, and its value (`undefined` when written without `=`). */
export interface FlagValue {
  name: string;
  value: string | undefined;
}

/**
 * BFlags.Parse: check `--flag[=value]` words against the flags the instruction declares. Returns the
 * flags read, or the message BuildKit fails with for the first bad one.
 */
export function parseFlags(
  words: readonly string[],
  declared: Readonly<Record<string, FlagKind>>,
): { flags: FlagValue[] } | { error: string } {
  const flags: FlagValue[] = [];
  const used = new Set<string>();
  for (const word of words) {
    if (word === '--') break;
    if (!word.startsWith('--')) return { error: `arg should start with -- : ${word}` };
    const eq = word.indexOf('=');
    const flagName = eq < 0 ? word : word.slice(0, eq);
    const value = eq < 0 ? undefined : word.slice(eq + 1);
    const name = flagName.slice(2);
    const kind = Object.hasOwn(declared, name) ? declared[name] : undefined;
    if (!kind) return { error: `unknown flag: ${flagName}` };
    if (used.has(name) && kind !== 'strings') return { error: `duplicate flag specified: ${flagName}` };
    used.add(name);
    if (kind === 'bool') {
      if (value === '') return { error: `missing a value on flag: ${flagName}` };
      if (value !== undefined && !['true', 'false'].includes(value.toLowerCase()))
        return { error: `expecting boolean value for flag ${flagName}, not: ${value}` };
    } else if (value === undefined) return { error: `missing a value on flag: ${flagName}` };
    flags.push({ name, value });
  }
  return { flags };
}
