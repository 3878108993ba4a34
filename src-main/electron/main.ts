import { app, BrowserWindow, dialog, ipcMain, Menu, nativeTheme, protocol, session, shell } from 'electron';
import { join } from 'node:path';
import { installProcessGuard } from '../ipc/process-guard';
import { createServices, disposeServices, removeLeftoverPartials, type Services } from '../ipc/services';
import { dispatch } from '../ipc/dispatch';
import { createHandlers } from '../ipc/handlers';
import { appHandlers } from '../ipc/handlers/app';
import { APP_INDEX_URL, APP_SCHEME, APP_SCHEME_PRIVILEGES, appProtocolResponse, isAppPageUrl } from './app-protocol';
import { createDesktopShell, focusWindow, showJobNotice } from './desktop-shell';
import { EVENT, INVOKE } from './ipc-names';
import { JobProgress } from './job-progress';
import { buildMenuTemplate } from './menu';
import { OpenPaths, type LaunchData } from './open-paths';
import { isTrustedSender, lockDownContents, lockDownSession, secureWebPreferences } from './window-security';
import { guardUnload } from './unload-guard';
import { rememberWindowBounds, restoredBounds } from './window-state';

// Thin shell: window, menu, lifecycle and the IPC bridge. Everything else lives in core/ and ipc/.
let mainWindow: BrowserWindow | undefined;
let services: Services | undefined;
// An error nobody caught fails its job and is logged; the app stays up (instead of Electron's crash dialog).
installProcessGuard({ failJob: (jobId, err) => services?.jobs.fail(jobId, err) });

// The page is served from app://strata/ (see app-protocol.ts), never from file://.
const rendererDir = join(__dirname, '..', 'renderer');
const isOwnUrl = isAppPageUrl;
// Before ready, as Electron requires: a standard, secure origin of our own.
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);

// The same data folder the browser preview and the CLI use when STRATA_DATA_DIR is set. Before the lock:
// the single-instance lock lives in this folder.
if (process.env.STRATA_DATA_DIR) app.setPath('userData', process.env.STRATA_DATA_DIR);

// Paths from "Open with", a drop on the dock icon, or a second launch, opened in the Build view.
const openPaths = new OpenPaths({
  argv: process.argv,
  cwd: process.cwd(),
  defaultApp: !!process.defaultApp,
  send: (command) => services?.bus.emit('app.command', command),
  refuse: ({ path, message }) => services?.bus.emit('app.open-refused', { path, message }),
  focus: () => focusWindow(mainWindow),
});

const launch: LaunchData = { argv: process.argv, cwd: process.cwd() };
if (!app.requestSingleInstanceLock(launch)) {
  app.quit();
} else {
  // open-file arrives before ready on macOS when a drop or "Open with" starts the app: listen now.
  openPaths.attach(app);
  app.enableSandbox();
  // A failure to start (the data folder unreadable, the page not loading) ends the app with the reason, rather
  // than leave it running with no window (the process guard would only log it).
  app
    .whenReady()
    .then(start)
    .catch((err: unknown) => {
      const reason = err instanceof Error ? (err.stack ?? err.message) : String(err);
      console.error(`Strata could not start: ${reason}`);
      dialog.showErrorBox('Strata could not start', err instanceof Error ? err.message : String(err));
      app.exit(1);
    });
}

async function start(): Promise<void> {
  const s = createServices({ dataDir: app.getPath('userData') });
  services = s;
  nativeTheme.themeSource = (await s.settings.get()).theme;
  const handlers = {
    ...createHandlers(s),
    app: appHandlers(
      s,
      createDesktopShell(() => mainWindow),
    ),
  };
  lockDownSession(session.defaultSession);
  session.defaultSession.protocol.handle(APP_SCHEME, (request) => appProtocolResponse(rendererDir, request));

  ipcMain.handle(INVOKE, (event, channel: unknown, payload: unknown) => {
    const trusted = isTrustedSender(event, mainWindow?.webContents.id, isOwnUrl);
    return dispatch(handlers, channel, payload, { trusted, description: event.senderFrame?.url ?? 'unknown frame' });
  });

  app.setAboutPanelOptions({
    applicationName: app.name,
    applicationVersion: app.getVersion(),
    copyright: 'Strata developers',
  });
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      buildMenuTemplate({
        platform: process.platform,
        appName: app.name,
        version: app.getVersion(),
        send: (command) => s.bus.emit('app.command', { command }),
        openExternal: (url) => void shell.openExternal(url).catch((err: unknown) => linkFailed(url, err)),
        devTools: !app.isPackaged,
      }),
    ),
  );

  await createWindow(s);
  // Neither rejects: the connection reports failures as its status, the clean-up logs its own.
  void s.engine.connect();
  void removeLeftoverPartials(s);
}

/** A help link the system would not open (no browser set up): said, with the address to open by hand. */
function linkFailed(url: string, err: unknown): void {
  const reason = err instanceof Error ? err.message : String(err);
  console.error(`Strata: could not open ${url}: ${reason}`);
  dialog.showErrorBox(`Strata could not open ${url}`, `${reason}\n\nOpen the address in your browser yourself.`);
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
  const win = mainWindow;
  guardUnload(mainWindow.webContents, (question) => dialog.showMessageBoxSync(win, question));
  rememberWindowBounds(mainWindow, s.settings);
  const progress = new JobProgress({
    window: () => mainWindow,
    jobs: s.jobs,
    notify: (notice) => showJobNotice(notice, () => mainWindow),
    notificationsEnabled: async () => (await s.settings.get()).notifyLongJobs !== false,
  });
  const unsubscribe = s.bus.subscribe((name, payload) => {
    if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send(EVENT, name, payload);
    progress.handle(name, payload);
  });
  // The page listens once it has loaded: paths asked for before then are handed over now.
  mainWindow.webContents.on('did-finish-load', () => openPaths.rendererLoaded());
  mainWindow.on('closed', () => {
    unsubscribe();
    mainWindow = undefined;
  });
  mainWindow.once('ready-to-show', () => mainWindow?.show());
  await mainWindow.loadURL(APP_INDEX_URL);
}

app.on('window-all-closed', () => {
  if (services) disposeServices(services);
  app.quit();
});
