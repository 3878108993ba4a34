import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeDataFile } from '../settings/json-file';
import type { BuildEvent } from './build-events';
import { cacheSavings, carryRunCosts, type StepSummary } from './build-summary';
import { type ContextFingerprints, cacheMissReasons, type StepMiss } from './cache-miss-reasons';
import type { BuildFailure, BuildOptions, BuildOutcome, BuildStatus } from './run-build';

/** A build as the history list shows it: everything but the steps and the log. */
export interface BuildRecordSummary {
  id: string;
  /** Absolute path of the build context folder. */
  contextDir: string;
  /** Dockerfile path inside the context. */
  dockerfile: string;
  options: BuildOptions;
  status: BuildStatus;
  imageId?: string;
  tags: string[];
  sizeBytes?: number;
  startedAt: number;
  durationMs: number;
  cachedSteps: number;
  ranSteps: number;
  error?: BuildFailure;
  /** The previous successful build of this context (same Dockerfile and builder) this one is compared with. */
  baselineBuildId?: string;
  baselineDurationMs?: number;
  /** What this build's cached steps cost when they last ran (carried from build to build): the time the cache saved. */
  cacheSavedMs?: number;
  /** Base image reference as written in FROM → the image ID it was when this build ran. */
  baseImages?: Record<string, string>;
  /** Why each step that ran missed the cache, compared with the baseline build. */
  cacheMisses?: StepMiss[];
}

export interface BuildRecord extends BuildRecordSummary {
  steps: StepSummary[];
  events: BuildEvent[];
}

export interface NewBuildRecord {
  contextDir: string;
  dockerfile: string;
  options: BuildOptions;
  outcome: BuildOutcome;
  /** The context's regular files as sent: kept so the next build can say which files changed. */
  files?: ContextFingerprints;
  /** When hashing `files` began (epoch ms): the next build trusts unchanged size and mtime only before it. */
  filesHashedAt?: number;
  baseImages?: Record<string, string>;
  /** Context-relative path of the ignore file in effect, if any. */
  ignoreFile?: string;
}

const ID = /^\d{8}T\d{9}Z-[0-9a-f]{8}$/;

/**
 * Every build kept as JSON in a data folder: `<id>.json` (summary and steps) and `<id>.events.json`
 * (the full event log), each written atomically. The summary file is written last, so a record is listed
 * only once it is whole.
 */
export class BuildHistoryStore {
  constructor(private readonly dir: string) {}

  /**
   * Keep a finished build; compares it with the previous successful build of the same context, Dockerfile
   * and builder to tell why steps missed the cache and what the cache saved.
   */
  async add(input: NewBuildRecord): Promise<BuildRecord> {
    const { outcome } = input;
    const id = `${new Date(outcome.startedAt).toISOString().replace(/[-:.]/g, '')}-${randomBytes(4).toString('hex')}`;
    const baseline = await this.baselineFor(input);
    const steps = carryRunCosts(outcome.steps, baseline?.steps ?? []);
    const baselineFiles = baseline ? await this.files(baseline.id) : undefined;
    const cacheMisses = baseline
      ? cacheMissReasons(
          {
            steps: baseline.steps,
            ...(baseline.options.buildArgs ? { buildArgs: baseline.options.buildArgs } : {}),
            ...(baseline.baseImages ? { baseImages: baseline.baseImages } : {}),
            ...(baselineFiles ? { files: baselineFiles } : {}),
          },
          {
            steps,
            ...(input.options.buildArgs ? { buildArgs: input.options.buildArgs } : {}),
            ...(input.baseImages ? { baseImages: input.baseImages } : {}),
            ...(input.files ? { files: input.files } : {}),
            ...(input.options.noCache ? { noCache: true } : {}),
            dockerfile: input.dockerfile,
            ...(input.ignoreFile ? { ignoreFile: input.ignoreFile } : {}),
          },
        )
      : undefined;
    const summary: BuildRecordSummary = {
      id,
      contextDir: input.contextDir,
      dockerfile: input.dockerfile,
      options: input.options,
      status: outcome.status,
      ...(outcome.imageId ? { imageId: outcome.imageId } : {}),
      tags: outcome.tags,
      ...(outcome.sizeBytes !== undefined ? { sizeBytes: outcome.sizeBytes } : {}),
      startedAt: outcome.startedAt,
      durationMs: outcome.durationMs,
      cachedSteps: outcome.cachedSteps,
      ranSteps: outcome.ranSteps,
      ...(outcome.error ? { error: outcome.error } : {}),
      ...(baseline
        ? {
            baselineBuildId: baseline.id,
            baselineDurationMs: baseline.durationMs,
            cacheSavedMs: cacheSavings(steps),
            ...(cacheMisses ? { cacheMisses } : {}),
          }
        : {}),
      ...(input.baseImages ? { baseImages: input.baseImages } : {}),
    };
    await mkdir(this.dir, { recursive: true });
    if (input.files)
      await writeDataFile(
        join(this.dir, `${id}.context.json`),
        JSON.stringify({ hashedAt: input.filesHashedAt ?? outcome.startedAt, files: input.files }),
      );
    await writeDataFile(join(this.dir, `${id}.events.json`), JSON.stringify(outcome.events));
    await writeDataFile(join(this.dir, `${id}.json`), JSON.stringify({ ...summary, steps }));
    return { ...summary, steps, events: outcome.events };
  }

