import { homedir } from 'node:os';
import { EngineConnection } from '../core/engine/connection';
import { discoverEngines, dockerodeOptions, parseEngineAddress } from '../core/engine/discover';
import { SettingsStore } from '../core/settings/settings-store';
import { EventBus } from '../ipc/event-bus';
import { JobRunner } from '../ipc/job-runner';

/** Everything the IPC handlers work with; built once per process (Electron main or the browser preview). */
export interface Services {
  dataDir: string;
  /** The home folder: where the engine's config is looked for, and what `~` means in a typed path. */
  homeDir: string;
  bus: EventBus;
  jobs: JobRunner;
  settings: SettingsStore;
  engine: EngineConnection;
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
  const engine = new EngineConnection({
    discover: () => discoverEngines({ env, homeDir, platform: process.platform }),
    preferredAddress: async () => (await settings.get()).engineAddress,
    parseAddress: (address) => parseEngineAddress(address, { env, homeDir, platform: process.platform }),
    dockerOptions: (candidate) => dockerodeOptions(candidate, { env, homeDir }),
    onStatus: (status) => bus.emit('engine.status', status),
    onEvent: (event) => bus.emit('engine.event', event),
    retryDelaysMs: [1000, 2000, 3000],
    heartbeatMs: 2000,
  });
  return { dataDir: options.dataDir, homeDir, bus, jobs, settings, engine };
}

export function disposeServices(services: Services): void {
  services.jobs.cancelAll();
  services.engine.stop();
}
