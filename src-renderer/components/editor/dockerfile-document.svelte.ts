import type { Diagnostic } from '@codemirror/lint';
import type { EditorState } from '@codemirror/state';
import type { EditorView } from '@codemirror/view';
import type { FileVersionDto, TextFileDto } from '../../../src-main/ipc/contract/files';
import { api, ApiError, errorMessage, onEvent } from '../../lib/api';
import { problemsOf, type DockerfileProblem } from './dockerfile-diagnostics';
import { formatDockerfile } from './dockerfile-format';
import { createEditorState, type EditorHooks } from './editor-setup';
import { localImages } from './local-images.svelte';
import { clearLineMark, revealLine as markLine, type LineMarkKind } from './line-mark';
import { baseName } from '../../lib/paths';
import { setWatched } from './watch-set';

/** A save refused because the disk moved on: how, and where. */
export interface SaveConflict {
  reason: 'changed' | 'deleted' | 'exists';
  message: string;
  path: string;
}

/** What the person is asked when unsaved changes are in the way. */
export type UnsavedChoice = 'save' | 'discard' | 'cancel';

/**
 * The Dockerfile being edited, kept at module level so leaving the Build view and coming back keeps the
 * unsaved text (and its undo history: the editor state is kept too).
 */
export const doc = $state({
  /** Absolute path; null for a buffer not saved yet (new from a template, or no Dockerfile in the context). */
  path: null as string | null,
  /** The buffer, kept in step with the editor on every edit. */
  text: '',
  /** The text as last read from or written to disk. */
  savedText: '',
  eol: 'lf' as TextFileDto['eol'],
  bom: false,
  version: null as FileVersionDto | null,
  /** Where a buffer with no path will be saved (the context's Dockerfile). */
  suggestedPath: '',
  /** Bumped when the buffer is replaced from outside the editor (open, reload, new). */
  loadSeq: 0,
  /** Bumped after every successful save. */
  savedSeq: 0,
  /** Another program changed (or deleted) the file since it was loaded. */
  disk: null as { kind: 'changed' | 'deleted' } | null,
  conflict: null as SaveConflict | null,
  problems: [] as DockerfileProblem[],
  error: '',
  busy: false,
  /** The question on screen when unsaved changes are in the way. */
  unsavedPrompt: null as { action: string; title: string } | null,
});

/** True when the buffer differs from what is on disk (or was never saved and holds something). */
function isDirty(): boolean {
  return doc.text !== doc.savedText;
}

/** The name shown for the buffer. */
export function documentTitle(): string {
  if (doc.path) return baseName(doc.path);
  return doc.suggestedPath ? `${baseName(doc.suggestedPath)} (not saved yet)` : 'Untitled Dockerfile';
}

// ---- The editor view (one at a time), and what it needs from here ----------------------------------

let view: EditorView | null = null;
let keptState: EditorState | null = null;
let keptSeq = -1;
/** Marks asked for while no editor is mounted, applied in order when one is. */
const pendingMarks: Array<{ line: number | null; kind: LineMarkKind }> = [];

function applyMark(v: EditorView, mark: { line: number | null; kind: LineMarkKind }): void {
  if (mark.line === null) clearLineMark(v, mark.kind);
  else markLine(v, mark.line, mark.kind);
}

const hooks: EditorHooks = {
  onText: (text) => {
    doc.text = text;
  },
  onDiagnostics: (diagnostics: readonly Diagnostic[], state) => {
    doc.problems = problemsOf(state.doc, diagnostics);
  },
  localImages: () => localImages.references,
};

/** The state a newly mounted editor starts from: the kept one (undo history and all) if still current. */
export function editorStateForMount(): EditorState {
  if (keptState && keptSeq === doc.loadSeq && keptState.doc.toString() === doc.text) return keptState;
  keptSeq = doc.loadSeq;
  return createEditorState(doc.text, hooks);
}

/** A fresh state for the current buffer (after open, reload, new). */
export function freshEditorState(): EditorState {
  keptSeq = doc.loadSeq;
  return createEditorState(doc.text, hooks);
}

export function attachView(v: EditorView): void {
  view = v;
  for (const mark of pendingMarks.splice(0)) applyMark(v, mark);
}

export function detachView(v: EditorView): void {
  if (view !== v) return;
  keptState = v.state;
  keptSeq = doc.loadSeq;
  view = null;
}

/** The editor's API for the Build view: the text, whether it is saved, and a way to show a line. */
export const dockerfileEditor = {
  text: (): string => doc.text,
  path: (): string | null => doc.path,
  dirty: isDirty,
  /** Scroll to a 1-based line, put the cursor there and mark it (`error` for a failing build step). */
  revealLine(line: number, kind: LineMarkKind = 'focus'): void {
    if (view) applyMark(view, { line, kind });
    else pendingMarks.push({ line, kind });
  },
  /** Take a kind of mark away (the failing step's, once another build starts). */
  clearMark(kind: LineMarkKind): void {
    if (view) applyMark(view, { line: null, kind });
    else pendingMarks.push({ line: null, kind });
  },
  focus(): void {
    view?.focus();
  },
  /** Format the buffer with dockerfile-utils (an undoable edit). */
  format(): void {
    if (view) formatDockerfile(view);
  },
};

// ---- Loading and saving -------------------------------------------------------------------------------

function replaceBuffer(change: Partial<typeof doc>): void {
  // Problems of the old text must not linger over the new one: the validator reports again shortly.
  Object.assign(doc, { disk: null, conflict: null, error: '', problems: [] }, change);
  doc.loadSeq++;
  setWatched('editor', doc.path ? [doc.path] : []);
}

