import { z } from 'zod';
import type { BuildEvent, BuildStep } from '../../core/build/build-events';
import type { StepSummary } from '../../core/build/build-summary';
import type { BuildRecord, BuildRecordSummary } from '../../core/build/build-history-store';
import { channel, jobStarted, ok } from './define';

const path = z.string().min(1).max(4096);
const buildId = z.string().min(1).max(64);
const keyValues = z
  .record(z.string().min(1).max(256), z.string().max(8192))
  .refine((r) => Object.keys(r).length <= 256, 'at most 256 entries');

/** Build options as the form sends them; `auto` picks BuildKit on Docker Engine, the classic builder elsewhere. */
export const buildRequestOptions = z
  .object({
    tags: z.array(z.string().min(1).max(512)).max(32).default([]),
    buildArgs: keyValues.default({}),
    target: z.string().max(256).optional(),
    noCache: z.boolean().default(false),
    pull: z.boolean().default(false),
    networkMode: z.string().max(128).optional(),
    platform: z.string().max(128).optional(),
    labels: keyValues.default({}),
    builder: z.enum(['auto', 'classic', 'buildkit']).default('auto'),
  })
  .strict();

const builderKind = z.enum(['classic', 'buildkit']);

/** core/build BuildOptions, as kept in history. */
export const buildOptions = z.object({
  dockerfile: z.string().optional(),
  tags: z.array(z.string()).optional(),
  buildArgs: z.record(z.string(), z.string()).optional(),
  target: z.string().optional(),
  noCache: z.boolean().optional(),
  pull: z.boolean().optional(),
  networkMode: z.string().optional(),
  platform: z.string().optional(),
  labels: z.record(z.string(), z.string()).optional(),
  builder: builderKind,
});

export const buildStep = z.object({
  id: z.string(),
  name: z.string(),
  instruction: z.string().optional(),
  index: z.number().optional(),
  total: z.number().optional(),
  stage: z.string().optional(),
  line: z.number().optional(),
  kind: z.enum(['instruction', 'base', 'meta', 'internal']),
});

const at = { at: z.number() };
export const buildEvent = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('upload'),
    sentBytes: z.number(),
    totalBytes: z.number().nullable(),
    done: z.boolean(),
    ...at,
  }),
  z.object({ type: z.literal('step-start'), step: buildStep, ...at }),
  z.object({ type: z.literal('step-cached'), stepId: z.string(), ...at }),
  z.object({
    type: z.literal('step-log'),
    stepId: z.string().nullable(),
    stream: z.enum(['stdout', 'stderr']),
    line: z.string(),
    ...at,
  }),
  z.object({ type: z.literal('builder-log'), stepId: z.string().nullable(), text: z.string(), ...at }),
  z.object({ type: z.literal('step-done'), stepId: z.string(), cached: z.boolean(), durationMs: z.number(), ...at }),
  z.object({
    type: z.literal('error'),
    stepId: z.string().nullable(),
    line: z.number().optional(),
    message: z.string(),
    statusCode: z.number().optional(),
    ...at,
  }),
  z.object({ type: z.literal('result'), imageId: z.string(), tags: z.array(z.string()), ...at }),
]);

export const stepSummary = buildStep.extend({
  state: z.enum(['cached', 'ran', 'failed', 'unfinished']),
  durationMs: z.number().optional(),
  ranMs: z.number().optional(),
});

const argChange = z.object({ name: z.string(), before: z.string().optional(), after: z.string().optional() });
export const cacheMissReason = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('no-cache') }),
  z.object({ kind: z.literal('new-step') }),
  z.object({ kind: z.literal('instruction-changed'), before: z.string(), after: z.string() }),
  z.object({ kind: z.literal('earlier-step'), stepId: z.string(), stepName: z.string() }),
  z.object({ kind: z.literal('stage-rebuilt'), stage: z.string() }),
  z.object({ kind: z.literal('base-image'), image: z.string(), before: z.string(), after: z.string() }),
  z.object({ kind: z.literal('build-args'), changes: z.array(argChange) }),
  z.object({
    kind: z.literal('files'),
    changed: z.array(z.string()),
    added: z.array(z.string()),
    removed: z.array(z.string()),
    suggestIgnore: z.array(z.string()),
  }),
  z.object({ kind: z.literal('unknown') }),
]);
export const stepMiss = z.object({
  stepId: z.string(),
  stepName: z.string(),
  reason: cacheMissReason,
  text: z.string(),
});

