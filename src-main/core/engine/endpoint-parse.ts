import { homedir } from 'node:os';
import { parseHostAddress } from './endpoint-address';
import { candidateFrom } from './endpoint-candidate';
import { tlsFromEnv } from './endpoint-tls';
import { dockerConfigDir } from './discover-context';
import type { EngineCandidate, Env } from './endpoint-types';

export interface ParseEngineAddressOptions {
  /** For tcp:// addresses, TLS comes from DOCKER_TLS_VERIFY / DOCKER_TLS / DOCKER_CERT_PATH, as with `docker -H`. */
  env?: Env;
  homeDir?: string;
  platform?: NodeJS.Platform;
}

/**
 * A candidate for an address the user typed: any DOCKER_HOST form, or a bare absolute socket path or pipe
 * name. A bad address gives a candidate with an `error` saying what is wrong, never a throw.
 */
export function parseEngineAddress(address: string, options: ParseEngineAddressOptions = {}): EngineCandidate {
  const text = address.trim();
  const platform = options.platform ?? process.platform;
  const base = { raw: text, kind: 'user', source: 'added by address', errorId: `address:${text}`, platform } as const;
  const bare = bareAddress(text);
  if ('error' in bare) return candidateFrom({ ...base, parsed: { error: bare.error } });
  const env = options.env ?? {};
  const configDir = dockerConfigDir({ env, homeDir: options.homeDir ?? homedir() });
  const tls = tlsFromEnv({ env, configDir });
  return candidateFrom({
    ...base,
    parsed: parseHostAddress(bare.address, { tls: tls !== undefined }),
    ...(tls ? { tls } : {}),
  });
}

/** Give bare paths the scheme they mean; the rest reads as the docker CLI reads -H. */
function bareAddress(text: string): { address: string } | { error: string } {
  if (/^(\/\/|\\\\)[.?][/\\]pipe[/\\]/i.test(text)) return { address: `npipe://${text}` };
  if (text.startsWith('/')) return { address: `unix://${text}` };
  // Without a scheme the CLI would read "docker.sock" as a TCP host; a person typing it meant a file.
  if (!text.includes('://') && (/^[.~]/.test(text) || text.endsWith('.sock'))) {
    return { error: `"${text}" looks like a socket path; write it in full, starting with "/".` };
  }
  return { address: text };
}
