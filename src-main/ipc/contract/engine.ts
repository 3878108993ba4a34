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
  candidates: channel(empty, z.array(engineCandidate.extend({ chosen: z.boolean() }))),
  /** Pick a found engine, or add one by address; the choice is remembered. */
  choose: channel(z.object({ address: z.string().min(1).max(1024) }).strict(), engineStatus),
  /** Forget the remembered choice and go back to automatic discovery. */
  useAutomatic: channel(empty, engineStatus),
  retryNow: channel(empty, ok),
};

export type EngineStatus = z.infer<typeof engineStatus>;
export type EngineInfo = z.infer<typeof engineInfo>;
export type LookedAt = z.infer<typeof lookedAt>;
