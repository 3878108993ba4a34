import { createHash } from 'node:crypto';

/** Chain IDs as the layer store keys layers: a layer is shared only with the same layers below it. */
export function chainIds(diffIds: readonly string[]): string[] {
  const chains: string[] = [];
  let chain = '';
  for (const diffId of diffIds) {
    chain = chain ? `sha256:${createHash('sha256').update(`${chain} ${diffId}`).digest('hex')}` : diffId;
    chains.push(chain);
  }
  return chains;
}
