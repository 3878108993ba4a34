import { z } from 'zod';
import { channel, empty, ok } from './define';

export const engineCandidate = z.object({
  id: z.string(),
  address: z.string(),
  source: z.string(),
  present: z.boolean(),
  error: z.string().optional(),
});

export const engineInfo = z.object({
  product: z.enum(['Docker Engine', 'Podman', 'Unknown engine']),
  version: z.string(),
  apiVersion: z.string(),
  os: z.string(),
  arch: z.string(),
  kernelVersion: z.string().optional(),
  address: z.string(),
  source: z.string(),
});

export const lookedAt = z.object({
  address: z.string(),
  source: z.string(),
  result: z.string(),
});

export const engineStatus = z.discriminatedUnion('state', [
  z.object({ state: z.literal('connecting'), attempt: z.number().int() }),
  z.object({ state: z.literal('connected'), engine: engineInfo }),
  z.object({
    state: z.literal('unreachable'),
    lookedAt: z.array(lookedAt),
    retryInMs: z.number().int(),
    attempt: z.number().int(),
  }),
]);

export const engine = {
  status: channel(empty, engineStatus),
  /** `saved`: added by address and remembered in settings (it can be forgotten). */
  candidates: channel(empty, z.array(engineCandidate.extend({ chosen: z.boolean(), saved: z.boolean() }))),
  /**
   * Pick a found engine, or add one by address. The address is tried first: one that does not answer fails with
   * engine-unreachable, leaves the engine in use connected and is not remembered; one that answers is remembered.
   */
  choose: channel(z.object({ address: z.string().min(1).max(1024) }).strict(), engineStatus),
  /** Forget the remembered choice and go back to automatic discovery. */
  useAutomatic: channel(empty, engineStatus),
  /** Drop an engine added by address from settings (and the choice of it, going back to automatic). */
  forget: channel(z.object({ address: z.string().min(1).max(1024) }).strict(), engineStatus),
  retryNow: channel(empty, ok),
};

export type EngineStatus = z.infer<typeof engineStatus>;
export type EngineInfo = z.infer<typeof engineInfo>;
export type LookedAt = z.infer<typeof lookedAt>;
