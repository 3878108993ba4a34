/** How Strata talks to an engine: a local socket, a Windows named pipe, TCP (optionally with TLS), or SSH. */
export type EngineTransport = 'unix' | 'npipe' | 'tcp' | 'ssh';

/** Why a candidate is on the list, most authoritative first. */
export type EngineCandidateKind = 'env' | 'context' | 'well-known' | 'user';

/** TLS settings for a tcp:// engine, as the docker CLI derives them from its env or a context. */
export interface EngineTls {
  /** Verify the engine's certificate (DOCKER_TLS_VERIFY, or a context without SkipTLSVerify). */
  verify: boolean;
  /** CA bundle; without it the system's roots are used. */
  caFile?: string;
  /** Client certificate and key; used only when both can be read, as the docker CLI does. */
  certFile?: string;
  keyFile?: string;
}

/** A place an engine may be: what discovery found or the user typed. Plain data, safe to send over IPC. */
export interface EngineCandidate {
  /** Stable across runs: the canonical address, or `<kind>:<name>` for a candidate with an error. */
  id: string;
  /** Canonical URL form (`unix:///var/run/docker.sock`, `tcp://host:2376`, `ssh://user@host`); what was given when in error. */
  address: string;
  transport?: EngineTransport;
  /** Where it was found, in words a person reads: "DOCKER_HOST", `context "colima"`, "Podman socket". */
  source: string;
  kind: EngineCandidateKind;
  /** The socket or pipe exists; always true for tcp:// and ssh:// (only connecting can tell). */
  present: boolean;
  /** Present only for tcp:// engines spoken to over TLS. */
  tls?: EngineTls;
  /** The docker context this came from. */
  contextName?: string;
  /** Other sources that named the same address (dropped as duplicates of this one). */
  alsoFoundAs?: string[];
  /** Why this candidate cannot be used; a sentence for a person. */
  error?: string;
}

/** A parsed engine address. */
export type EngineEndpoint =
  | { transport: 'unix'; path: string }
  | { transport: 'npipe'; path: string }
  | { transport: 'tcp'; host: string; port: number }
  | { transport: 'ssh'; host: string; port?: number; username?: string };

/** Does this path exist? Any kind of file counts (socket, pipe, plain file). */
export type ExistsProbe = (path: string) => Promise<boolean>;

export type ReadFile = (path: string) => Promise<Buffer | string>;

export type Env = Record<string, string | undefined>;
