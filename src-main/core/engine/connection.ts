import Docker from 'dockerode';
import { StrataError } from '$shared/engine/errors';
import { engineVersionInfo, type EngineVersionInfo } from './engine-info';
import { watchEngineEvents, type EngineEventRecord } from './event-stream';
import { withSignal } from './with-signal';
import { engineInfoFromPing, pingEngine, productFromPing, type PingAnswer } from './ping-engine';
import { describeEngineFailure } from './describe-failure';
import type { StrataDockerOptions } from './endpoint-options';

/** A place an engine may be: what discovery found or the user typed. */
export interface EndpointCandidate {
  id: string;
  address: string;
  source: string;
  present: boolean;
  error?: string;
}

export type ConnectionStatus =
  | { state: 'connecting'; attempt: number }
  | { state: 'connected'; engine: EngineVersionInfo & { address: string; source: string } }
  | {
      state: 'unreachable';
      lookedAt: Array<{ address: string; source: string; result: string }>;
      retryInMs: number;
      attempt: number;
    };

export interface EngineConnectionOptions {
  /** All places to look, best first (DOCKER_HOST, context, well-known sockets). */
  discover(): Promise<EndpointCandidate[]>;
  /** The address the user chose, if any; it is tried first. */
  preferredAddress(): Promise<string | undefined>;
  /** Turn a typed address into a candidate (or a candidate with an error). */
  parseAddress(address: string): EndpointCandidate;
  dockerOptions(candidate: EndpointCandidate): Promise<StrataDockerOptions>;
  onStatus(status: ConnectionStatus): void;
  onEvent(event: EngineEventRecord): void;
  /** Backoff between attempts, in ms; the last value repeats. */
  retryDelaysMs?: number[];
  /** How often a connected engine is pinged to notice it went away without closing the event stream. */
  heartbeatMs?: number;
  /** How long a ping may take before the engine counts as unreachable. */
  pingTimeoutMs?: number;
  /**
   * How long `/version` may take once the ping answered. Podman 4 takes seconds for it on a busy machine (it
   * asks conmon and the runtime for theirs); a slow answer only leaves the product unknown.
   */
  versionTimeoutMs?: number;
  /** How long to wait for `/version` when the ping's headers already named the engine (default 1 s). */
  versionWaitWhenNamedMs?: number;
}

/**
 * Owns the connection to the container engine: finds it, keeps the event stream open, notices when it goes
 * away and reconnects with backoff by itself. Everything else asks it for the current dockerode client.
 */
export class EngineConnection {
  private current: { docker: Docker; candidate: EndpointCandidate } | undefined;
  private statusValue: ConnectionStatus = { state: 'connecting', attempt: 0 };
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private stopEvents: (() => void) | undefined;
  private stopped = false;
  private connecting: Promise<ConnectionStatus> | undefined;
  private checking = false;

  constructor(private readonly options: EngineConnectionOptions) {}

  get status(): ConnectionStatus {
    return this.statusValue;
  }

  /** The connected engine's client; throws engine-unreachable while there is none. */
  docker(): Docker {
    if (!this.current) {
      throw new StrataError(
        'engine-unreachable',
        'No container engine is connected. Start Docker (or Podman), or choose an engine.',
      );
    }
    return this.current.docker;
  }

