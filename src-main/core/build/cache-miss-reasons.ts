import type { StepSummary } from './build-summary';

/** What Strata keeps of each context file between builds: enough to say which files changed. */
export interface FileFingerprint {
  size: number;
  /** Whole seconds, as the tar carries it. */
  mtime: number;
  sha256: string;
}

/** Regular files of the context by `/`-separated path. */
export type ContextFingerprints = Record<string, FileFingerprint>;

/** One build as the reasons compare it. */
export interface BuildInputs {
  steps: readonly StepSummary[];
  buildArgs?: Record<string, string>;
  /** Base image reference as written in FROM → the image ID it resolved to. */
  baseImages?: Record<string, string>;
  /** Absent when the build kept no fingerprints (an older record). */
  files?: ContextFingerprints;
  noCache?: boolean;
  /** Context-relative paths of the Dockerfile and of the ignore file, to suggest excluding them. */
  dockerfile?: string;
  ignoreFile?: string;
}

export type CacheMissReason =
  | { kind: 'no-cache' }
  | { kind: 'new-step' }
  | { kind: 'instruction-changed'; before: string; after: string }
  | { kind: 'earlier-step'; stepId: string; stepName: string }
  | { kind: 'stage-rebuilt'; stage: string }
  | { kind: 'base-image'; image: string; before: string; after: string }
  | { kind: 'build-args'; changes: Array<{ name: string; before?: string; after?: string }> }
  | {
      kind: 'files';
      changed: string[];
      added: string[];
      removed: string[];
      /** The Dockerfile or ignore file among the changed files: excluding it keeps this step cached. */
      suggestIgnore: string[];
    }
  | { kind: 'unknown' };

export interface StepMiss {
  stepId: string;
  /** Stage and index of the step, for readers without the step list. */
  stepName: string;
  reason: CacheMissReason;
  /** One sentence: "COPY src ./src ran again: src/util.js changed". */
  text: string;
}

/**
 * Why each step of `current` that ran missed the cache, compared with `previous` (the previous build of the
 * same context, Dockerfile and builder). Steps are matched by stage and position; within a stage the first
 * step that ran names the cause (its text, the base image, build arguments or the files it copies) and the
 * steps after it ran because of it. Pure: tested on recorded pairs of builds.
 */
export function cacheMissReasons(previous: BuildInputs, current: BuildInputs): StepMiss[] {
  const before = byStage(previous.steps);
  const after = byStage(current.steps);
  const missedStages = new Set<string>();
  const misses: StepMiss[] = [];
  const argChanges = changedArgs(previous.buildArgs ?? {}, current.buildArgs ?? {});
  const fileChanges = previous.files && current.files ? diffFiles(previous.files, current.files) : undefined;

  for (const [stage, steps] of after) {
    const old = before.get(stage) ?? [];
    let firstMiss: StepSummary | undefined;
    let baseChange: CacheMissReason | undefined;
    for (const step of steps) {
      if (step.kind === 'base') {
        const ref = baseRef(step.name);
        const was = ref ? previous.baseImages?.[ref] : undefined;
        const now = ref ? current.baseImages?.[ref] : undefined;
        if (ref && was && now && was !== now) baseChange = { kind: 'base-image', image: ref, before: was, after: now };
        // FROM an earlier stage that ran again: everything here builds on new layers.
        else if (ref && missedStages.has(ref.toLowerCase())) baseChange = { kind: 'stage-rebuilt', stage: ref };
        continue;
      }
      if (step.kind !== 'instruction' || (step.state !== 'ran' && step.state !== 'failed')) continue;
      const prior = old.find((s) => s.index === step.index && s.kind === step.kind);
      let reason: CacheMissReason;
      if (current.noCache) reason = { kind: 'no-cache' };
      else if (!prior) reason = { kind: 'new-step' };
      else if (prior.name !== step.name)
        // BuildKit names a step with its build arguments expanded: same Dockerfile, new argument, new text.
        reason =
          argChanges.length && sameDockerfile(previous, current)
            ? { kind: 'build-args', changes: argChanges }
            : { kind: 'instruction-changed', before: prior.name, after: step.name };
      else if (firstMiss) reason = { kind: 'earlier-step', stepId: firstMiss.id, stepName: firstMiss.name };
      else if (baseChange) reason = baseChange;
      else reason = ownCause(step, argChanges, fileChanges, missedStages, current);
      firstMiss ??= step;
      misses.push({ stepId: step.id, stepName: step.name, reason, text: describe(step.name, reason) });
    }
    if (firstMiss || baseChange) missedStages.add(stageName(stage, steps));
  }
  return misses;
}

