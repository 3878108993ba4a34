import { app, BrowserWindow, ipcMain, session } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createServices, disposeServices, type Services } from '../app/services';
import { dispatch } from '../ipc/dispatch';
import { createHandlers } from '../ipc/handlers';
import { EVENT, INVOKE } from './ipc-names';
import { lockDownContents, lockDownSession, secureWebPreferences } from './window-security';
import { rememberWindowBounds, restoredBounds } from './window-state';

// Thin shell: window, lifecycle and the IPC bridge. Everything else lives in core/ and ipc/.
let mainWindow: BrowserWindow | undefined;
let services: Services | undefined;

const rendererIndex = join(__dirname, '..', 'renderer', 'index.html');
const rendererUrl = pathToFileURL(rendererIndex).href;
const isOwnUrl = (url: string) => url.split('#')[0] === rendererUrl;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
  });
  app.enableSandbox();
  app.whenReady().then(start, (err: unknown) => {
    console.error(err);
    app.exit(1);
  });
}

async function start(): Promise<void> {
  services = createServices({ dataDir: app.getPath('userData') });
  const handlers = createHandlers(services);
  lockDownSession(session.defaultSession);

  ipcMain.handle(INVOKE, (event, channel: unknown, payload: unknown) => {
    // Only our own window's top frame, showing our own page, may call.
    const trusted =
      !!mainWindow && event.sender.id === mainWindow.webContents.id && !!event.senderFrame && isOwnUrl(event.senderFrame.url);
    return dispatch(handlers, channel, payload, { trusted, description: event.senderFrame?.url ?? 'unknown frame' });
  });

  await createWindow(services);
  void services.engine.connect();
}

async function createWindow(s: Services): Promise<void> {
  const bounds = await restoredBounds(s.settings);
  mainWindow = new BrowserWindow({
    ...bounds,
    minWidth: 900,
    minHeight: 560,
    title: 'Strata',
    show: false,
    webPreferences: secureWebPreferences(join(__dirname, 'preload.cjs')),
  });
  lockDownContents(mainWindow.webContents, isOwnUrl);
  rememberWindowBounds(mainWindow, s.settings);
  const unsubscribe = s.bus.subscribe((name, payload) => {
    if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send(EVENT, name, payload);
  });
  mainWindow.on('closed', () => {
    unsubscribe();
    mainWindow = undefined;
  });
  mainWindow.once('ready-to-show', () => mainWindow?.show());
  await mainWindow.loadFile(rendererIndex);
}

app.on('window-all-closed', () => {
  if (services) disposeServices(services);
  app.quit();
});