function load(file: TextFileDto): void {
  replaceBuffer({
    path: file.path,
    text: file.text,
    savedText: file.text,
    eol: file.eol,
    bom: file.bom,
    version: file.version,
    suggestedPath: '',
  });
}

/** Ask what to do with unsaved changes; resolves with the answer. */
function askUnsaved(action: string): Promise<UnsavedChoice> {
  return new Promise((resolve) => {
    answer?.('cancel');
    answer = (choice) => {
      answer = null;
      doc.unsavedPrompt = null;
      resolve(choice);
    };
    doc.unsavedPrompt = { action, title: documentTitle() };
  });
}
let answer: ((choice: UnsavedChoice) => void) | null = null;

/** The person's answer to the unsaved-changes question. */
export function answerUnsaved(choice: UnsavedChoice): void {
  answer?.(choice);
}

/**
 * Before anything replaces the buffer: if it has unsaved changes, ask (save, discard, cancel). Resolves
 * true when it is safe to go on; a discard puts the saved text back at once.
 */
export async function guardUnsaved(action: string): Promise<boolean> {
  if (!isDirty()) return true;
  const choice = await askUnsaved(action);
  if (choice === 'cancel') return false;
  if (choice === 'discard') {
    replaceBuffer({ text: doc.savedText });
    return true;
  }
  return save();
}

/**
 * Open a file by absolute path (after the unsaved-changes guard). A missing file becomes an empty buffer
 * that will be saved there. Resolves false when the person cancelled or the file could not be read.
 */
export async function openFile(path: string, options: { missingOk?: boolean } = {}): Promise<boolean> {
  if (!(await guardUnsaved(`open ${baseName(path)}`))) return false;
  doc.busy = true;
  try {
    load(await api.files.read({ path }));
    return true;
  } catch (err) {
    if (options.missingOk && err instanceof ApiError && err.code === 'not-found') {
      replaceBuffer({ path: null, text: '', savedText: '', version: null, eol: 'lf', bom: false, suggestedPath: path });
      return true;
    }
    doc.error = errorMessage(err);
    return false;
  } finally {
    doc.busy = false;
  }
}

/** Start a new, unsaved buffer with some text (a template); it will be saved at `suggestedPath`. */
export async function newDocument(text: string, suggestedPath: string): Promise<boolean> {
  if (!(await guardUnsaved('start a new Dockerfile'))) return false;
  replaceBuffer({ path: null, text, savedText: '', version: null, eol: 'lf', bom: false, suggestedPath });
  return true;
}

/** Read the file again from disk, dropping the buffer's changes (the person chose to). */
export async function reloadFromDisk(): Promise<boolean> {
  const path = doc.path ?? doc.conflict?.path;
  if (!path) return false;
  try {
    load(await api.files.read({ path }));
    return true;
  } catch (err) {
    doc.error = errorMessage(err);
    return false;
  }
}

/**
 * Save the buffer atomically (temp file, then rename, in main). A save over a file that changed on disk
 * since it was loaded is refused and shown as a conflict (reload or overwrite); `overwrite` writes anyway.
 * `path` saves somewhere else (save as). Resolves true once written.
 */
export async function save(options: { overwrite?: boolean; path?: string } = {}): Promise<boolean> {
  const target = options.path ?? doc.path ?? doc.suggestedPath;
  if (!target) {
    doc.error = 'Type where to save this Dockerfile first.';
    return false;
  }
  const sameFile = target === doc.path;
  const text = doc.text;
  doc.busy = true;
  try {
    const saved = await api.files.save({
      path: target,
      text,
      eol: doc.eol,
      bom: doc.bom,
      expectedSha256: sameFile ? (doc.version?.sha256 ?? null) : null,
      overwrite: options.overwrite ?? false,
    });
    const pathChanged = saved.path !== doc.path;
    Object.assign(doc, {
      path: saved.path,
      savedText: text,
      version: saved.version,
      disk: null,
      conflict: null,
      error: '',
      suggestedPath: '',
    });
    doc.savedSeq++;
    if (pathChanged) setWatched('editor', [saved.path]);
    return true;
  } catch (err) {
    if (err instanceof ApiError && err.code === 'conflict') {
      const reason = err.details?.reason;
      doc.conflict = {
        reason: reason === 'deleted' || reason === 'exists' ? reason : 'changed',
        message: err.message,
        path: target,
      };
    } else {
      doc.error = errorMessage(err);
    }
    return false;
  } finally {
    doc.busy = false;
  }
}

/** Build only what is on disk: save first when the buffer has changes. Resolves false if it could not. */
export async function saveBeforeBuild(): Promise<boolean> {
  if (!isDirty()) return true;
  return save();
}

// ---- Changes on disk, and leaving the page -----------------------------------------------------------

if (typeof window !== 'undefined') {
  onEvent('files.changed', (change) => {
    if (change.kind !== 'file' || !doc.path || change.path !== doc.path) return;
    if (change.sha256 === null) doc.disk = { kind: 'deleted' };
    else if (change.sha256 !== doc.version?.sha256) doc.disk = { kind: 'changed' };
    else doc.disk = null;
  });
  // Closing the window or reloading the page with unsaved changes: the browser (or Electron) asks first.
  window.addEventListener('beforeunload', (event) => {
    if (!isDirty()) return;
    event.preventDefault();
    event.returnValue = '';
  });
}
