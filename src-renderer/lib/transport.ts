import type { Reply } from '$shared/ipc/reply';

export type RawEventListener = (name: string, payload: unknown) => void;

/** How requests reach main: the preload in the desktop app, a WebSocket in the browser preview. */
export interface Transport {
  invoke(channel: string, payload: unknown): Promise<Reply>;
  onEvent(listener: RawEventListener): () => void;
  /** Fires when the transport itself is lost (browser preview server stopped). */
  onClosed(listener: (reason: string) => void): () => void;
}

/** What the preload exposes on `window.strata` — nothing else. */
export interface PreloadBridge {
  invoke(channel: string, payload: unknown): Promise<Reply>;
  onEvent(listener: RawEventListener): () => void;
  /** Absolute path of a dropped File (Electron's webUtils.getPathForFile). */
  pathForFile(file: File): string;
}

declare global {
  interface Window {
    strata?: PreloadBridge;
  }
}
