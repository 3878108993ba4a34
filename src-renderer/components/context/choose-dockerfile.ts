/**
 * Which Dockerfile to open: the one dropped, else the one last used with this folder (opened or built),
 * else the only candidate, else `Dockerfile` when there is none; undefined when the person must pick.
 */
export function chooseDockerfile(input: {
  dropped?: string;
  remembered?: string;
  lastBuilt?: string;
  candidates: readonly string[];
}): string | undefined {
  if (input.dropped) return input.dropped;
  for (const known of [input.remembered, input.lastBuilt]) {
    if (known && (input.candidates.includes(known) || known.includes('/') || known.includes('\\'))) return known;
  }
  if (input.candidates.length === 1) return input.candidates[0];
  if (input.candidates.length === 0) return 'Dockerfile';
  return undefined;
}
