import type { ContextReport } from '../../../src-main/ipc/contract/context';
import type { RecentContext } from '../../../src-main/ipc/contract/core-types';
import { api, errorMessage, onEvent } from '../../lib/api';
import { doc, guardUnsaved, openFile } from '../editor/dockerfile-document.svelte';
import { isSameOrInside, joinPath, relativeInside } from '../../lib/paths';
import { setWatched } from '../editor/watch-set';
import { chooseDockerfile } from './choose-dockerfile';

type Builder = 'auto' | 'classic' | 'buildkit';

/** The opened build context: its Dockerfile candidates and what a build would send. */
export const buildContext = $state({
  /** The folder opened (as typed or dropped); empty until one is. */
  contextDir: '',
  /** The Dockerfile the context panel scans with (relative to the folder, or absolute). */
  dockerfile: 'Dockerfile',
  builder: 'auto' as Builder,
  /** Dockerfile candidates at the top of the folder. */
  candidates: [] as string[],
  /** Several candidates and no remembered choice: the person picks before the editor opens one. */
  needsPick: false,
  report: null as ContextReport | null,
  scanning: false,
  scanError: '',
  scannedAt: 0,
  /** How long the last scan took: the periodic rescan keeps its cost to about a tenth of the time. */
  scanMs: 0,
  recent: [] as RecentContext[],
  /** Why a drop could not be used, or what adding a rule did. */
  notice: '',
  /** Whether the notice reports something done or something refused (drawn in different colours). */
  noticeTone: 'done' as 'done' | 'refused',
  error: '',
});

/** Say why a drop (or another request) could not be used. */
export function refuse(message: string): void {
  buildContext.noticeTone = 'refused';
  buildContext.notice = message;
}

/** Recently opened contexts, newest first. */
export async function loadRecent(): Promise<void> {
  try {
    buildContext.recent = await api.context.recent({});
  } catch {
    buildContext.recent = [];
  }
}

/**
 * Open a folder (or a Dockerfile in one) as the build context: asks first if the editor has unsaved
 * changes, lists the Dockerfile candidates, opens the chosen one in the editor (or asks the person to pick)
 * and scans. Resolves with the Dockerfile chosen, or null when the person cancelled or it failed.
 */
export function openBuildContext(typed: string): Promise<OpenedBuildContext | null> {
  const path = typed.trim();
  if (!path) return Promise.resolve(null);
  // A typed path arrives twice (the input's change and the form's submit): one open, shared.
  if (opening?.path === path) return opening.promise;
  const promise = open(path).finally(() => {
    if (opening?.promise === promise) opening = null;
  });
  opening = { path, promise };
  return promise;
}

type OpenedBuildContext = { contextDir: string; dockerfile?: string };
let opening: { path: string; promise: Promise<OpenedBuildContext | null> } | null = null;

async function open(path: string): Promise<OpenedBuildContext | null> {
  buildContext.error = '';
  buildContext.notice = '';
  try {
    const opened = await api.context.open({ path });
    const changing = opened.contextDir !== buildContext.contextDir;
    if (changing && !(await guardUnsaved('open another build context'))) return null;
    const lastBuilt = opened.dockerfile || opened.remembered ? undefined : await lastBuiltDockerfile(opened.contextDir);
    const dockerfile = chooseDockerfile({
      candidates: opened.candidates,
      ...(opened.dockerfile ? { dropped: opened.dockerfile } : {}),
      ...(opened.remembered ? { remembered: opened.remembered } : {}),
      ...(lastBuilt ? { lastBuilt } : {}),
    });
    buildContext.contextDir = opened.contextDir;
    buildContext.candidates = opened.candidates;
    buildContext.needsPick = dockerfile === undefined;
    buildContext.report = null;
    void loadRecent();
    if (dockerfile === undefined) return { contextDir: opened.contextDir };
    buildContext.dockerfile = dockerfile;
    await openFile(joinPath(opened.contextDir, dockerfile), { missingOk: true });
    scheduleScan(0);
    return { contextDir: opened.contextDir, dockerfile };
  } catch (err) {
    buildContext.error = errorMessage(err);
    return null;
  }
}

async function lastBuiltDockerfile(contextDir: string): Promise<string | undefined> {
  try {
    return (await api.build.lastOptions({ contextDir }))?.dockerfile;
  } catch {
    return undefined;
  }
}

/** The person picked (or typed) the Dockerfile to build: open it in the editor and remember it. */
export async function useDockerfile(dockerfile: string): Promise<boolean> {
  if (!buildContext.contextDir) return false;
  const path = joinPath(buildContext.contextDir, dockerfile);
  if (path !== doc.path && !(await openFile(path, { missingOk: true }))) return false;
  buildContext.dockerfile = dockerfile;
  buildContext.needsPick = false;
  scheduleScan(0);
  // Remembers the choice for the next time the folder is opened; the build goes on either way, but a choice
  // that was not remembered is said.
  api.context
    .open({ path: buildContext.contextDir, dockerfile })
    .then(loadRecent)
    .catch((err: unknown) => {
      buildContext.error = `Strata could not remember ${dockerfile} as this folder's Dockerfile: ${errorMessage(err)}`;
    });
  return true;
}

