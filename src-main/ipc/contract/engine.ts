import { z } from 'zod';
import type { ConnectionStatus, EndpointCandidate } from '../../core/engine/connection';
import { channel, empty, ok } from './define';

const address = z.string().min(1).max(1024);

export const engine = {
  status: channel(empty, z.custom<ConnectionStatus>()),
  /** `saved`: added by address and remembered in settings (it can be forgotten). */
  candidates: channel(empty, z.custom<Array<EndpointCandidate & { chosen: boolean; saved: boolean }>>()),
  /**
   * Pick a found engine, or add one by address. The address is tried first: one that does not answer fails with
   * engine-unreachable, leaves the engine in use connected and is not remembered; one that answers is remembered.
   */
  choose: channel(z.object({ address }).strict(), z.custom<ConnectionStatus>()),
  /** Forget the remembered choice and go back to automatic discovery. */
  useAutomatic: channel(empty, z.custom<ConnectionStatus>()),
  /** Drop an engine added by address from settings (and the choice of it, going back to automatic). */
  forget: channel(z.object({ address }).strict(), z.custom<ConnectionStatus>()),
  retryNow: channel(empty, ok),
};

/** core/engine's own types (responses are core types). */
export type EngineStatus = ConnectionStatus;
export type EngineInfo = Extract<ConnectionStatus, { state: 'connected' }>['engine'];
export type LookedAt = Extract<ConnectionStatus, { state: 'unreachable' }>['lookedAt'][number];
