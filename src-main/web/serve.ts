import { fileURLToPath } from 'node:url';
import { installProcessGuard } from '../ipc/process-guard';
import { createServices, disposeServices, removeLeftoverPartials } from '../ipc/services';
import { defaultDataDir } from '../core/settings/data-dir';
import { createHandlers } from '../ipc/handlers';
import { startWebHost } from './host';

/** `npm run web`: the browser preview. Prints exactly one `Ready: <url>` line when it can be used. */
async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`PORT must be a port number (0 picks any free one), not "${process.env.PORT}".`);
    process.exit(2);
  }
  const services = createServices({ dataDir: defaultDataDir() });
  installProcessGuard({ failJob: (jobId, err) => services.jobs.fail(jobId, err) });
  const host = await startWebHost({
    port,
    rendererDir: fileURLToPath(new URL('../renderer/', import.meta.url)),
    handlers: createHandlers(services),
    bus: services.bus,
    ...(process.env.STRATA_WEB_TOKEN ? { token: process.env.STRATA_WEB_TOKEN } : {}),
  });
  // Neither rejects: the connection reports failures as its status, the clean-up logs its own.
  void services.engine.connect();
  void removeLeftoverPartials(services);
  console.log(`Ready: ${host.url}`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    disposeServices(services);
    void host.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(`Strata could not start the browser preview: ${(err as Error).message}`);
  process.exit(1);
});
