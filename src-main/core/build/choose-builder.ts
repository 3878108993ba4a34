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

/**
 * Why the builder asked for cannot run on this engine, or undefined when it can. Podman's compatibility API
 * takes `version=2` on /build but has no BuildKit behind it (it builds with Buildah), so the build would fail
 * with an answer that says nothing of the reason.
 */
export function builderUnavailable(
  requested: BuilderKind | 'auto',
  engine: { product: string } | undefined,
): string | undefined {
  if (requested === 'buildkit' && engine?.product === 'Podman') {
    return 'Podman has no BuildKit: it builds with Buildah, which Strata drives as the classic builder. Choose Automatic or Classic builder.';
  }
  return undefined;
}
