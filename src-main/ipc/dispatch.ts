import { StrataError, toStrataError } from '$shared/engine/errors';
import type { Reply } from '$shared/ipc/reply';
import {
  channelDef,
  type ChannelName,
  type Contract,
  type Domain,
  type ParsedRequestOf,
  type ResponseOf,
} from './contract';

/** Who sent a request, as the transport established it. */
export interface SenderInfo {
  /** True only for our own window (Electron) or an authenticated preview socket (web). */
  trusted: boolean;
  description: string;
}

type MethodOf<D extends Domain> = keyof Contract[D] & string;
export type DomainHandlers<D extends Domain> = {
  [M in MethodOf<D>]: (
    request: ParsedRequestOf<`${D}.${M}` & ChannelName>,
  ) => Promise<ResponseOf<`${D}.${M}` & ChannelName>> | ResponseOf<`${D}.${M}` & ChannelName>;
};
/** Every channel of the contract has exactly one handler: the type checker holds us to it. */
export type Handlers = { [D in Domain]: DomainHandlers<D> };

export type { Reply };

/**
 * The single entry for every request from the renderer, whatever the transport: check the sender, find
 * the channel, validate the payload against its schema, run the handler, and turn any failure into the
 * one error shape. Nothing runs before validation passes.
 */
export async function dispatch(
  handlers: Handlers,
  channel: unknown,
  payload: unknown,
  sender: SenderInfo,
): Promise<Reply> {
  try {
    if (!sender.trusted) {
      throw new StrataError(
        'forbidden',
        `Request refused: it did not come from Strata's own window (${sender.description}).`,
      );
    }
    if (typeof channel !== 'string')
      throw new StrataError('invalid-input', 'Request refused: the channel name is missing.');
    const def = channelDef(channel);
    if (!def)
      throw new StrataError('invalid-input', `Request refused: there is no channel named "${channel.slice(0, 100)}".`);
    const parsed = def.request.safeParse(payload ?? {});
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
      const first = issues[0];
      throw new StrataError(
        'invalid-input',
        `Invalid request for ${channel}: ${first ? `${first.path || 'request'}: ${first.message}` : 'does not match its schema'}.`,
        { issues },
      );
    }
    const dot = channel.indexOf('.');
    const domain = handlers[channel.slice(0, dot) as Domain] as Record<string, (req: unknown) => unknown>;
    const handler = domain[channel.slice(dot + 1)];
    if (!handler) throw new StrataError('internal', `No handler for ${channel}.`);
    const result = await handler(parsed.data);
    return { ok: true, result: result ?? null };
  } catch (err) {
    return { ok: false, error: toStrataError(err).toJSON() };
  }
}
