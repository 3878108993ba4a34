import { z } from 'zod';
import type { CommitResult } from '../../core/commit/commit-container';
import type { ConfigChange } from '$shared/commit/config-change';
import type { DiffEntry } from '$shared/commit/diff-tree';
import { channel, empty } from './define';
import { jobStarted } from './jobs';

const containerRef = z.string().min(1).max(256);
const line = z.string().max(8192);

const commandForm = z.discriminatedUnion('form', [
  z.object({ form: z.literal('exec'), args: z.array(line).max(256) }).strict(),
  z.object({ form: z.literal('shell'), command: line }).strict(),
]);

/** Mirrors src-shared/commit/config-change.ts; core validates the values themselves. */
export const configChange = z.discriminatedUnion('instruction', [
  z.object({ instruction: z.literal('CMD'), command: commandForm }).strict(),
  z.object({ instruction: z.literal('ENTRYPOINT'), command: commandForm }).strict(),
  z.object({ instruction: z.literal('ENV'), key: z.string().max(1024), value: line }).strict(),
  z
    .object({ instruction: z.literal('EXPOSE'), port: z.string().max(32), protocol: z.enum(['tcp', 'udp', 'sctp']) })
    .strict(),
  z.object({ instruction: z.literal('LABEL'), key: z.string().max(1024), value: line }).strict(),
  z.object({ instruction: z.literal('USER'), user: z.string().max(256) }).strict(),
  z.object({ instruction: z.literal('WORKDIR'), path: z.string().max(4096) }).strict(),
  z.object({ instruction: z.literal('VOLUME'), paths: z.array(z.string().max(4096)).max(64) }).strict(),
  z.object({ instruction: z.literal('ONBUILD'), trigger: line }).strict(),
]);

export const commit = {
  /** The container's filesystem changes (`docker diff`), flat; the renderer builds the tree (src-shared/commit/diff-tree). */
  diff: channel(z.object({ container: containerRef }).strict(), z.custom<{ entries: DiffEntry[] }>()),
  /** Which image a repository:tag names now, to warn before moving the tag. */
  checkTag: channel(
    z.object({ reference: z.string().min(1).max(512) }).strict(),
    z.custom<{ exists: boolean; imageId?: string }>(),
  ),
  /** Values to prefill the form with: the author used last time. */
  defaults: channel(empty, z.custom<{ author: string }>()),
  /** Commit as a job; its `done` data is the commit result. */
  commit: channel(
    z
      .object({
        container: containerRef,
        reference: z.string().max(512).optional(),
        author: z.string().max(1024).optional(),
        message: z.string().max(65_536).optional(),
        pause: z.boolean().default(true),
        changes: z.array(configChange).max(256).default([]),
      })
      .strict(),
    jobStarted<'commit'>(),
  ),
};

/** core/commit's own type (responses are core types). */
export type CommitResultDto = CommitResult;

// The request schema must accept exactly core's ConfigChange: this fails to compile when the two drift apart.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const _configChangeMatchesCore: Same<z.infer<typeof configChange>, ConfigChange> = true;
