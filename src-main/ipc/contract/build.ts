import { z } from 'zod';
import type { BuildRecord, BuildRecordSummary } from '../../core/build/build-history-store';
import type { StepMiss } from '../../core/build/cache-miss-reasons';
import type { DockerfileInfo } from '../../core/build/dockerfile-info';
import type { BuildOptions } from '../../core/build/run-build';
import { channel, ok } from './define';
import { jobStarted } from './jobs';

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

export const build = {
  /** Build a context folder as a job (see JobKinds['build']). */
  start: channel(
    z.object({ contextDir: path, dockerfile: path.default('Dockerfile'), options: buildRequestOptions }).strict(),
    jobStarted<'build'>(),
  ),
  /** Build again what a kept build built, with the same options. */
  rebuild: channel(z.object({ id: buildId }).strict(), jobStarted<'build'>()),
  /** Kept builds, newest first; only one context folder's when given. */
  history: channel(z.object({ contextDir: path.optional() }).strict(), z.custom<BuildRecordSummary[]>()),
  /** One kept build with its steps and full log. */
  historyGet: channel(z.object({ id: buildId }).strict(), z.custom<BuildRecord>()),
  historyDelete: channel(z.object({ id: buildId }).strict(), ok),
  /** A context's Dockerfile as the build form needs it: stages (target list), ARGs (build args), problems. */
  dockerfileInfo: channel(
    z.object({ contextDir: path, dockerfile: path.default('Dockerfile') }).strict(),
    z.custom<DockerfileInfo>(),
  ),
  /** The Dockerfile and options of the latest build of a context folder: what the form starts from. */
  lastOptions: channel(
    z.object({ contextDir: path }).strict(),
    z.custom<{ dockerfile: string; options: BuildOptions } | null>(),
  ),
};

export type BuildRequestOptions = z.input<typeof buildRequestOptions>;
/** core/build's own types: responses are core types (see define.ts). */
export type BuildRecordDto = BuildRecord;
export type BuildRecordSummaryDto = BuildRecordSummary;
export type StepMissDto = StepMiss;
export type { BuildStage } from './jobs';
export type { BuildEvent, BuildStep } from '../../core/build/build-events';
