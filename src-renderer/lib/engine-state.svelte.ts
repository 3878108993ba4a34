import type { EngineStatus } from '../../src-main/ipc/contract/engine';
import { api, onEvent } from './api';

type Unreachable = Extract<EngineStatus, { state: 'unreachable' }>;

/**
 * The engine's connection status, kept current from `engine.status` events. `lost` is the last "unreachable"
 * status until an engine connects: each retry passes through "connecting", and the no-engine page must stay up
 * (keeping what the user typed there) across retries rather than flash the views and rebuild itself.
 */
export const engineState = $state<{
  status: EngineStatus | undefined;
  lost: Unreachable | undefined;
  previewLost: string | undefined;
}>({
  status: undefined,
  lost: undefined,
  previewLost: undefined,
});

function setStatus(status: EngineStatus): void {
  engineState.status = status;
  if (status.state === 'unreachable') engineState.lost = status;
  else if (status.state === 'connected') engineState.lost = undefined;
}

export function startEngineState(): void {
  onEvent('engine.status', setStatus);
  // Asks until main answers (the preview's socket may still be opening); a failed ask is the cue to ask again, so
  // `load` handles its own rejection and returns nothing for setTimeout to drop.
  const load = (): void => {
    api.engine
      .status()
      .then((status) => {
        setStatus(status);
        engineState.previewLost = undefined;
      })
      .catch(() => setTimeout(load, 1000));
  };
  load();
}
