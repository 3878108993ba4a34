import { join } from 'node:path';
import type { EngineTls, Env } from './endpoint-types';

/**
 * TLS settings for a tcp:// address given by DOCKER_HOST or typed by the user, from the environment as the
 * docker CLI reads it: any non-empty DOCKER_TLS_VERIFY (even "0") turns TLS on and verifies, DOCKER_TLS alone
 * turns TLS on without verifying, and the files come from DOCKER_CERT_PATH or else the docker config folder.
 */
export function tlsFromEnv(options: { env: Env; configDir: string }): EngineTls | undefined {
  const { env } = options;
  const verify = Boolean(env.DOCKER_TLS_VERIFY);
  if (!verify && !env.DOCKER_TLS) return undefined;
  const certPath = env.DOCKER_CERT_PATH || options.configDir;
  return {
    verify,
    caFile: join(certPath, 'ca.pem'),
    certFile: join(certPath, 'cert.pem'),
    keyFile: join(certPath, 'key.pem'),
  };
}
