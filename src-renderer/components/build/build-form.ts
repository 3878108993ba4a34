import type { BuildOptions } from '../../../src-main/ipc/contract/core-types';
import { buildTagProblems } from '$shared/build/build-tags';
import type { BuildRequestOptions } from '../../../src-main/ipc/contract/build';
import type { BuildDefaults } from '../../../src-main/ipc/contract/app';

/** The build options as the form holds them: text as typed, turned into a request when building. */
export interface BuildForm {
  /** Tags separated by spaces, commas or new lines. */
  tags: string;
  builder: 'auto' | 'classic' | 'buildkit';
  target: string;
  /** `KEY=value`, one a line. */
  buildArgs: string;
  labels: string;
  /** Empty for the engine's default. */
  networkMode: string;
  platform: string;
  noCache: boolean;
  pull: boolean;
}

/** An empty form, starting from the user's default build options (Settings) when given. */
export function defaultForm(defaults?: BuildDefaults): BuildForm {
  return {
    tags: '',
    builder: defaults?.builder ?? 'auto',
    target: '',
    buildArgs: '',
    labels: '',
    networkMode: defaults?.networkMode ?? '',
    platform: defaults?.platform ?? '',
    noCache: defaults?.noCache ?? false,
    pull: defaults?.pull ?? false,
  };
}

/**
 * The form a context's saved options make, without losing what the person typed while they loaded: a field
 * that changed since the load began (`before` → `now`) keeps the typed value; the others take the loaded one.
 */
export function keepTypedFields(before: BuildForm, now: BuildForm, loaded: BuildForm): BuildForm {
  const out = { ...loaded } as Record<keyof BuildForm, unknown>;
  for (const key of Object.keys(loaded) as Array<keyof BuildForm>) {
    if (now[key] !== before[key]) out[key] = now[key];
  }
  return out as unknown as BuildForm;
}

function splitTags(text: string): string[] {
  return text.split(/[\s,]+/).filter(Boolean);
}

/** `KEY=value` lines to a record; a line without `=` is a problem named by its line number. */
export function parseKeyValues(text: string, what: string): { values: Record<string, string>; problems: string[] } {
  const values: Record<string, string> = {};
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const eq = line.indexOf('=');
    if (eq <= 0) problems.push(`${what} line ${i + 1}: write KEY=value`);
    else values[line.slice(0, eq).trim()] = line.slice(eq + 1);
  });
  return { values, problems };
}

/** The request for build.start, or the problems that stop it. */
export function formToRequest(form: BuildForm): { options?: BuildRequestOptions; problems: string[] } {
  const tags = splitTags(form.tags);
  const args = parseKeyValues(form.buildArgs, 'Build args');
  const labels = parseKeyValues(form.labels, 'Labels');
  const problems = [...buildTagProblems(tags).map((p) => `Tag ${p}`), ...args.problems, ...labels.problems];
  if (problems.length) return { problems };
  const options: BuildRequestOptions = {
    tags,
    builder: form.builder,
    buildArgs: args.values,
    labels: labels.values,
    noCache: form.noCache,
    pull: form.pull,
    ...(form.target.trim() ? { target: form.target.trim() } : {}),
    ...(form.networkMode.trim() ? { networkMode: form.networkMode.trim() } : {}),
    ...(form.platform.trim() ? { platform: form.platform.trim() } : {}),
  };
  return { options, problems: [] };
}

/** A kept build's options back into the form (rebuild, reopen, "remembered per context"). */
export function optionsToForm(options: Omit<BuildOptions, 'dockerfile'>): BuildForm {
  const lines = (record: Record<string, string> | undefined) =>
    Object.entries(record ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join('\n');
  return {
    tags: (options.tags ?? []).join(' '),
    builder: options.builder,
    target: options.target ?? '',
    buildArgs: lines(options.buildArgs),
    labels: lines(options.labels),
    networkMode: options.networkMode ?? '',
    platform: options.platform ?? '',
    noCache: options.noCache ?? false,
    pull: options.pull ?? false,
  };
}
