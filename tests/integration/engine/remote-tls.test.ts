import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createServices, disposeServices, type Services } from '../../../src-main/ipc/services';
import { discoverEngines } from '../../../src-main/core/engine/discover';
import { describeWithEngine } from '../engine-available';
import { listBuildSave } from './remote-flow';
import { freePort, makeCerts, startTlsEngine, type TestCerts } from './remote-engines';

// tcp:// with TLS, as DOCKER_TLS_VERIFY and DOCKER_CERT_PATH set it up: a second engine of the test's own that
// listens on loopback with certificates made here by openssl, verifying its clients.
describeWithEngine('an engine over tcp:// with TLS', () => {
  let certs: TestCerts;
  let engine: { stop(): void } | undefined;
  let address: string;
  const opened: Services[] = [];

  function servicesFor(env: NodeJS.ProcessEnv): Services {
    const services = createServices({
      dataDir: mkdtempSync(join(tmpdir(), 'strata-tls-data-')),
      env: { DOCKER_HOST: address, ...env },
      homeDir: mkdtempSync(join(tmpdir(), 'strata-tls-home-')),
    });
    opened.push(services);
    return services;
  }

  beforeAll(async () => {
    certs = makeCerts();
    const port = await freePort();
    address = `tcp://127.0.0.1:${port}`;
    engine = startTlsEngine(certs, port);
  });

  afterAll(() => {
    for (const s of opened) disposeServices(s);
    engine?.stop();
  });

  it('is found from DOCKER_HOST with DOCKER_TLS_VERIFY, connects, lists, builds (uploading over TLS) and saves', async () => {
    const env = { DOCKER_HOST: address, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certs.client };
    const [candidate] = await discoverEngines({ env, homeDir: tmpdir(), platform: 'linux' });
    expect(candidate).toMatchObject({
      address,
      transport: 'tcp',
      source: 'DOCKER_HOST',
      tls: { verify: true, caFile: join(certs.client, 'ca.pem'), certFile: join(certs.client, 'cert.pem') },
    });
    const services = servicesFor(env);
    const status = await services.engine.connect();
    expect(status).toMatchObject({ state: 'connected', engine: { product: 'Docker Engine', address } });
    await listBuildSave(services.engine.docker(), 'strata-it-remote/tls:1');
    await listBuildSave(services.engine.docker(), 'strata-it-remote/tls:buildkit', 'buildkit');
  });

  it('an engine certificate from another CA is refused, naming the CA file to fix', async () => {
    const services = servicesFor({ DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certs.wrongCa });
    await expect(services.engine.switchTo(address, async () => undefined)).rejects.toMatchObject({
      code: 'engine-unreachable',
      message: expect.stringContaining(
        `the engine's TLS certificate is not signed by the CA in ${join(certs.wrongCa, 'ca.pem')}`,
      ),
    });
  });

  it('a client certificate the engine does not trust is refused, naming the folder to fix', async () => {
    const services = servicesFor({ DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certs.wrongCert });
    await expect(services.engine.switchTo(address, async () => undefined)).rejects.toMatchObject({
      message: expect.stringMatching(
        new RegExp(
          `the engine refused this client's TLS certificate .*put the cert\\.pem and key\\.pem .* in ${certs.wrongCert}`,
        ),
      ),
    });
  });

  it('plain HTTP to the TLS engine says to turn TLS on', async () => {
    const services = servicesFor({});
    await expect(services.engine.switchTo(address, async () => undefined)).rejects.toMatchObject({
      message: expect.stringContaining('the engine speaks TLS here: set DOCKER_TLS_VERIFY=1'),
    });
  });
});
