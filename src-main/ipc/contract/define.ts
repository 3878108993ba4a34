import { z } from 'zod';

/**
 * One request/response pair. The channel's name is its place in the contract: `<domain>.<method>`.
 * Requests come from the renderer and are validated by their zod schema before any work. Responses are
 * built by main from core's own types and not re-validated: `z.custom<T>()` carries T to the renderer.
 */
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
export const ok = z.custom<{ ok: true }>();
