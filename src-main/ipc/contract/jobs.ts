import { z } from 'zod';
import { channel, empty, ok } from './define';

/** One thing a job reported. `seq` orders a job's events; a view that comes back asks for those after the last it saw. */
export const jobEvent = z.object({
  jobId: z.string(),
  seq: z.number().int(),
  type: z.enum(['output', 'progress', 'step', 'done', 'error', 'cancelled']),
  data: z.unknown(),
});

export const jobSummary = z.object({
  jobId: z.string(),
  kind: z.string(),
  title: z.string(),
  state: z.enum(['running', 'done', 'error', 'cancelled']),
  startedAt: z.number(),
  endedAt: z.number().optional(),
});

export const jobs = {
  list: channel(empty, z.array(jobSummary)),
  /** Everything a job has reported after `afterSeq`: how a view catches up on output it missed. */
  events: channel(
    z.object({ jobId: z.string().max(64), afterSeq: z.number().int().min(-1).default(-1) }).strict(),
    z.object({ job: jobSummary, events: z.array(jobEvent) }),
  ),
  cancel: channel(z.object({ jobId: z.string().max(64) }).strict(), ok),
};

export type JobEvent = z.infer<typeof jobEvent>;
export type JobSummary = z.infer<typeof jobSummary>;
