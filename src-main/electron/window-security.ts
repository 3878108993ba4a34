import type { BrowserWindowConstructorOptions, Session, WebContents } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../web/csp';

/** The only web preferences a Strata window gets. */
export function secureWebPreferences(preload: string): BrowserWindowConstructorOptions['webPreferences'] {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
  };
}

/** Deny what a desktop app page never needs: permissions, navigation away, new windows; add the CSP header. */
export function lockDownSession(session: Session): void {
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    });
  });
}

export function lockDownContents(contents: WebContents, isOwnUrl: (url: string) => boolean): void {
  contents.on('will-navigate', (event, url) => {
    if (!isOwnUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isOwnUrl(url)) event.preventDefault();
  });
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** What an IPC call tells about its caller: the window's contents and the frame that sent it. */
export interface IpcSender {
  sender: { id: number; mainFrame: { processId: number; routingId: number } };
  senderFrame: { processId: number; routingId: number; parent: unknown; url: string } | null;
}

/**
 * Only our own window's main frame, showing our own page, may call: not a subframe (the page has none, and a
 * frame someone managed to inject must not inherit the bridge), not another window.
 */
export function isTrustedSender(
  event: IpcSender,
  windowContentsId: number | undefined,
  isOwnUrl: (url: string) => boolean,
): boolean {
  const frame = event.senderFrame;
  if (windowContentsId === undefined || event.sender.id !== windowContentsId || !frame) return false;
  const main = event.sender.mainFrame;
  const isMainFrame = frame.parent === null && frame.processId === main.processId && frame.routingId === main.routingId;
  return isMainFrame && isOwnUrl(frame.url);
}
