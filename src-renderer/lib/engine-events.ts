import { onEvent } from './api';

/**
 * Refresh a view when the engine reports a change of the given object types (image, container...),
 * debounced so a burst of events (a build, a prune) costs one refresh. Returns the unsubscribe.
 */
export function onEngineChange(types: string[], refresh: () => void, debounceMs = 200): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const off = onEvent('engine.event', (event) => {
    if (!types.includes(event.type)) return;
    clearTimeout(timer);
    timer = setTimeout(refresh, debounceMs);
  });
  const offStatus = onEvent('engine.status', (status) => {
    if (status.state === 'connected') refresh();
  });
  return () => {
    clearTimeout(timer);
    off();
    offStatus();
  };
}
