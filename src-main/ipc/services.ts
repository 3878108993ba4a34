import { homedir } from 'node:os';
import { join } from 'node:path';
import { EngineConnection } from '../core/engine/connection';
import { BuildHistoryStore } from '../core/build/build-history-store';
import { BuildLeftovers } from '../core/build/build-leftovers';
import { SessionRefusals } from '../core/build/session/session-support';
import type { TerminalSession } from '../core/containers/terminal-session';
import { FileWatcher } from '../core/files/file-watcher';
import { PartialJournal } from '../core/files/partial-journal';
import { RecentContextsStore } from '../core/files/recent-contexts';
import { AnalysisCache } from '../core/layers/analysis-cache';
import { discoverEngines, dockerodeOptions, parseEngineAddress } from '../core/engine/discover';
import { SettingsStore } from '../core/settings/settings-store';
import { EventBus } from './event-bus';
import { JobRunner } from './job-runner';

/** Everything the IPC handlers work with; built once per process (Electron main or the browser preview). */
export interface Services {
  dataDir: string;
  /** The home folder: where the engine's config is looked for, and what `~` means in a typed path. */
  homeDir: string;
  bus: EventBus;
  jobs: JobRunner;
  settings: SettingsStore;
  engine: EngineConnection;
  /** Half-written files in the user's folders, removed at startup if the app died before finishing them. */
  partials: PartialJournal;
  /** Build containers an engine crash left behind, removed once that engine is back. */
  buildLeftovers: BuildLeftovers;
  /** Kept builds, under the data folder. */
  builds: BuildHistoryStore;
  /** Engines that refused a BuildKit session: their plans (panel and build) are for the tar they then get. */
  sessionRefusals: SessionRefusals;
  /** Recently opened build contexts. */
  recentContexts: RecentContextsStore;
  /** The files the editor has open; changes by other programs are pushed as `files.changed`. */
  fileWatcher: FileWatcher;
  /** The last few images read for the layer explorer, by analysis id (their trees stay in main). */
  analyses: AnalysisCache;
  /** Live terminal sessions by their job's id. */
  terminals: Map<string, TerminalSession>;
}

export interface ServicesOptions {
  dataDir: string;
  env?: NodeJS.ProcessEnv;
  homeDir?: string;
}

export function createServices(options: ServicesOptions): Services {
  const env = options.env ?? process.env;
  const homeDir = options.homeDir ?? homedir();
  const bus = new EventBus();
  const jobs = new JobRunner(bus);
  const settings = new SettingsStore(options.dataDir);
  const buildLeftovers = new BuildLeftovers(join(options.dataDir, 'build-leftovers.json'));
  const engine = new EngineConnection({
    discover: () => discoverEngines({ env, homeDir, platform: process.platform }),
    preferredAddress: async () => (await settings.get()).engineAddress,
    parseAddress: (address) => parseEngineAddress(address, { env, homeDir, platform: process.platform }),
    dockerOptions: (candidate) => dockerodeOptions(candidate, { env, homeDir }),
    onStatus: (status) => {
      bus.emit('engine.status', status);
      if (status.state === 'connected') {
        const { address } = status.engine;
        // Containers the engine refuses to remove stay noted for the next connection; a failure here is the
        // note file itself (unreadable, not writable): said in the log, as nobody waits on this.
        void buildLeftovers
          .removeFrom(engine.docker(), address)
          .catch((err: unknown) =>
            console.error(
              `Strata: could not remove the build containers left on ${address}: ${(err as Error).message}`,
            ),
          );
      }
    },
    onEvent: (event) => bus.emit('engine.event', event),
    retryDelaysMs: [1000, 2000, 3000],
    heartbeatMs: 2000,
  });
  const partials = new PartialJournal(join(options.dataDir, 'partial-files'));
  return {
    dataDir: options.dataDir,
    homeDir,
    bus,
    jobs,
    settings,
    engine,
    partials,
    buildLeftovers,
    builds: new BuildHistoryStore(join(options.dataDir, 'builds')),
    sessionRefusals: new SessionRefusals(),
    recentContexts: new RecentContextsStore(options.dataDir),
    fileWatcher: new FileWatcher({ onChange: (change) => bus.emit('files.changed', change) }),
    analyses: new AnalysisCache(),
    terminals: new Map(),
  };
}

/** At startup: delete what a save cut short by the app's death left behind (only files the journal names). */
export async function removeLeftoverPartials(services: Services): Promise<void> {
  try {
    const { removed } = await services.partials.cleanUp();
    for (const file of removed) console.error(`Strata: removed ${file}, left by a save that did not finish.`);
  } catch (err) {
    console.error(`Strata: could not clean up unfinished saves: ${(err as Error).message}`);
  }
}

export function disposeServices(services: Services): void {
  services.jobs.cancelAll();
  services.engine.stop();
  services.fileWatcher.close();
}
