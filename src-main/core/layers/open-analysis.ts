import { realpath, stat } from 'node:fs/promises';
import { StrataError } from '$shared/engine/errors';
import { fileKind } from '../files/user-path';
import type { AnalysisCache, LayersSource } from './analysis-cache';
import { analyzeImage } from './image-analysis';
import { layersSummary, type LayersSummary } from './layers-summary';

/** What a running analysis reports: bytes taken from the image stream or file. */
export interface LayersProgress {
  readonly bytesRead: number;
  readonly totalBytes?: number;
  /** True when totalBytes is the engine's image size (close to, not exactly, the `docker save` size). */
  readonly estimated: boolean;
}

/** What opening an analysis gives: its id and figures. */
export interface LayersOpened {
  readonly analysisId: string;
  /** True when the analysis was already in the cache and nothing was read. */
  readonly cached: boolean;
  readonly summary: LayersSummary;
}

export interface OpenAnalysisOptions {
  readonly cache: AnalysisCache;
  /** `image:<image ID>` or `archive:<path>:<mtime>:<size>`: the same key means the same bytes. */
  readonly key: string;
  readonly source: LayersSource;
  readonly totalBytes: number;
  readonly estimated: boolean;
  readonly open: (signal: AbortSignal) => Promise<NodeJS.ReadableStream>;
  readonly signal: AbortSignal;
  /** Called at most every PROGRESS_INTERVAL_MS, and at the start and end of the read. */
  readonly onProgress: (progress: LayersProgress) => void;
}

const PROGRESS_INTERVAL_MS = 100;

/** Answer from the cache, or stream the image through the reader and keep the result. */
export async function openAnalysis(options: OpenAnalysisOptions): Promise<LayersOpened> {
  const { cache, signal } = options;
  const hit = cache.getByKey(options.key);
  if (hit) return { analysisId: hit.analysisId, cached: true, summary: layersSummary(hit) };
  const report = progressReporter(options);
  report(0, true);
  const stream = await options.open(signal);
  if (signal.aborted) {
    // Cancelled while the engine was starting to answer: close the stream the reader never saw.
    (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
    signal.throwIfAborted();
  }
  const analyzed = await analyzeImage(stream, {
    signal,
    totalBytes: options.totalBytes,
    onProgress: (progress) => report(progress.bytesRead, false),
  });
  report(analyzed.analysis.bytesRead, true);
  const entry = cache.add({ key: options.key, source: options.source, analyzed });
  return { analysisId: entry.analysisId, cached: false, summary: layersSummary(entry) };
}

// A 1 GB image arrives in ~16,000 chunks: report at most ten times a second, so the job log stays small.
function progressReporter(options: OpenAnalysisOptions): (bytesRead: number, force: boolean) => void {
  let last = 0;
  return (bytesRead, force) => {
    const now = Date.now();
    if (!force && now - last < PROGRESS_INTERVAL_MS) return;
    last = now;
    options.onProgress({ bytesRead, totalBytes: options.totalBytes, estimated: options.estimated });
  };
}

/** The image archive at an absolute path, with what the cache keys on; only regular files are accepted. */
export async function archiveFile(expanded: string): Promise<{ path: string; size: number; mtimeMs: number }> {
  const info = await stat(expanded).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') {
      throw new StrataError('not-found', `There is no file at ${expanded}.`);
    }
    if (error.code === 'EACCES') throw new StrataError('forbidden', `Strata may not read ${expanded}.`);
    throw error;
  });
  if (info.isDirectory()) throw new StrataError('invalid-input', `${expanded} is a folder, not an image archive.`);
  // A pipe would wait for a writer forever, and a device (/dev/zero) never ends: only regular files are read.
  if (!info.isFile()) {
    throw new StrataError('invalid-input', `${expanded} is ${fileKind(info)}, not an image archive file.`);
  }
  return { path: await realpath(expanded), size: info.size, mtimeMs: info.mtimeMs };
}
