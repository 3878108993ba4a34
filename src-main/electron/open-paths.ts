import { isAbsolute, resolve } from 'node:path';
import { openTarget, probePath, type OpenCommand, type OpenProblem, type PathProbe } from '../core/files/open-target';

export type { OpenCommand, OpenProblem };

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

/** What a path opens as, or why it cannot be opened (see `openTarget`), from the file system's answer. */
export async function classifyPath(
  path: string,
  probe: (path: string) => Promise<PathProbe> = probePath,
): Promise<{ command: OpenCommand } | { problem: OpenProblem }> {
  return openTarget(path, await probe(path));
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
  /**
   * Tell the person about a path that cannot be opened (missing, unreadable, neither file nor folder): shown on
   * the page's notice line. Called only after `rendererReady()`, like `send`.
   */
  refuse(problem: OpenProblem): void;
  /** Bring the window to the front (a second launch focuses the first window). */
  focus(): void;
  /** The file system's answer about a path (tests give their own). */
  probe?: (path: string) => Promise<PathProbe>;
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
  private pending: Array<{ command: OpenCommand } | { problem: OpenProblem }> = [];
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
    this.log(`Strata: ${what}: ${err instanceof Error ? err.message : String(err)}`);
  }

  private log(line: string): void {
    (this.options.log ?? ((l: string) => console.error(l)))(line);
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
      for (const item of waiting) this.deliver(item);
    });
  }

  /**
   * Open these paths; one that cannot be opened is reported to the page (and logged), never dropped. Resolves
   * when they are sent or queued.
   */
  open(paths: readonly string[]): Promise<void> {
    return this.enqueue(async () => {
      for (const path of paths) {
        const target = await classifyPath(path, this.options.probe);
        // Also on the app's output (the terminal of a first launch), in case the page never takes it.
        if ('problem' in target) this.log(target.problem.message);
        if (this.ready) this.deliver(target);
        else this.pending.push(target);
      }
    });
  }

  private deliver(target: { command: OpenCommand } | { problem: OpenProblem }): void {
    if ('command' in target) this.options.send(target.command);
    else this.options.refuse(target.problem);
  }

  private enqueue(work: () => Promise<void>): Promise<void> {
    const run = this.queue.then(work);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
