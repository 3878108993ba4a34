import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unmountUnder } from './engine-mounts';

const repoRoot = join(import.meta.dirname, '..', '..');

/**
 * A second isolated test engine of a suite's own, in a fresh folder under /tmp: for suites that stop, restart
 * or kill an engine, which must never be the shared one the other suites use. A dockerd (scripts/test-engine.sh),
 * or a Podman service (scripts/test-podman.sh) when asked for one. `dispose` stops it and removes its folder,
 * mounts included, so a suite leaves nothing behind.
 */
export class OwnEngine {
  /** The engine's address once started (`unix://…`). */
  host = '';

  private constructor(
    readonly dir: string,
    private readonly podman: boolean,
  ) {}

  /** A folder for the engine; nothing runs until `start`. */
  static async create(options: { podman?: boolean } = {}): Promise<OwnEngine> {
    return new OwnEngine(await mkdtemp(join(tmpdir(), 'se-')), options.podman ?? false);
  }

  private script(command: 'start' | 'stop'): string {
    return execFileSync(
      'bash',
      [join(repoRoot, 'scripts', this.podman ? 'test-podman.sh' : 'test-engine.sh'), command],
      {
        env: { ...process.env, [this.podman ? 'STRATA_PODMAN_DIR' : 'STRATA_ENGINE_DIR']: this.dir },
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
  }

  /** Start it (again, with the same data); returns its address. */
  start(): string {
    this.host = this.script('start')
      .trim()
      .split('\n')
      .at(-1)!
      .replace(/^DOCKER_HOST=/, '');
    return this.host;
  }

  stop(): void {
    this.script('stop');
  }

  /** The docker CLI against this engine; its standard output, trimmed. */
  docker(...args: string[]): string {
    return execFileSync('docker', args, { env: { ...process.env, DOCKER_HOST: this.host }, encoding: 'utf8' }).trim();
  }

  /** The dockerd's pid, as its script recorded it (to kill this engine and no other). */
  pid(): number {
    return Number(readFileSync(join(this.dir, 'dockerd.pid'), 'utf8').trim());
  }

  /** Stop it and remove its folder (mounts a killed daemon left behind first). */
  async dispose(): Promise<void> {
    this.stop();
    unmountUnder(this.dir);
    await rm(this.dir, { recursive: true, force: true });
  }
}