function sameDockerfile(previous: BuildInputs, current: BuildInputs): boolean {
  const path = current.dockerfile;
  const was = path ? previous.files?.[path] : undefined;
  const now = path ? current.files?.[path] : undefined;
  return !!was && !!now && was.sha256 === now.sha256;
}

/** No earlier step explains the miss: the step's own inputs do, or nothing Strata can see. */
function ownCause(
  step: StepSummary,
  argChanges: Array<{ name: string; before?: string; after?: string }>,
  fileChanges: FileDiff | undefined,
  missedStages: Set<string>,
  current: BuildInputs,
): CacheMissReason {
  const { sources, from } = copySources(step);
  if (from !== undefined) {
    if (missedStages.has(from)) return { kind: 'stage-rebuilt', stage: from };
  } else if (sources && fileChanges) {
    const hit = (paths: string[]) => paths.filter((p) => sources.some((s) => covers(s, p)));
    const changed = hit(fileChanges.changed);
    const added = hit(fileChanges.added);
    const removed = hit(fileChanges.removed);
    if (changed.length + added.length + removed.length > 0) {
      const own = [current.dockerfile, current.ignoreFile].filter((p): p is string => !!p);
      const suggestIgnore = own.filter((p) => changed.includes(p) || added.includes(p));
      return { kind: 'files', changed, added, removed, suggestIgnore };
    }
  }
  if (argChanges.length) return { kind: 'build-args', changes: argChanges };
  return { kind: 'unknown' };
}

export interface FileDiff {
  changed: string[];
  added: string[];
  removed: string[];
}

/** Files whose content changed, appeared or went since the previous build (a new mtime alone is no change). */
export function diffFiles(before: ContextFingerprints, after: ContextFingerprints): FileDiff {
  const diff: FileDiff = { changed: [], added: [], removed: [] };
  for (const [path, fp] of Object.entries(after)) {
    const was = before[path];
    if (!was) diff.added.push(path);
    else if (was.sha256 !== fp.sha256 || was.size !== fp.size) diff.changed.push(path);
  }
  for (const path of Object.keys(before)) if (!(path in after)) diff.removed.push(path);
  for (const list of [diff.changed, diff.added, diff.removed]) list.sort();
  return diff;
}

function changedArgs(
  before: Record<string, string>,
  after: Record<string, string>,
): Array<{ name: string; before?: string; after?: string }> {
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return names
    .filter((n) => before[n] !== after[n])
    .map((name) => ({
      name,
      ...(before[name] !== undefined ? { before: before[name] } : {}),
      ...(after[name] !== undefined ? { after: after[name] } : {}),
    }));
}

/** Steps grouped by stage: BuildKit names stages; the classic builder's stages begin at each FROM. */
function byStage(steps: readonly StepSummary[]): Map<string, StepSummary[]> {
  const groups = new Map<string, StepSummary[]>();
  let froms = 0;
  for (const step of steps) {
    if (step.kind === 'base') froms++;
    const key = step.stage ?? `#${froms}`;
    const list = groups.get(key) ?? [];
    list.push(step);
    groups.set(key, list);
  }
  for (const list of groups.values()) list.sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
  return groups;
}

/** The name later FROM and COPY --from use for a stage: BuildKit's stage label, or the classic `AS name`. */
function stageName(key: string, steps: readonly StepSummary[]): string {
  const from = steps.find((s) => s.kind === 'base');
  const alias = from ? /\sAS\s+(\S+)\s*$/i.exec(from.name)?.[1] : undefined;
  return (alias ?? key).toLowerCase();
}

function baseRef(name: string): string | undefined {
  return name
    .replace(/^FROM\s+/i, '')
    .split(/\s+/)
    .find((w) => w && !w.startsWith('--'));
}

