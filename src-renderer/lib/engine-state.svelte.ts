import type { EngineStatus } from '../../src-main/ipc/contract/engine';
import { api, onEvent } from './api';

/** The engine's connection status, kept current from `engine.status` events. */
export const engineState = $state<{ status: EngineStatus | undefined; previewLost: string | undefined }>({
  status: undefined,
  previewLost: undefined,
});

export function startEngineState(): void {
  onEvent('engine.status', (status) => {
    engineState.status = status;
  });
  const load = () =>
    api.engine
      .status()
      .then((status) => {
        engineState.status = status;
        engineState.previewLost = undefined;
      })
      .catch(() => setTimeout(load, 1000));
  load();
}
