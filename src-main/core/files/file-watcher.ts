import { watch, type FSWatcher } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { sha256Hex } from './file-version';
import { readRegularFile } from './user-path';

/** A watched path changed: a file's new content hash (null once deleted), or a folder's entries changed. */
export interface WatchedChange {
  path: string;
  kind: 'file' | 'dir';
  /** SHA-256 of the file now; null when the file is gone, and always null for a folder. */
  sha256: string | null;
}

export interface FileWatcherOptions {
  onChange(change: WatchedChange): void;
  /** Poll interval catching what fs.watch misses (network drives, some editors). Default 2000 ms. */
  pollMs?: number;
  /** Quiet time after an fs.watch event before looking (editors write in bursts). Default 80 ms. */
  debounceMs?: number;
}

interface Fingerprint {
  exists: boolean;
  kind: 'file' | 'dir';
  mtimeMs: number;
  size: number;
  ino: number;
  sha256: string | null;
}

const GONE: Fingerprint = { exists: false, kind: 'file', mtimeMs: 0, size: 0, ino: 0, sha256: null };

async function fingerprint(file: string, previous: Fingerprint | undefined): Promise<Fingerprint> {
  const info = await stat(file).catch(() => undefined);
  if (!info) return GONE;
  const kind = info.isDirectory() ? 'dir' : 'file';
  const base = { exists: true, kind, mtimeMs: info.mtimeMs, size: info.size, ino: info.ino } as const;
  if (kind === 'dir') return { ...base, sha256: null };
  // Hash only when the stats moved: reading every watched file every poll would be wasteful.
  if (
    previous?.exists &&
    previous.kind === 'file' &&
    previous.mtimeMs === info.mtimeMs &&
    previous.size === info.size &&
    previous.ino === info.ino
  ) {
    return { ...base, sha256: previous.sha256 };
  }
  // A FIFO, socket or device has no content to compare, and reading a FIFO would wait for a writer forever.
  if (!info.isFile()) return { ...base, sha256: null };
  const bytes = await readRegularFile(file).catch(() => undefined);
  return bytes ? { ...base, sha256: sha256Hex(bytes) } : GONE;
}

/**
 * Notices when files the app has open change on disk by another program. Each file is watched through its
 * folder (editors that save by renaming replace the file's inode, which would silence a watch on the file
 * itself), a folder through itself (entries added or removed), and everything is polled as a fallback.
 * Only real changes are reported: a touch that leaves the content alone is not.
 */
export class FileWatcher {
  private readonly paths = new Map<string, Fingerprint>();
  private readonly watchers = new Map<string, FSWatcher>();
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private readonly poller: NodeJS.Timeout;
  private closed = false;

  constructor(private readonly options: FileWatcherOptions) {
    this.poller = setInterval(() => void this.checkAll(), options.pollMs ?? 2000);
    this.poller.unref();
  }

  /** Watch exactly these absolute paths from now on (what was watched before and is not listed stops). */
  async setPaths(paths: readonly string[]): Promise<void> {
    const wanted = new Set(paths.map((p) => path.resolve(p)));
    for (const p of [...this.paths.keys()]) if (!wanted.has(p)) this.paths.delete(p);
    for (const p of wanted) {
      if (!this.paths.has(p)) this.paths.set(p, await fingerprint(p, undefined));
    }
    this.syncWatchers();
  }

  /** The paths being watched. */
  watched(): string[] {
    return [...this.paths.keys()];
  }

  /** Our own save wrote this content: remember it so it is not reported back as someone else's change. */
  async acknowledge(file: string): Promise<void> {
    const p = path.resolve(file);
    if (this.paths.has(p)) this.paths.set(p, await fingerprint(p, undefined));
  }

  close(): void {
    this.closed = true;
    clearInterval(this.poller);
    for (const t of this.pending.values()) clearTimeout(t);
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
    this.paths.clear();
  }

  /** One OS watch per folder that holds a watched file, and one per watched folder. */
  private syncWatchers(): void {
    const needed = new Set<string>();
    for (const [p, fp] of this.paths) needed.add(fp.exists && fp.kind === 'dir' ? p : path.dirname(p));
    for (const [dir, w] of this.watchers) {
      if (!needed.has(dir)) {
        w.close();
        this.watchers.delete(dir);
      }
    }
    for (const dir of needed) {
      if (this.watchers.has(dir)) continue;
      try {
        const w = watch(dir, { persistent: false }, (_event, name) => this.onEvent(dir, name ? String(name) : null));
        w.on('error', () => {
          w.close();
          this.watchers.delete(dir);
        });
        this.watchers.set(dir, w);
      } catch {
        // The folder does not exist (yet): polling covers it.
      }
    }
  }

  private onEvent(dir: string, name: string | null): void {
    for (const p of this.paths.keys()) {
      const isFolderItself = p === dir;
      const isFileInIt = path.dirname(p) === dir && (name === null || path.basename(p) === name);
      if (isFolderItself || isFileInIt) this.schedule(p);
    }
  }

  private schedule(p: string): void {
    clearTimeout(this.pending.get(p));
    const timer = setTimeout(() => {
      this.pending.delete(p);
      void this.check(p, { folderEvent: true });
    }, this.options.debounceMs ?? 80);
    timer.unref();
    this.pending.set(p, timer);
  }

  private async checkAll(): Promise<void> {
    for (const p of [...this.paths.keys()]) await this.check(p, { folderEvent: false });
  }

  private async check(p: string, how: { folderEvent: boolean }): Promise<void> {
    const before = this.paths.get(p);
    if (!before || this.closed) return;
    const now = await fingerprint(p, before);
    if (this.closed || this.paths.get(p) !== before) return;
    this.paths.set(p, now);
    let changed: boolean;
    if (now.kind === 'dir' && now.exists) {
      // A file changing inside a folder moves no folder stat; the OS event is the news then.
      changed = how.folderEvent || !before.exists || before.mtimeMs !== now.mtimeMs;
    } else {
      changed = before.exists !== now.exists || before.sha256 !== now.sha256;
    }
    if (before.kind !== now.kind || before.exists !== now.exists) this.syncWatchers();
    if (changed) this.options.onChange({ path: p, kind: now.exists ? now.kind : before.kind, sha256: now.sha256 });
  }
}
