import type { z } from 'zod';
import type { ChannelDef } from './define';
import { engine } from './engine';
import { jobs } from './jobs';
import { containers } from './containers';
import { commit } from './commit';
import { build } from './build';
import { images } from './images';
import { app } from './app';
import { files } from './files';
import { context } from './context';
import { layers } from './layers';

/**
 * The one contract between main and renderer. Each domain is a module of channels; a channel's name is
 * `<domain>.<method>`, derived here and nowhere else. Add a domain by importing it into this object.
 */
export const contract = {
  engine,
  jobs,
  containers,
  commit,
  build,
  images,
  app,
  files,
  context,
  layers,
} as const satisfies Record<string, Record<string, ChannelDef>>;

export type Contract = typeof contract;
export type Domain = keyof Contract;
export type ChannelName = { [D in Domain]: `${D}.${keyof Contract[D] & string}` }[Domain];

type DefOf<C extends ChannelName> = C extends `${infer D extends Domain}.${infer M}`
  ? M extends keyof Contract[D]
    ? Contract[D][M] extends ChannelDef
      ? Contract[D][M]
      : never
    : never
  : never;

/** What the renderer may send (defaults still optional). */
export type RequestOf<C extends ChannelName> = z.input<DefOf<C>['request']>;
/** What a handler receives after validation. */
export type ParsedRequestOf<C extends ChannelName> = z.output<DefOf<C>['request']>;
export type ResponseOf<C extends ChannelName> = z.output<DefOf<C>['response']>;

/**
 * Every channel name, computed from the contract. src-shared/ipc/channels.ts holds the same list without zod for
 * the preload and the renderer (scripts/write-channels.ts writes it; a unit test holds the two equal).
 */
export const channelNames: readonly ChannelName[] = Object.entries(contract).flatMap(([domain, channels]) =>
  Object.keys(channels).map((method) => `${domain}.${method}` as ChannelName),
);

export function channelDef(name: string): ChannelDef | undefined {
  const dot = name.indexOf('.');
  if (dot < 0) return undefined;
  // Own properties only: `constructor.name` or `__proto__.toString` must not find Object's members.
  const domainName = name.slice(0, dot);
  if (!Object.hasOwn(contract, domainName)) return undefined;
  const domain = contract[domainName as Domain] as Record<string, ChannelDef>;
  if (!Object.hasOwn(domain, name.slice(dot + 1))) return undefined;
  return domain[name.slice(dot + 1)];
}

export type { PushedEventName, PushedEvent } from './events';