/**
 * The editor now shows another file (opened by path, or saved somewhere new): build that one. Returns the
 * name the build form uses, relative to the context folder when the file is inside it.
 */
export function adoptEditorFile(path: string): string {
  const dockerfile = (buildContext.contextDir && relativeInside(buildContext.contextDir, path)) || path;
  buildContext.dockerfile = dockerfile;
  buildContext.needsPick = false;
  scheduleScan(0);
  return dockerfile;
}

/** Forget a recent context (a failure is shown: the entry stays in the list). */
export async function forgetRecent(contextDir: string): Promise<void> {
  try {
    await api.context.forget({ contextDir });
  } catch (err) {
    buildContext.error = `Strata could not forget ${contextDir}: ${errorMessage(err)}`;
  }
  await loadRecent();
}

// ---- Scanning ---------------------------------------------------------------------------------------

let timer: ReturnType<typeof setTimeout> | undefined;
let running = false;
let again = false;

/** Scan again soon (several reasons in a burst cost one scan; never two at once). */
export function scheduleScan(delayMs = 300): void {
  if (!buildContext.contextDir || buildContext.needsPick) return;
  clearTimeout(timer);
  timer = setTimeout(() => void scan(), delayMs);
}

async function scan(): Promise<void> {
  if (running) {
    again = true;
    return;
  }
  running = true;
  const request = {
    contextDir: buildContext.contextDir,
    dockerfile: buildContext.dockerfile,
    builder: buildContext.builder,
  };
  buildContext.scanning = true;
  const started = Date.now();
  try {
    const report = await api.context.scan({ ...request, top: 5 });
    if (request.contextDir === buildContext.contextDir && request.dockerfile === buildContext.dockerfile) {
      buildContext.report = report;
      buildContext.scanError = '';
      buildContext.scannedAt = Date.now();
      buildContext.scanMs = buildContext.scannedAt - started;
    }
  } catch (err) {
    if (request.contextDir === buildContext.contextDir) {
      buildContext.report = null;
      buildContext.scanError = errorMessage(err);
    }
  } finally {
    buildContext.scanning = false;
    running = false;
    watchContextFiles();
    if (again) {
      again = false;
      scheduleScan(0);
    }
  }
}

/**
 * Folders deep inside a context are not watched (recursive watching of big trees costs too much on
 * Linux), so while the page is visible the scan runs again every few seconds — more seldom for contexts
 * whose scan is slow, so rescanning takes at most about a tenth of the time.
 */
export function rescanIfStale(now = Date.now()): void {
  if (document.visibilityState !== 'visible' || buildContext.scanning || !buildContext.scannedAt) return;
  if (now - buildContext.scannedAt >= Math.max(5000, buildContext.scanMs * 10)) scheduleScan(0);
}

/** Watch what changes the scan: the folder's own entries, both possible ignore files, the Dockerfile. */
function watchContextFiles(): void {
  const dir = buildContext.contextDir;
  if (!dir) return setWatched('context', []);
  const dockerfile = joinPath(dir, buildContext.dockerfile);
  const paths = [dir, joinPath(dir, '.dockerignore'), `${dockerfile}.dockerignore`, dockerfile];
  const ignore = buildContext.report?.ignoreFile?.path;
  if (ignore) paths.push(ignore);
  setWatched('context', [...new Set(paths)]);
}

/** Add a rule to the ignore file the build reads (one click from a warning), then scan again. */
export async function addIgnoreRule(rule: string): Promise<void> {
  if (!buildContext.contextDir) return;
  try {
    const result = await api.context.addIgnoreRule({
      contextDir: buildContext.contextDir,
      dockerfile: buildContext.dockerfile,
      builder: buildContext.builder,
      rule,
    });
    buildContext.noticeTone = 'done';
    buildContext.notice = result.added
      ? `Added "${rule}" to ${result.path} (line ${result.line}).`
      : `${result.path} already has "${rule}" (line ${result.line}).`;
    buildContext.error = '';
    scheduleScan(0);
  } catch (err) {
    buildContext.error = errorMessage(err);
  }
}

if (typeof window !== 'undefined') {
  onEvent('files.changed', (change) => {
    const dir = buildContext.contextDir;
    if (!dir) return;
    if (isSameOrInside(dir, change.path) || change.path === joinPath(dir, buildContext.dockerfile)) scheduleScan();
  });
}
