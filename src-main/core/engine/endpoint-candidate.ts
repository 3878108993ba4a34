import type { ParsedHostAddress } from './endpoint-address';
import type { EngineCandidate, EngineCandidateKind, EngineTls, ExistsProbe } from './endpoint-types';

export interface CandidateFromOptions {
  parsed: ParsedHostAddress;
  /** What was written, shown as the address when it could not be parsed. */
  raw: string;
  kind: EngineCandidateKind;
  source: string;
  /** Identity for a candidate in error, which has no canonical address to go by. */
  errorId: string;
  /** Put in front of a parse error so it says where the bad address came from. */
  errorPrefix?: string;
  tls?: EngineTls;
  contextName?: string;
  platform: NodeJS.Platform;
}

/** Turn a parsed address into a candidate; `present` is left true for `probeCandidate` to settle. */
export function candidateFrom(options: CandidateFromOptions): EngineCandidate {
  const { parsed, kind, source } = options;
  const context = options.contextName === undefined ? {} : { contextName: options.contextName };
  if (parsed.error !== undefined) {
    const error = `${options.errorPrefix ?? ''}${parsed.error}`;
    return { id: options.errorId, address: options.raw.trim(), source, kind, present: false, ...context, error };
  }
  const { endpoint, address } = parsed;
  const candidate: EngineCandidate = {
    id: address,
    address,
    transport: endpoint.transport,
    source,
    kind,
    present: true,
  };
  Object.assign(candidate, context);
  if (endpoint.transport === 'tcp' && options.tls) candidate.tls = options.tls;
  if (endpoint.transport === 'npipe' && options.platform !== 'win32') {
    candidate.present = false;
    candidate.error = 'Named pipes (npipe://) exist only on Windows.';
  }
  return candidate;
}

/** Settle `present` by looking for the socket or pipe; tcp:// and ssh:// stay present (only connecting tells). */
export async function probeCandidate(candidate: EngineCandidate, exists: ExistsProbe): Promise<EngineCandidate> {
  if (candidate.error !== undefined) return candidate;
  if (candidate.transport === 'unix') {
    return { ...candidate, present: await exists(candidate.address.slice('unix://'.length)) };
  }
  if (candidate.transport === 'npipe') {
    // Node finds a pipe by its backslash name (\\.\pipe\docker_engine).
    const path = candidate.address.slice('npipe://'.length).replaceAll('/', '\\');
    return { ...candidate, present: await exists(path) };
  }
  return candidate;
}
