/**
 * A build whose base image must come from a registry that wants a login fails with the registry's answer
 * ("401 Unauthorized", "pull access denied"), which does not say why no credentials were sent. Strata sends
 * none with a build: no X-Registry-Config for the classic builder, and its BuildKit session offers no Auth
 * service. BuildKit asks the session anyway (GetTokenAuthority, then Credentials); the session answers
 * UNIMPLEMENTED, which BuildKit takes as "no credentials", the same as docker/cli's answer without a login
 * (empty Credentials), so it then asks the registry anonymously.
 */
const REGISTRY_REFUSED =
  /\b401 Unauthorized\b|\bunauthorized: |authentication required|pull access denied|no basic auth credentials|requested access to the resource is denied/i;

export function registryAuthHint(message: string): string | undefined {
  if (!REGISTRY_REFUSED.test(message)) return undefined;
  return 'Hint: the registry wants credentials, and Strata sends none with a build. Pull the base image where you are logged in to that registry (docker login, then docker pull) and build again: the engine then uses the image it holds.';
}
