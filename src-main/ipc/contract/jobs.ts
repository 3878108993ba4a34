import { z } from 'zod';
import type { BuildEvent } from '../../core/build/build-events';
import type { BuildRecordSummary } from '../../core/build/build-history-store';
import type { NoteTone } from '../../core/build/build-plan';
import type { BuildOptions } from '../../core/build/run-build';
import type { CommitResult } from '../../core/commit/commit-container';
import type { FollowEnd } from '../../core/containers/container-logs';
import type { OutputStream } from '../../core/containers/stream-demuxer';
import type { StrataErrorShape } from '$shared/engine/errors';
import type { ImportResult } from '../../core/images/import-image';
import type { LoadResult } from '../../core/images/load-images';
import type { SaveResult, TransferProgress } from '../../core/images/save-images';
import type { LayersOpened, LayersProgress } from '../../core/layers/open-analysis';
import { channel, empty, ok } from './define';

/**
 * The `step` data of a build job: first what is being built, and last the build as kept in history, sent
 * whatever the outcome (a failed build ends the job with an error whose details carry `buildId`, a cancelled
 * one ends it cancelled: neither has `done` data).
 */
export type BuildStage =
  | {
      stage: 'started';
      contextDir: string;
      dockerfile: string;
      options: Omit<BuildOptions, 'dockerfile'>;
      /** Why the builder is not the one asked for or expected (for the log). */
      note?: string;
      /** Information (how the context goes), or a warning: not the builder's error output. */
      noteTone?: NoteTone;
    }
  | { stage: 'finished'; build: BuildRecordSummary };

/** First event of a terminal job (type `step`): what the session is attached to. */
export interface TerminalOpened {
  kind: 'attach' | 'exec';
  containerId: string;
  execId?: string;
}

/** How a terminal session ended; the `done` data of a terminal job and the answer to terminalDetach. */
export interface TerminalExitReport {
  reason: 'detached' | 'exited' | 'error';
  exitCode?: number;
  message?: string;
}

/**
 * Every kind of job and what it reports: the data of its `progress`, `step` and `output` events (a kind
 * without one never sends it) and of its `done` event. `error` and `cancelled` always carry the error shape.
 */
export interface JobKinds {
  /** `output`: the build's own events in order, a batch per turn of the event loop. `done`: the kept build. */
  build: { step: BuildStage; output: readonly BuildEvent[]; done: BuildRecordSummary };
  commit: { done: CommitResult };
  'image-save': { progress: TransferProgress; done: SaveResult };
  'image-load': { progress: TransferProgress; done: LoadResult };
  'image-import': { progress: TransferProgress; done: ImportResult };
  /** layers.analyzeImage and layers.analyzeArchive. */
  'layers-analyze': { progress: LayersProgress; done: LayersOpened };
  /** `output`: text as the container wrote it, ANSI kept. */
  logs: { output: { stream: OutputStream; text: string }; done: { ended: FollowEnd } };
  /** `output`: text for the terminal, ANSI kept. */
  terminal: { step: TerminalOpened; output: string; done: TerminalExitReport };
}

export type JobKind = keyof JobKinds;
/** The events a kind of job sends while it runs. */
export type JobReport<K extends JobKind> = Extract<keyof JobKinds[K], 'progress' | 'step' | 'output'>;
export type JobDone<K extends JobKind> = JobKinds[K]['done'];

declare const jobKindBrand: unique symbol;
/** A job's id, carrying its kind: what a job-starting channel answers, so following it is typed. */
export type JobId<K extends JobKind = JobKind> = string & { readonly [jobKindBrand]: K };

interface JobEventBase<K extends JobKind> {
  jobId: string;
  kind: K;
  /** Orders a job's events; a view that comes back asks for those after the last it saw. */
  seq: number;
}

/** One thing a job of kind K reported. */
export type JobEventOf<K extends JobKind> = K extends JobKind
  ? | { [T in JobReport<K>]: JobEventBase<K> & { type: T; data: JobKinds[K][T] } }[JobReport<K>]
    | (JobEventBase<K> & { type: 'done'; data: JobDone<K> })
    | (JobEventBase<K> & { type: 'error' | 'cancelled'; data: StrataErrorShape })
  : never;

/** One thing some job reported: narrow on `kind`, then `type`, to get its data's type. */
export type JobEvent = JobEventOf<JobKind>;
export type JobEventType = JobEvent['type'];

export type JobState = 'running' | 'done' | 'error' | 'cancelled';

export type JobSummaryOf<K extends JobKind> = K extends JobKind
  ? { jobId: JobId<K>; kind: K; title: string; state: JobState; startedAt: number; endedAt?: number }
  : never;
export type JobSummary = JobSummaryOf<JobKind>;

/** What a job-starting channel answers: the new job's id, typed by its kind. */
export const jobStarted = <K extends JobKind>() => z.custom<{ jobId: JobId<K> }>();

export const jobs = {
  list: channel(empty, z.custom<JobSummary[]>()),
  /** Everything a job has reported after `afterSeq`: how a view catches up on output it missed. */
  events: channel(
    z.object({ jobId: z.string().max(64), afterSeq: z.number().int().min(-1).default(-1) }).strict(),
    z.custom<{ job: JobSummary; events: JobEvent[] }>(),
  ),
  cancel: channel(z.object({ jobId: z.string().max(64) }).strict(), ok),
};
