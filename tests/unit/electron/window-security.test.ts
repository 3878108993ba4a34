import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { Session, WebContents } from 'electron';
import {
  isTrustedSender,
  lockDownContents,
  lockDownSession,
  secureWebPreferences,
} from '../../../src-main/electron/window-security';
import { CONTENT_SECURITY_POLICY } from '../../../src-main/web/csp';

// Fake event sources with the shape Electron gives; the code under test is the real one.
class FakeContents extends EventEmitter {
  openHandler: ((details: { url: string }) => { action: string }) | undefined;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.openHandler = handler;
  }
}

function fakeEvent() {
  return {
    prevented: false,
    preventDefault() {
      this.prevented = true;
    },
  };
}

describe('window security', () => {
  it('turns on isolation and sandbox and turns off node in the page', () => {
    const prefs = secureWebPreferences('/app/preload.cjs')!;
    expect(prefs).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      webviewTag: false,
    });
  });

  it('denies navigation away from our page, every window.open, and webviews', () => {
    const contents = new FakeContents();
    const own = 'file:///app/dist/renderer/index.html';
    lockDownContents(contents as unknown as WebContents, (url) => url.split('#')[0] === own);

    const away = fakeEvent();
    contents.emit('will-navigate', away, 'https://example.com/');
    expect(away.prevented).toBe(true);
    const home = fakeEvent();
    contents.emit('will-navigate', home, `${own}#images`);
    expect(home.prevented).toBe(false);
    const redirect = fakeEvent();
    contents.emit('will-redirect', redirect, 'file:///etc/passwd');
    expect(redirect.prevented).toBe(true);
    expect(contents.openHandler?.({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    const webview = fakeEvent();
    contents.emit('will-attach-webview', webview);
    expect(webview.prevented).toBe(true);
  });

  it('denies every permission and sends the CSP header with every response', () => {
    let requestHandler: ((wc: unknown, permission: string, cb: (ok: boolean) => void) => void) | undefined;
    let checkHandler: (() => boolean) | undefined;
    let headersHandler:
      | ((
          details: { responseHeaders?: Record<string, string[]> },
          cb: (r: { responseHeaders: Record<string, string[]> }) => void,
        ) => void)
      | undefined;
    const session = {
      setPermissionRequestHandler: (h: typeof requestHandler) => (requestHandler = h),
      setPermissionCheckHandler: (h: typeof checkHandler) => (checkHandler = h),
      webRequest: { onHeadersReceived: (h: typeof headersHandler) => (headersHandler = h) },
    };
    lockDownSession(session as unknown as Session);
    const answers: boolean[] = [];
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read']) {
      requestHandler!({}, permission, (ok) => answers.push(ok));
    }
    expect(answers).toEqual([false, false, false, false]);
    expect(checkHandler!()).toBe(false);
    let headers: Record<string, string[]> = {};
    headersHandler!({ responseHeaders: { 'X-Other': ['1'] } }, (r) => (headers = r.responseHeaders));
    expect(headers).toEqual({ 'X-Other': ['1'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
  });
});

describe('IPC sender check', () => {
  const own = (url: string) => url.split('#')[0] === 'app://strata/index.html';
  const mainFrame = { processId: 4, routingId: 1, parent: null, url: 'app://strata/index.html#images' };
  const sender = { id: 7, mainFrame };

  it('trusts our window’s main frame showing our page', () => {
    expect(isTrustedSender({ sender, senderFrame: mainFrame }, 7, own)).toBe(true);
  });

  it('refuses a subframe, even one showing our page, another window, a foreign page, a gone frame', () => {
    const sub = { processId: 4, routingId: 9, parent: mainFrame, url: 'app://strata/index.html' };
    expect(isTrustedSender({ sender, senderFrame: sub }, 7, own)).toBe(false);
    // A top-level frame of another process claiming our routing id is not our main frame either.
    const otherProcess = { ...mainFrame, processId: 5 };
    expect(isTrustedSender({ sender, senderFrame: otherProcess }, 7, own)).toBe(false);
    expect(isTrustedSender({ sender, senderFrame: mainFrame }, 8, own)).toBe(false);
    expect(isTrustedSender({ sender, senderFrame: mainFrame }, undefined, own)).toBe(false);
    const away = { ...mainFrame, url: 'https://example.com/' };
    expect(isTrustedSender({ sender: { id: 7, mainFrame: away }, senderFrame: away }, 7, own)).toBe(false);
    expect(isTrustedSender({ sender, senderFrame: null }, 7, own)).toBe(false);
  });
});
