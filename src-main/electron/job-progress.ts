import type { BuildEvent } from '../core/build/build-events';
import type { PushedEvent, PushedEventName } from '../ipc/contract';
import type { JobEvent, JobKind, JobSummary } from '../ipc/contract/jobs';

/** The part of a BrowserWindow this needs (a fake in tests). */
export interface ProgressWindow {
  isDestroyed(): boolean;
  isFocused(): boolean;
  isVisible(): boolean;
  isMinimized(): boolean;
  setProgressBar(progress: number, options?: { mode: 'none' | 'normal' | 'indeterminate' | 'error' | 'paused' }): void;
}

export interface JobNotice {
  title: string;
  body: string;
  failed: boolean;
}

export interface JobProgressOptions {
  window(): ProgressWindow | undefined;
  /** The job runner's list: a job's kind and title (events carry only its id). */
  jobs: { list(): JobSummary[] };
  /** Show a system notification. */
  notify(notice: JobNotice): void;
  /** Jobs that ran at least this long notify when they end in the background (default 10 s). */
  longJobMs?: number;
  /** The user's setting; notifications are on unless it says no. */
  notificationsEnabled?(): boolean | Promise<boolean>;
  /** Where a notification that could not be shown is reported; console.error by default. */
  log?(line: string): void;
}

/** Kinds of job worth a progress bar, and the word a notification uses for each. */
const TRACKED: Partial<Record<JobKind, string>> = {
  build: 'Build',
  'image-save': 'Save',
  'image-load': 'Load',
  'image-import': 'Import',
  commit: 'Commit',
};

interface Tracked {
  kind: JobKind;
  /** 0..1, or null while the job cannot say how far it is. */
  fraction: number | null;
}

/**
 * Dock/taskbar progress for builds, loads, saves, imports and commits, from the jobs' own events; and a
 * system notification when a long one ends while the window is in the background.
 */
export class JobProgress {
  private readonly running = new Map<string, Tracked>();
  /** Jobs seen and not tracked (logs, terminals), so their many events cost no lookup. */
  private readonly ignored = new Set<string>();
  private shown: number | undefined;

  constructor(private readonly options: JobProgressOptions) {}

  /** Feed every pushed event here (the window's bus listener does). */
  handle<N extends PushedEventName>(name: N, payload: PushedEvent<N>): void {
    if (name !== 'job.event') return;
    // `name` narrows the name, not the payload's type with it.
    const event = payload as PushedEvent<'job.event'>;
    if (this.ignored.has(event.jobId)) return;
    let job = this.running.get(event.jobId);
    if (!job) {
      const summary = this.summary(event.jobId);
      if (!summary || !(summary.kind in TRACKED)) {
        this.ignored.add(event.jobId);
        return;
      }
      job = { kind: summary.kind, fraction: null };
      this.running.set(event.jobId, job);
    }
    if (event.type === 'done' || event.type === 'error' || event.type === 'cancelled') {
      this.running.delete(event.jobId);
      this.ignored.add(event.jobId);
      this.update();
      if (event.type === 'error' || event.type === 'done') {
        const failure = event.type === 'error' ? event.data.message : undefined;
        // Nobody awaits a notification; one that cannot be shown (the setting unreadable, the system's
        // notifications failing) is logged with the job it was for.
        this.maybeNotify(event.jobId, job.kind, failure).catch((err: unknown) => {
          const log = this.options.log ?? ((line: string) => console.error(line));
          log(
            `Strata: could not notify the end of job ${event.jobId}: ${err instanceof Error ? err.message : String(err)}`,
          );
        });
      }
      return;
    }
    const fraction = fractionOf(event);
    if (fraction !== undefined) job.fraction = fraction;
    this.update();
  }

  private summary(jobId: string): JobSummary | undefined {
    return this.options.jobs.list().find((j) => j.jobId === jobId);
  }

  /** One bar for all running jobs: the mean of those that know their fraction, else indeterminate. */
  private update(): void {
    const window = this.options.window();
    if (!window || window.isDestroyed()) return;
    const jobs = [...this.running.values()];
    const known = jobs.flatMap((j) => (j.fraction === null ? [] : [j.fraction]));
    // Electron: a value below 0 removes the bar, above 1 shows it indeterminate.
    const value =
      jobs.length === 0
        ? -1
        : known.length === 0
          ? 2
          : Math.round((known.reduce((a, b) => a + b, 0) / known.length) * 100) / 100;
    if (value === this.shown) return;
    this.shown = value;
    window.setProgressBar(value, { mode: value < 0 ? 'none' : value > 1 ? 'indeterminate' : 'normal' });
  }

  /** `failure`: the error's message, for a job that failed. */
  private async maybeNotify(jobId: string, kind: JobKind, failure?: string): Promise<void> {
    const summary = this.summary(jobId);
    if (!summary) return;
    const ranMs = (summary.endedAt ?? Date.now()) - summary.startedAt;
    if (ranMs < (this.options.longJobMs ?? 10_000)) return;
    const window = this.options.window();
    const inBackground =
      !window || window.isDestroyed() || !window.isFocused() || window.isMinimized() || !window.isVisible();
    if (!inBackground) return;
    if ((await this.options.notificationsEnabled?.()) === false) return;
    const word = TRACKED[kind] ?? 'Job';
    const failed = failure !== undefined;
    this.options.notify({
      title: failed ? `${word} failed` : `${word} finished`,
      body: failure ? `${summary.title}\n${failure}` : summary.title,
      failed,
    });
  }
}

/** How far a job is from one of its events; undefined when the event does not tell. */
function fractionOf(event: JobEvent): number | null | undefined {
  if (event.kind === 'build') return event.type === 'output' ? buildFraction(event.data) : undefined;
  if (event.type !== 'progress' || !('bytes' in event.data)) return undefined;
  const { bytes, totalBytes } = event.data;
  if (totalBytes === undefined || totalBytes <= 0) return null;
  return Math.min(1, Math.max(0, bytes / totalBytes));
}

/** A build says "step N of M" when a step starts and ends; the last such is how far it is. */
function buildFraction(events: readonly BuildEvent[]): number | undefined {
  let fraction: number | undefined;
  for (const e of events) {
    if (e.type === 'step-start' && e.step.index && e.step.total) {
      fraction = Math.min(1, (e.step.index - 1) / e.step.total);
    }
  }
  return fraction;
}
