import { describeRouteFailure, describeSshHost } from './describe-ssh-failure';
import type { StrataDockerOptions } from './endpoint-options';

/** TLS error codes (Node's and OpenSSL's) meaning our side does not trust the engine's certificate. */
const UNTRUSTED_SERVER = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
]);

/**
 * Why an engine did not answer, in a sentence for a person. Remote engines get a message that names the
 * file or setting to check: the SSH host key (known_hosts), the SSH keys offered (and, behind jump hosts, which
 * hop), or the TLS certificates.
 */
export function describeEngineFailure(err: unknown, options?: StrataDockerOptions): string {
  const e = err as { code?: string; name?: string; message?: string; statusCode?: number; level?: string };
  const remote = options?.remote;
  // Behind jump hosts, say which hop failed.
  const route = describeRouteFailure(err, options);
  if (route !== undefined) return route;
  const ssh = describeSshHost(err, {
    host: options?.host,
    username: options?.username,
    ...(remote?.hostKeyCheck !== undefined ? { hostKeyCheck: remote.hostKeyCheck } : {}),
    ...(remote?.identities !== undefined ? { identities: remote.identities } : {}),
  });
  if (ssh !== undefined) return ssh;
  if (remote?.tls) {
    const certs = remote.tls.caFile ? remote.tls.caFile.replace(/[/\\][^/\\]*$/, '') : 'DOCKER_CERT_PATH';
    if (e?.code && UNTRUSTED_SERVER.has(e.code))
      return (
        `the engine's TLS certificate is not signed by the CA in ${remote.tls.caFile ?? 'the system store'} (${e.code}); ` +
        `set DOCKER_CERT_PATH to the folder with the CA that signed it`
      );
    if (e?.code === 'ERR_TLS_CERT_ALTNAME_INVALID')
      return `the engine's TLS certificate is not for this host name (${e.message ?? ''})`;
    if (e?.code === 'CERT_HAS_EXPIRED') return "the engine's TLS certificate has expired";
    // OpenSSL's message is several lines of internals; the alert's name is what a person needs.
    const alert = /alert (certificate required|bad certificate|unknown ca|certificate unknown)/i.exec(
      `${e?.message ?? ''} ${(e?.code ?? '').replace(/_/g, ' ')}`,
    );
    if (alert)
      return (
        `the engine refused this client's TLS certificate (TLS alert: ${alert[1]!.toLowerCase()}); ` +
        `put the cert.pem and key.pem the engine's CA signed in ${certs}`
      );
  }
  if (e?.statusCode === 400 && /HTTP request to an HTTPS server/i.test(e?.message ?? ''))
    return 'the engine speaks TLS here: set DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH to its certificates';
  if (e?.code === 'ECONNREFUSED') return 'connection refused (no engine listens there)';
  if (e?.code === 'ENOENT') return 'nothing there';
  if (e?.code === 'EACCES') return 'permission denied (add your user to the docker group, or run the engine rootless)';
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return 'no answer within 3 seconds';
  if (typeof e?.statusCode === 'number') return `answered ${e.statusCode}: ${e.message ?? ''}`.trim();
  return e?.message ?? String(err);
}
