import { stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import type { CommandId } from '$shared/commands';

/** What opening a path asks the renderer to do (sent as an `app.command` event). */
export interface OpenCommand {
  command: Extract<CommandId, 'open-build-context' | 'open-dockerfile' | 'open-image-archive'>;
  path: string;
}

const ARCHIVE = /\.(tar|tar\.gz|tgz|tar\.xz|txz|tar\.bz2|tbz2|tar\.zst|tzst)$/i;

/**
 * The paths a launch was asked to open: its arguments without the executable, switches (Chromium and test
 * drivers add some, also to a second instance's argv) and, when run from the sources (`electron <app>`), the
 * app folder: the first argument that is not a switch. Relative paths resolve against the launching shell's
 * working directory.
 */
export function pathsFromArgv(argv: readonly string[], options: { cwd: string; defaultApp: boolean }): string[] {
  const paths: string[] = [];
  let appFolderToSkip = options.defaultApp;
  let afterDashDash = false;
  for (const arg of argv.slice(1)) {
    if (!afterDashDash && arg === '--') {
      afterDashDash = true;
      continue;
    }
    if (!arg || (!afterDashDash && arg.startsWith('-'))) continue;
    if (appFolderToSkip) {
      appFolderToSkip = false;
      continue;
    }
    paths.push(isAbsolute(arg) ? arg : resolve(options.cwd, arg));
  }
  return paths;
}

/**
 * What a path opens as: a folder is a build context; an image archive (tar, compressed or not) is loaded;
 * any other file is taken as the Dockerfile (Dockerfile, *.Dockerfile, Containerfile or any name: the user
 * chose to open it with Strata). Undefined when the path does not exist.
 */
export async function classifyPath(path: string, statPath: typeof stat = stat): Promise<OpenCommand | undefined> {
  const info = await statPath(path).catch(() => undefined);
  if (!info) return undefined;
  if (info.isDirectory()) return { command: 'open-build-context', path };
  if (!info.isFile()) return undefined;
  return { command: ARCHIVE.test(path) ? 'open-image-archive' : 'open-dockerfile', path };
}

/** Where open requests come from: Electron's `app` (open-file on macOS, second-instance everywhere). */
export interface OpenEventSource {
  on(event: 'open-file', listener: (event: { preventDefault(): void }, path: string) => void): unknown;
  on(
    event: 'second-instance',
    listener: (event: unknown, argv: string[], workingDirectory: string, additionalData: unknown) => void,
  ): unknown;
}

export interface OpenPathsOptions {
  /** This launch's own arguments (a first launch by "Open with" gets the path here). */
  argv: readonly string[];
  cwd: string;
  /** Electron's `process.defaultApp`: run as `electron <app folder>`, so argv[1] is the app, not a path. */
  defaultApp: boolean;
  /** Hand a command to the renderer. Called only after `rendererReady()`; earlier ones wait. */
  send(command: OpenCommand): void;
  /** Bring the window to the front (a second launch focuses the first window). */
  focus(): void;
  statPath?: typeof stat;
  /** Where a path that could not be handed over is reported; console.error by default. */
  log?: (line: string) => void;
}

/** What a second launch hands the first (through `requestSingleInstanceLock`): Chromium may rewrite argv. */
export interface LaunchData {
  argv: string[];
  cwd: string;
}

function isLaunchData(value: unknown): value is LaunchData {
  const v = value as Partial<LaunchData> | null;
  return !!v && Array.isArray(v.argv) && v.argv.every((a) => typeof a === 'string') && typeof v.cwd === 'string';
}

/**
 * Turn launches, second launches and macOS open-file events into open commands for the renderer. Requests
 * that come before the page can listen (macOS sends open-file before the app is ready) are kept, in order,
 * and delivered by `rendererReady()`.
 */
export class OpenPaths {
  private ready = false;
  private pending: OpenCommand[] = [];
  /** Classification is async; this keeps commands in the order they were asked for. */
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly options: OpenPathsOptions) {}

  /** Listen to the event source and take this launch's own argv. */
  attach(source: OpenEventSource): this {
    source.on('open-file', (event, path) => {
      event.preventDefault();
      this.openAndReport([path]);
    });
    source.on('second-instance', (_event, argv, workingDirectory, additionalData) => {
      this.options.focus();
      const launch = isLaunchData(additionalData) ? additionalData : { argv, cwd: workingDirectory };
      this.openAndReport(pathsFromArgv(launch.argv, { cwd: launch.cwd, defaultApp: this.options.defaultApp }));
    });
    this.openAndReport(
      pathsFromArgv(this.options.argv, { cwd: this.options.cwd, defaultApp: this.options.defaultApp }),
    );
    return this;
  }

  /** Open from an event nobody awaits: a failure to hand the paths over is logged, naming them. */
  private openAndReport(paths: readonly string[]): void {
    if (paths.length === 0) return;
    this.open(paths).catch((err: unknown) => this.report(`could not open ${paths.join(', ')}`, err));
  }

  private report(what: string, err: unknown): void {
    const log = this.options.log ?? ((line: string) => console.error(line));
    log(`Strata: ${what}: ${err instanceof Error ? err.message : String(err)}`);
  }

  /** The page has loaded (nobody awaits this): deliver what waited; a failure to hand it over is logged. */
  rendererLoaded(): void {
    this.rendererReady().catch((err: unknown) => this.report('could not hand the paths waiting to the page', err));
  }

  /** The page listens now: deliver what waited. */
  rendererReady(): Promise<void> {
    return this.enqueue(async () => {
      this.ready = true;
      const waiting = this.pending;
      this.pending = [];
      for (const command of waiting) this.options.send(command);
    });
  }

  /** Open these paths (ignoring those that do not exist); resolves when they are sent or queued. */
  open(paths: readonly string[]): Promise<void> {
    return this.enqueue(async () => {
      for (const path of paths) {
        const command = await classifyPath(path, this.options.statPath);
        if (!command) continue;
        if (this.ready) this.options.send(command);
        else this.pending.push(command);
      }
    });
  }

  private enqueue(work: () => Promise<void>): Promise<void> {
    const run = this.queue.then(work);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
