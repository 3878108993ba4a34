import { describe, expect, it } from 'vitest';
import { channelNames as sharedNames, channels } from '$shared/ipc/channels';
import { channelNames, contract } from '../../../src-main/ipc/contract';

// The preload and the renderer's client read the zod-free list; main validates with the contract. If these
// differ, a channel is refused by the preload or missing from `api`: run `npx tsx scripts/write-channels.ts`.
describe('the zod-free channel list', () => {
  it('names every domain and method of the contract, in its order', () => {
    const fromContract = Object.fromEntries(
      Object.entries(contract).map(([domain, methods]) => [domain, Object.keys(methods)]),
    );
    expect(channels).toEqual(fromContract);
  });

  it('gives the same channel names as the contract', () => {
    expect(sharedNames).toEqual(channelNames);
    expect(sharedNames).toContain('images.list');
    expect(new Set(sharedNames).size).toBe(sharedNames.length);
  });
});
