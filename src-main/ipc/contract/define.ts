import { z } from 'zod';

/** One request/response pair. The channel's name is its place in the contract: `<domain>.<method>`. */
export interface ChannelDef<Req extends z.ZodType = z.ZodType, Res extends z.ZodType = z.ZodType> {
  request: Req;
  response: Res;
}

export function channel<Req extends z.ZodType, Res extends z.ZodType>(
  request: Req,
  response: Res,
): ChannelDef<Req, Res> {
  return { request, response };
}

export const empty = z.object({}).strict();
export const ok = z.object({ ok: z.literal(true) });

/** Every job-starting channel answers with the job's id. */
export const jobStarted = z.object({ jobId: z.string() });