/**
 * The context paths a COPY or ADD reads (`.` for all), or the stage it copies from. Shell form and JSON
 * form; URLs and heredocs read no context files.
 */
export function copySources(step: Pick<StepSummary, 'instruction' | 'name'>): { sources?: string[]; from?: string } {
  if (step.instruction !== 'COPY' && step.instruction !== 'ADD') return {};
  const rest = step.name.replace(/^\S+\s*/, '');
  const words = rest.split(/\s+/).filter(Boolean);
  const flags = words.filter((w) => w.startsWith('--'));
  const from = flags.find((f) => /^--from=/i.test(f))?.slice('--from='.length);
  if (from !== undefined) return { from: from.toLowerCase() };
  const args = rest.replace(/^(\s*--\S+\s*)*/, '').trim();
  let list: string[];
  if (args.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(args);
      list = Array.isArray(parsed) ? parsed.map(String) : [];
    } catch {
      list = args.split(/\s+/);
    }
  } else list = args.split(/\s+/);
  const sources = list
    .slice(0, -1)
    .filter((s) => !/^[a-z]+:\/\//i.test(s) && !s.startsWith('<<'))
    .map(
      (s) =>
        s
          .replace(/^(\.\/)+/, '')
          .replace(/^\/+/, '')
          .replace(/\/+$/, '') || '.',
    );
  return { sources };
}

/** Whether copying `source` (a path or glob in the context) reads `file`. */
function covers(source: string, file: string): boolean {
  if (source === '.' || source === '*') return true;
  if (!/[*?[]/.test(source)) return file === source || file.startsWith(`${source}/`);
  const pattern = new RegExp(
    `^${source
      .split('')
      .map((c) => (c === '*' ? '[^/]*' : c === '?' ? '[^/]' : /[\\^$.|+(){}]/.test(c) ? `\\${c}` : c))
      .join('')}(/.*)?$`,
  );
  return pattern.test(file);
}

function list(paths: string[]): string {
  const shown = paths.slice(0, 3).join(', ');
  return paths.length > 3 ? `${shown} and ${paths.length - 3} more` : shown;
}

/** The reason as one sentence, for the step row, the summary and the command line. */
export function describe(stepName: string, reason: CacheMissReason): string {
  const head = `${stepName} ran again`;
  switch (reason.kind) {
    case 'no-cache':
      return `${head}: the build was asked not to use the cache`;
    case 'new-step':
      return `${head}: the step is new since the previous build`;
    case 'instruction-changed':
      return `${head}: its text changed (was "${reason.before}")`;
    case 'earlier-step':
      return `${head}: an earlier step ran again (${reason.stepName}), and each step builds on the one before`;
    case 'stage-rebuilt':
      return `${head}: stage ${reason.stage}, which it builds on or copies from, was rebuilt`;
    case 'base-image':
      return `${head}: the base image ${reason.image} is now another image (${short(reason.before)} → ${short(reason.after)})`;
    case 'build-args':
      return `${head}: build argument ${reason.changes.map((c) => `${c.name} ${c.before ?? '(unset)'} → ${c.after ?? '(unset)'}`).join(', ')} changed`;
    case 'files': {
      const parts = [
        reason.changed.length ? `${list(reason.changed)} changed` : '',
        reason.added.length ? `${list(reason.added)} added` : '',
        reason.removed.length ? `${list(reason.removed)} removed` : '',
      ].filter(Boolean);
      const hint = reason.suggestIgnore.length
        ? `. ${reason.suggestIgnore.join(' and ')} ${reason.suggestIgnore.length === 1 ? 'is' : 'are'} part of the context: add ${reason.suggestIgnore.length === 1 ? 'it' : 'them'} to .dockerignore so editing ${reason.suggestIgnore.length === 1 ? 'it' : 'them'} no longer reruns this step`
        : '';
      return `${head}: ${parts.join('; ')}${hint}`;
    }
    case 'unknown':
      return `${head}: nothing Strata compares changed (the builder's cache may have been pruned)`;
  }
}

function short(id: string): string {
  return id.replace(/^sha256:/, '').slice(0, 12);
}
