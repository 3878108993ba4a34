import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { channelNames } from '$shared/ipc/channels';
import { EVENT, INVOKE } from './ipc-names';

// The one namespace the page gets. It forwards only channels the contract names (from their zod-free list, so the
// preload carries no schema code); main validates again.
const allowed = new Set<string>(channelNames);

contextBridge.exposeInMainWorld('strata', {
  invoke(channel: string, payload: unknown) {
    if (!allowed.has(channel)) {
      return Promise.resolve({
        ok: false,
        error: { code: 'invalid-input', message: `There is no channel named "${String(channel)}".` },
      });
    }
    return ipcRenderer.invoke(INVOKE, channel, payload);
  },
  onEvent(listener: (name: string, payload: unknown) => void) {
    const wrapped = (_event: unknown, name: string, payload: unknown) => listener(name, payload);
    ipcRenderer.on(EVENT, wrapped);
    return () => ipcRenderer.removeListener(EVENT, wrapped);
  },
  pathForFile(file: File) {
    return webUtils.getPathForFile(file);
  },
});