  /**
   * Try now (cancelling a pending retry). Resolves with the resulting status; never rejects: a failure to even
   * find where to look is an `unreachable` status that says so, and is tried again like any other.
   */
  connect(): Promise<ConnectionStatus> {
    if (this.connecting) return this.connecting;
    this.clearRetry();
    this.connecting = this.tryAll().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  /** Turn a typed address into a candidate (with an error when it cannot be used). */
  parse(address: string): EndpointCandidate {
    return this.options.parseAddress(address);
  }

  /** What discovery finds now, plus engines the user added by address. */
  async candidatesWithAdded(added: string[]): Promise<EndpointCandidate[]> {
    const found = await this.options.discover();
    const seen = new Set(found.map((c) => c.address));
    for (const address of added) {
      const c = this.options.parseAddress(address);
      if (!seen.has(c.address)) {
        seen.add(c.address);
        found.push({ ...c, source: 'added by you', present: true });
      }
    }
    return found;
  }

  /**
   * Connect to this candidate only if it answers: the engine in use is kept when it does not, so a mistyped or
   * silent address never takes the app to "no engine". Throws engine-unreachable saying what happened.
   */
  async switchTo(address: string, remember: () => Promise<void>): Promise<ConnectionStatus> {
    const candidate = await this.candidateFor(address);
    if (candidate.error) throw new StrataError('invalid-input', candidate.error);
    let docker: Docker;
    let info: EngineVersionInfo & { fromPingOnly?: true };
    let options: StrataDockerOptions | undefined;
    try {
      options = await this.options.dockerOptions(candidate);
      docker = new Docker(options);
      info = await this.probe(docker);
    } catch (err) {
      const kept = this.current ? ' Strata stays with the engine in use.' : '';
      throw new StrataError(
        'engine-unreachable',
        `No engine answered at ${candidate.address}: ${describeEngineFailure(err, options)}.${kept}`,
      );
    }
    // Remembered before it is used, so a reconnect that runs meanwhile already prefers the new address.
    await remember();
    this.clearRetry();
    this.useConnection(docker, candidate, info);
    return this.statusValue;
  }

  stop(): void {
    this.stopped = true;
    this.clearRetry();
    this.dropConnection();
  }

  private async tryAll(): Promise<ConnectionStatus> {
    this.attempt += 1;
    if (this.statusValue.state !== 'connected') this.setStatus({ state: 'connecting', attempt: this.attempt });
    const lookedAt: Array<{ address: string; source: string; result: string }> = [];
    let candidates: EndpointCandidate[];
    try {
      candidates = await this.orderedCandidates();
    } catch (err) {
      // Reading the settings or the docker config failed: say so where the places looked at are listed, and
      // try again later, rather than stay "connecting" forever with no retry scheduled.
      const message = err instanceof Error ? err.message : String(err);
      lookedAt.push({ address: '—', source: 'where to look', result: `could not be worked out: ${message}` });
      candidates = [];
    }
    for (const candidate of candidates) {
      if (this.stopped) break;
      if (candidate.error) {
        lookedAt.push({ address: candidate.address, source: candidate.source, result: candidate.error });
        continue;
      }
      if (!candidate.present) {
        lookedAt.push({ address: candidate.address, source: candidate.source, result: 'nothing there' });
        continue;
      }
      let options: StrataDockerOptions | undefined;
      try {
        options = await this.options.dockerOptions(candidate);
        const docker = new Docker(options);
        const info = await this.probe(docker);
        this.useConnection(docker, candidate, info);
        return this.statusValue;
      } catch (err) {
        const result = describeEngineFailure(err, options);
        lookedAt.push({ address: candidate.address, source: candidate.source, result });
      }
    }
    this.dropConnection();
    const delays = this.options.retryDelaysMs ?? [1000, 2000, 4000, 5000];
    const retryInMs = delays[Math.min(this.attempt - 1, delays.length - 1)] ?? 5000;
    this.setStatus({ state: 'unreachable', lookedAt, retryInMs, attempt: this.attempt });
    if (!this.stopped) this.retryTimer = setTimeout(() => void this.connect(), retryInMs);
    return this.statusValue;
  }

  private async orderedCandidates(): Promise<EndpointCandidate[]> {
    const preferred = await this.options.preferredAddress();
    if (!preferred) return this.options.discover();
    return [await this.candidateFor(preferred)];
  }

  /** The candidate for an address the user chose. */
  private async candidateFor(address: string): Promise<EndpointCandidate> {
    const found = await this.options.discover();
    const parsed = this.options.parseAddress(address);
    // A discovered candidate keeps what only discovery knows (a context's TLS files); else parse the address.
    const chosen = found.find((c) => c.address === parsed.address) ?? parsed;
    return { ...chosen, source: `your choice (${chosen.source})`, present: true };
  }

  /**
   * Reachability is the ping's answer alone; the version is asked for after, and its failure is not fatal. The
   * ping's headers already say which engine it is (Podman sends Libpod ones), so a slow or silent `/version`
   * never leaves Podman taken for Docker: `fromPingOnly` marks an answer the version did not complete.
   */
  private async probe(docker: Docker): Promise<EngineVersionInfo & { fromPingOnly?: true }> {
    const ping = await pingEngine(docker, { abortSignal: AbortSignal.timeout(this.options.pingTimeoutMs ?? 3000) });
    // When the ping named the engine, the version only adds detail: wait for it briefly, and connect without it
    // (it is asked again in the background), so a busy Podman is usable in a second, not after its /version.
    const wait =
      productFromPing(ping) === 'Unknown engine'
        ? (this.options.versionTimeoutMs ?? 20_000)
        : Math.min(this.options.versionTimeoutMs ?? 20_000, this.options.versionWaitWhenNamedMs ?? 1000);
    try {
      return withPingProduct(await this.version(docker, wait), ping);
    } catch {
      return { ...engineInfoFromPing(ping), fromPingOnly: true };
    }
  }

  private async version(docker: Docker, timeoutMs: number): Promise<EngineVersionInfo> {
    return engineVersionInfo(await withSignal(docker).version({ abortSignal: AbortSignal.timeout(timeoutMs) }));
  }

  /** The version did not answer in time at connect: ask once more, patiently, and fill in what the ping left out. */
  private async completeVersion(docker: Docker, candidate: EndpointCandidate, ping: EngineVersionInfo): Promise<void> {
    let info: EngineVersionInfo;
    try {
      info = await this.version(docker, 120_000);
    } catch {
      return; // The ping's account stands; the engine works without it.
    }
    if (this.current?.docker !== docker || this.stopped) return;
    const product = ping.product === 'Unknown engine' ? info.product : ping.product;
    this.setStatus({
      state: 'connected',
      engine: { ...info, product, address: candidate.address, source: candidate.source },
    });
  }

  private useConnection(
    docker: Docker,
    candidate: EndpointCandidate,
    probed: EngineVersionInfo & { fromPingOnly?: true },
  ): void {
    this.dropConnection();
    this.current = { docker, candidate };
    this.attempt = 0;
    const { fromPingOnly, ...info } = probed;
    this.setStatus({ state: 'connected', engine: { ...info, address: candidate.address, source: candidate.source } });
    if (fromPingOnly) void this.completeVersion(docker, candidate, info);
    this.stopEvents = watchEngineEvents({
      docker,
      onEvent: (e) => this.options.onEvent(e),
      // The stream ending is how we usually learn the engine went away; check, then reconnect.
      onEnd: () => void this.recheck(docker),
    });
    const heartbeat = this.options.heartbeatMs ?? 5000;
    this.heartbeatTimer = setInterval(() => void this.recheck(docker), heartbeat);
  }

  private async recheck(docker: Docker): Promise<void> {
    // One check at a time: a slow engine is not sent a pile of pings (the next heartbeat checks again).
    if (this.current?.docker !== docker || this.stopped || this.checking) return;
    this.checking = true;
    try {
      await this.heartbeatPing(docker);
      if (this.current?.docker === docker && !this.stopEvents) {
        this.stopEvents = watchEngineEvents({
          docker,
          onEvent: (e) => this.options.onEvent(e),
          onEnd: () => void this.recheck(docker),
        });
      }
    } catch {
      if (this.current?.docker !== docker) return;
      this.dropConnection();
      void this.connect();
    } finally {
      this.checking = false;
    }
  }

  /**
   * A connected engine is dropped only when it is gone, not when it is slow: an engine that is not there
   * refuses at once (no socket, connection refused), while a busy one (Podman on a loaded machine takes
   * seconds even for /_ping) only misses the short timeout. A missed ping is asked again, patiently.
   */
  private async heartbeatPing(docker: Docker): Promise<void> {
    const short = this.options.pingTimeoutMs ?? 3000;
    try {
      await withSignal(docker).ping({ abortSignal: AbortSignal.timeout(short) });
    } catch (err) {
      if (!isTimeout(err)) throw err;
      await withSignal(docker).ping({ abortSignal: AbortSignal.timeout(Math.max(short * 4, 15_000)) });
    }
  }

  private dropConnection(): void {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
    const stop = this.stopEvents;
    this.stopEvents = undefined;
    stop?.();
    this.current = undefined;
  }

  private clearRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  private setStatus(status: ConnectionStatus): void {
    this.statusValue = status;
    this.options.onStatus(status);
  }
}

/** An abort by our own timeout: the engine did not answer in time, as opposed to refusing. */
function isTimeout(err: unknown): boolean {
  const e = err as { name?: string; code?: string; cause?: { name?: string } } | null;
  return (
    e?.name === 'TimeoutError' ||
    e?.name === 'AbortError' ||
    e?.code === 'ABORT_ERR' ||
    e?.cause?.name === 'TimeoutError'
  );
}

/** The ping's headers name the product outright when they name one (Podman's Libpod headers); else `/version` decides. */
function withPingProduct(info: EngineVersionInfo, ping: PingAnswer): EngineVersionInfo {
  const product = productFromPing(ping);
  return product === 'Unknown engine' ? info : { ...info, product };
}