  /** Every kept build, newest first; optionally only those of one context folder. */
  async list(filter: { contextDir?: string } = {}): Promise<BuildRecordSummary[]> {
    const records = await this.readAll();
    return records
      .filter((r) => filter.contextDir === undefined || r.contextDir === filter.contextDir)
      .map(({ steps: _steps, ...summary }) => summary)
      .sort((a, b) => b.startedAt - a.startedAt || b.id.localeCompare(a.id));
  }

  /** One build with its steps and full log, or undefined when there is no such build. */
  async get(id: string): Promise<BuildRecord | undefined> {
    if (!ID.test(id)) return undefined;
    const head = await readJson<BuildRecordSummary & { steps: StepSummary[] }>(join(this.dir, `${id}.json`));
    if (!head) return undefined;
    const events = (await readJson<BuildEvent[]>(join(this.dir, `${id}.events.json`))) ?? [];
    return { ...head, events };
  }

  /** Forget a build; false when there was none. */
  async delete(id: string): Promise<boolean> {
    if (!ID.test(id)) return false;
    const existed = (await readJson(join(this.dir, `${id}.json`))) !== undefined;
    await rm(join(this.dir, `${id}.json`), { force: true });
    await rm(join(this.dir, `${id}.events.json`), { force: true });
    await rm(join(this.dir, `${id}.context.json`), { force: true });
    return existed;
  }

  /** The options of the latest build of a context: what the build form starts from. */
  async lastOptions(contextDir: string): Promise<BuildOptions | undefined> {
    return (await this.list({ contextDir }))[0]?.options;
  }

  private async baselineFor(
    input: Pick<NewBuildRecord, 'contextDir' | 'dockerfile' | 'options'>,
  ): Promise<(BuildRecordSummary & { steps: StepSummary[] }) | undefined> {
    const same = (await this.readAll()).filter(
      (r) =>
        r.contextDir === input.contextDir &&
        r.dockerfile === input.dockerfile &&
        r.options.builder === input.options.builder &&
        // Never measured against a failed or cancelled build: its steps did not all run.
        r.status === 'succeeded',
    );
    return same.sort((a, b) => b.startedAt - a.startedAt || b.id.localeCompare(a.id))[0];
  }

  /** The fingerprints of the build the next build of this context, Dockerfile and builder is compared with. */
  async previousFiles(
    input: Pick<NewBuildRecord, 'contextDir' | 'dockerfile' | 'options'>,
  ): Promise<{ files: ContextFingerprints; hashedAt: number } | undefined> {
    const baseline = await this.baselineFor(input);
    return baseline ? this.kept(baseline.id) : undefined;
  }

  /** The context fingerprints a build kept, if it kept any. */
  async files(id: string): Promise<ContextFingerprints | undefined> {
    return (await this.kept(id))?.files;
  }

  private async kept(id: string): Promise<{ files: ContextFingerprints; hashedAt: number } | undefined> {
    if (!ID.test(id)) return undefined;
    const kept = await readJson<{ files?: ContextFingerprints; hashedAt?: number }>(
      join(this.dir, `${id}.context.json`),
    );
    return kept?.files && typeof kept.hashedAt === 'number'
      ? { files: kept.files, hashedAt: kept.hashedAt }
      : undefined;
  }

  private async readAll(): Promise<Array<BuildRecordSummary & { steps: StepSummary[] }>> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const ids = names.filter((n) => n.endsWith('.json') && !n.endsWith('.events.json')).map((n) => n.slice(0, -5));
    const records = await Promise.all(
      ids
        .filter((id) => ID.test(id))
        .map((id) => readJson<BuildRecordSummary & { steps: StepSummary[] }>(join(this.dir, `${id}.json`))),
    );
    return records.filter((r): r is BuildRecordSummary & { steps: StepSummary[] } => r !== undefined);
  }
}

/** A damaged or half-written file reads as absent: history must never stop the app. */
async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}
