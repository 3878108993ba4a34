import { randomUUID } from 'node:crypto';
import { compareFiles, type FileComparison } from '../images/compare-files';
import type { AnalyzedImage } from './image-analysis';
import type { LayerChangeCounts } from './layer-changes';

/** Where an analysis came from. */
export type LayersSource =
  | { readonly kind: 'image'; readonly image: string; readonly imageId: string }
  | { readonly kind: 'archive'; readonly path: string };

/** One image read into memory: its tree stays in main; the renderer refers to it by `analysisId`. */
export interface CachedAnalysis {
  readonly analysisId: string;
  /** `image:<image ID>` or `archive:<path>:<mtime>:<size>`: the same key means the same bytes. */
  readonly key: string;
  readonly source: LayersSource;
  readonly analyzed: AnalyzedImage;
  /** Per-layer change counts, computed on first use (one snapshot per layer). */
  changes?: readonly LayerChangeCounts[];
  /** The last file comparison made against this analysis: paging and filtering it must not compare again. */
  lastComparison?: { readonly other: CachedAnalysis; readonly result: FileComparison };
}

export interface AnalysisCacheOptions {
  /** Analyses kept at most. */
  readonly maxEntries?: number;
  /** Tar entries kept across all analyses (a tree costs roughly 200 bytes per entry). */
  readonly maxEntriesTotal?: number;
}

/**
 * The last few analyses, least recently used first out. Bounded by count and by total tar entries so a
 * handful of big images cannot hold gigabytes; the newest analysis is always kept, however big.
 */
export class AnalysisCache {
  private readonly byKey = new Map<string, CachedAnalysis>();
  private readonly maxEntries: number;
  private readonly maxEntriesTotal: number;

  constructor(options: AnalysisCacheOptions = {}) {
    this.maxEntries = options.maxEntries ?? 4;
    this.maxEntriesTotal = options.maxEntriesTotal ?? 4_000_000;
  }

  /** The analysis of these bytes, if kept (and marks it recently used). */
  getByKey(key: string): CachedAnalysis | undefined {
    const hit = this.byKey.get(key);
    if (hit) this.touch(hit);
    return hit;
  }

  /** The analysis with this id, if kept (and marks it recently used). */
  getById(analysisId: string): CachedAnalysis | undefined {
    for (const entry of this.byKey.values()) {
      if (entry.analysisId === analysisId) {
        this.touch(entry);
        return entry;
      }
    }
    return undefined;
  }

  /** Keep a new analysis, replacing one with the same key, and drop the oldest past the bounds. */
  add(input: { key: string; source: LayersSource; analyzed: AnalyzedImage }): CachedAnalysis {
    const entry: CachedAnalysis = { analysisId: randomUUID(), ...input };
    this.byKey.delete(input.key);
    this.byKey.set(input.key, entry);
    this.evict();
    return entry;
  }

  /** File by file, what `b` adds, changes and removes against `a`; the last pair compared is kept. */
  compareFiles(a: CachedAnalysis, b: CachedAnalysis): FileComparison {
    if (a.lastComparison?.other === b) return a.lastComparison.result;
    const side = (entry: CachedAnalysis) => ({
      tree: entry.analyzed.tree,
      diffIds: entry.analyzed.analysis.layers.map((l) => l.diffId),
    });
    const result = compareFiles(side(a), side(b));
    a.lastComparison = { other: b, result };
    return result;
  }

  get size(): number {
    return this.byKey.size;
  }

  clear(): void {
    this.byKey.clear();
  }

  private touch(entry: CachedAnalysis): void {
    this.byKey.delete(entry.key);
    this.byKey.set(entry.key, entry);
  }

  private evict(): void {
    let total = 0;
    for (const entry of this.byKey.values()) total += entry.analyzed.tree.entries.length;
    for (const [key, entry] of this.byKey) {
      if (this.byKey.size <= 1) break;
      if (this.byKey.size <= this.maxEntries && total <= this.maxEntriesTotal) break;
      this.byKey.delete(key);
      total -= entry.analyzed.tree.entries.length;
    }
  }
}
