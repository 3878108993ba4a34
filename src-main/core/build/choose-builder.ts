import type { BuilderKind } from './build-events';

/**
 * The builder for `auto`: BuildKit on Docker Engine from API 1.39 (18.09, where the /build endpoint took
 * `version=2` and sessions), the classic builder elsewhere (Podman's compatibility API has no BuildKit).
 */
export function chooseBuilder(
  requested: BuilderKind | 'auto',
  engine: { product: string; apiVersion: string } | undefined,
): BuilderKind {
  if (requested !== 'auto') return requested;
  if (!engine || engine.product !== 'Docker Engine') return 'classic';
  const [major = 0, minor = 0] = engine.apiVersion.split('.').map(Number);
  return major > 1 || (major === 1 && minor >= 39) ? 'buildkit' : 'classic';
}
