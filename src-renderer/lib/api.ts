import type {
  ChannelName,
  Contract,
  Domain,
  PushedEvent,
  PushedEventName,
  RequestOf,
  ResponseOf,
} from '../../src-main/ipc/contract';
import type { StrataErrorShape } from '$shared/engine/errors';
import { channels } from '$shared/ipc/channels';
import type { Transport } from './transport';
import { createWsTransport } from './ws-transport';

/** A failed request, with the code, message and details main sent. */
export class ApiError extends Error implements StrataErrorShape {
  readonly code: StrataErrorShape['code'];
  readonly details: StrataErrorShape['details'];
  constructor(shape: StrataErrorShape) {
    super(shape.message);
    this.name = 'ApiError';
    this.code = shape.code;
    this.details = shape.details;
  }
}

type Method<C extends ChannelName> = (request?: RequestOf<C>) => Promise<ResponseOf<C>>;
export type Api = { [D in Domain]: { [M in keyof Contract[D] & string]: Method<`${D}.${M}` & ChannelName> } };

function pickTransport(): Transport {
  const bridge = window.strata;
  if (bridge) {
    return { invoke: bridge.invoke, onEvent: bridge.onEvent, onClosed: () => () => undefined };
  }
  const token = new URLSearchParams(window.location.hash.slice(1)).get('token') ?? '';
  return createWsTransport(token);
}

export const transport: Transport = pickTransport();

/**
 * The one typed client: `api.images.list()`. Channel names come from the contract (through its zod-free list
 * in src-shared), never written here; the types come from the contract itself.
 */
export const api = Object.fromEntries(
  Object.entries(channels).map(([domain, methods]) => [
    domain,
    Object.fromEntries(
      methods.map((method) => [
        method,
        async (request?: unknown) => {
          const reply = await transport.invoke(`${domain}.${method}`, request ?? {});
          if (!reply.ok) throw new ApiError(reply.error);
          return reply.result;
        },
      ]),
    ),
  ]),
) as Api;

/** Listen to one pushed event by name. */
export function onEvent<N extends PushedEventName>(name: N, listener: (payload: PushedEvent<N>) => void): () => void {
  return transport.onEvent((eventName, payload) => {
    if (eventName === name) listener(payload as PushedEvent<N>);
  });
}

/** A message for a person from anything a request threw. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof Error) return err.message;
  return String(err);
}
