import type { Services } from '../services';
import type { Handlers } from '../dispatch';
import { engineHandlers } from './engine';
import { jobHandlers } from './jobs';
import { containersHandlers } from './containers';
import { commitHandlers } from './commit';
import { buildHandlers } from './build';
import { imagesHandlers } from './images';
import { appHandlers } from './app';
import { filesHandlers } from './files';
import { contextHandlers } from './context';
import { layersHandlers } from './layers';

/** One handler per channel of the contract, each domain in its own module. */
export function createHandlers(services: Services): Handlers {
  return {
    engine: engineHandlers(services),
    jobs: jobHandlers(services),
    containers: containersHandlers(services),
    commit: commitHandlers(services),
    build: buildHandlers(services),
    images: imagesHandlers(services),
    app: appHandlers(services),
    files: filesHandlers(services),
    context: contextHandlers(services),
    layers: layersHandlers(services),
  };
}
