import { api } from '../../lib/api';
import { cancelJob } from '../../lib/cancel-job';
import { followJob } from '../../lib/follow-job';
import type { LayersOpened, LayersProgress } from '../../../src-main/ipc/contract/layers';

/** What the Files view reads: an image in the engine, or an image archive file. */
export type AnalysisSource = { kind: 'image'; image: string } | { kind: 'archive'; path: string };

/** A read in progress (or finished): its job, its latest progress, and its result. */
export interface RunningAnalysis {
  readonly jobId: string;
  readonly result: Promise<LayersOpened>;
  progress(): LayersProgress | undefined;
  /** Called with each progress report; returns the unsubscribe function. */
  onProgress(listener: (progress: LayersProgress) => void): () => void;
}

// Reads outlive the view that started them: leaving the Files tab and coming back follows the same job
// instead of reading the image twice. A read leaves this map when it ends (main caches the result).
const running = new Map<string, Promise<RunningAnalysis>>();

function keyOf(source: AnalysisSource): string {
  return source.kind === 'image' ? `image:${source.image}` : `archive:${source.path}`;
}

/** Start reading a source, or join the read already under way for it. */
export function analyze(source: AnalysisSource): Promise<RunningAnalysis> {
  const key = keyOf(source);
  const existing = running.get(key);
  if (existing) return existing;
  const started = start(source, () => running.delete(key));
  running.set(key, started);
  started.catch(() => running.delete(key));
  return started;
}

async function start(source: AnalysisSource, ended: () => void): Promise<RunningAnalysis> {
  const { jobId } =
    source.kind === 'image'
      ? await api.layers.analyzeImage({ image: source.image })
      : await api.layers.analyzeArchive({ path: source.path });
  const listeners = new Set<(progress: LayersProgress) => void>();
  let latest: LayersProgress | undefined;
  const { result } = followJob(jobId, {
    progress: (progress) => {
      latest = progress;
      for (const listener of listeners) listener(progress);
    },
  });
  // Ended either way: the read leaves the map of those under way.
  result.then(ended, ended);
  return {
    jobId,
    result,
    progress: () => latest,
    onProgress(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** Stop a read (its job's AbortSignal reaches the stream from the engine or the file); a failure is shown. */
export async function cancelAnalysis(session: RunningAnalysis, what: string): Promise<void> {
  await cancelJob(session.jobId, `reading ${what}`);
}
