import { z } from 'zod';
import { channel, empty, jobStarted } from './define';

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

export const diffEntry = z.object({ path: z.string(), kind: z.enum(['added', 'changed', 'deleted']) });

export const commitResult = z.object({ imageId: z.string(), baseImageId: z.string() });

export const commit = {
  /** The container's filesystem changes (`docker diff`), flat; the renderer builds the tree (src-shared/commit/diff-tree). */
  diff: channel(z.object({ container: containerRef }).strict(), z.object({ entries: z.array(diffEntry) })),
  /** Which image a repository:tag names now, to warn before moving the tag. */
  checkTag: channel(
    z.object({ reference: z.string().min(1).max(512) }).strict(),
    z.object({ exists: z.boolean(), imageId: z.string().optional() }),
  ),
  /** Values to prefill the form with: the author used last time. */
  defaults: channel(empty, z.object({ author: z.string() })),
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
    jobStarted,
  ),
};

export type CommitResultDto = z.infer<typeof commitResult>;
