// Writes src-shared/ipc/channels.ts: every channel's name, read from the contract, with no zod in it. The
// preload and the renderer's client need only the names, and the contract's schemas would put zod in both
// bundles. Run it after adding or removing a channel (tests/unit/ipc/channel-list.test.ts says when):
//   npx tsx scripts/write-channels.ts
import { writeFileSync } from 'node:fs';
import { format, resolveConfig } from 'prettier';
import { contract } from '../src-main/ipc/contract';

export const channelsFile = 'src-shared/ipc/channels.ts';

/** The file's text for a contract: domains and methods in the contract's own order. */
export function channelsSource(domains: Record<string, Record<string, unknown>>): string {
  const lines = Object.entries(domains).map(
    ([domain, methods]) =>
      `  ${domain}: [${Object.keys(methods)
        .map((m) => `'${m}'`)
        .join(', ')}],`,
  );
  return `// Written by scripts/write-channels.ts from src-main/ipc/contract; do not edit by hand.
// The channel names without the schemas, so the preload and the renderer's client carry no zod.

/** Each domain's methods; a channel's name is \`<domain>.<method>\`. */
export const channels = {
${lines.join('\n')}
} as const;

export type ChannelDomain = keyof typeof channels;

/** Every channel name, in the contract's order. */
export const channelNames: readonly string[] = Object.entries(channels).flatMap(([domain, methods]) =>
  methods.map((method) => \`\${domain}.\${method}\`),
);
`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const options = { ...(await resolveConfig(channelsFile)), filepath: channelsFile };
  writeFileSync(channelsFile, await format(channelsSource(contract), options));
  console.log(`wrote ${channelsFile}`);
}
