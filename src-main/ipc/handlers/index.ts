import type { Services } from '../../app/services';
import type { Handlers } from '../dispatch';
import { engineHandlers } from './engine';
import { jobHandlers } from './jobs';

/** One handler per channel of the contract, each domain in its own module. */
export function createHandlers(services: Services): Handlers {
  return {
    engine: engineHandlers(services),
    jobs: jobHandlers(services),
  };
}
