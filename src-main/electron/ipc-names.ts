/** The two Electron IPC names the bridge uses; every contract channel travels inside them by its own name. */
export const INVOKE = 'strata:invoke';
export const EVENT = 'strata:event';