export const buildFailure = z.object({
  message: z.string(),
  stepId: z.string().nullable(),
  line: z.number().optional(),
  statusCode: z.number().optional(),
  engineMessage: z.string().optional(),
  engineLost: z.boolean().optional(),
});

export const buildRecordSummary = z.object({
  id: z.string(),
  contextDir: z.string(),
  dockerfile: z.string(),
  options: buildOptions,
  status: z.enum(['succeeded', 'failed', 'cancelled']),
  imageId: z.string().optional(),
  tags: z.array(z.string()),
  sizeBytes: z.number().optional(),
  startedAt: z.number(),
  durationMs: z.number(),
  cachedSteps: z.number(),
  ranSteps: z.number(),
  error: buildFailure.optional(),
  baselineBuildId: z.string().optional(),
  baselineDurationMs: z.number().optional(),
  cacheSavedMs: z.number().optional(),
  baseImages: z.record(z.string(), z.string()).optional(),
  cacheMisses: z.array(stepMiss).optional(),
});

export const buildRecord = buildRecordSummary.extend({ steps: z.array(stepSummary), events: z.array(buildEvent) });

/**
 * The `data` of a build job's `step` events: first what is being built, then the build's events in order,
 * in batches, then the kept build. The job's `done` data is the kept build (a BuildRecordSummary); a failed
 * build ends the job with an error whose details carry `buildId`; a cancelled one ends it cancelled.
 */
export const buildJobData = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('started'),
    contextDir: z.string(),
    dockerfile: z.string(),
    options: buildOptions,
    /** Why the builder is not the one asked for or expected (for the log). */
    note: z.string().optional(),
  }),
  z.object({ kind: z.literal('events'), events: z.array(buildEvent) }),
  /** The build as kept in history, sent last whatever the outcome (a cancelled job has no `done` data). */
  z.object({ kind: z.literal('finished'), build: buildRecordSummary }),
]);

export const build = {
  /** Build a context folder as a job (see buildJobData). */
  start: channel(
    z.object({ contextDir: path, dockerfile: path.default('Dockerfile'), options: buildRequestOptions }).strict(),
    jobStarted,
  ),
  /** Build again what a kept build built, with the same options. */
  rebuild: channel(z.object({ id: buildId }).strict(), jobStarted),
  /** Kept builds, newest first; only one context folder's when given. */
  history: channel(z.object({ contextDir: path.optional() }).strict(), z.array(buildRecordSummary)),
  /** One kept build with its steps and full log. */
  historyGet: channel(z.object({ id: buildId }).strict(), buildRecord),
  historyDelete: channel(z.object({ id: buildId }).strict(), ok),
  /** A context's Dockerfile as the build form needs it: stages (target list), ARGs (build args), problems. */
  dockerfileInfo: channel(
    z.object({ contextDir: path, dockerfile: path.default('Dockerfile') }).strict(),
    z.object({
      path: z.string(),
      stages: z.array(
        z.object({ index: z.number(), name: z.string().optional(), baseName: z.string(), line: z.number() }),
      ),
      args: z.array(
        z.object({
          name: z.string(),
          defaultValue: z.string().optional(),
          line: z.number(),
          stage: z.number().optional(),
        }),
      ),
      problems: z.array(z.object({ line: z.number(), severity: z.enum(['error', 'warning']), message: z.string() })),
    }),
  ),
  /** The Dockerfile and options of the latest build of a context folder: what the form starts from. */
  lastOptions: channel(
    z.object({ contextDir: path }).strict(),
    z.object({ dockerfile: z.string(), options: buildOptions }).nullable(),
  ),
};

export type BuildRequestOptions = z.input<typeof buildRequestOptions>;
export type BuildJobData = z.infer<typeof buildJobData>;
export type BuildRecordDto = z.infer<typeof buildRecord>;
export type BuildRecordSummaryDto = z.infer<typeof buildRecordSummary>;
export type StepMissDto = z.infer<typeof stepMiss>;

// The schemas mirror core/build's types: these fail to compile when the two drift apart.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameStep: Same<z.infer<typeof buildStep>, BuildStep> = true;
const sameEvent: Same<z.infer<typeof buildEvent>, BuildEvent> = true;
const sameStepSummary: Same<z.infer<typeof stepSummary>, StepSummary> = true;
const sameSummary: Same<BuildRecordSummaryDto, BuildRecordSummary> = true;
const sameRecord: Same<BuildRecordDto, BuildRecord> = true;
export const _schemasMatchCore = [sameStep, sameEvent, sameStepSummary, sameSummary, sameRecord];
