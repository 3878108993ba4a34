import { archiveBytes } from './archive-source';
import type { ArchiveSource } from './archive-source';
import { MAX_JSON_BYTES, parseImageConfig, resolveManifest, tooLarge } from './archive-manifest';
import type { ArchiveLayout, ImageConfigSummary } from './archive-manifest';
import type { ContentHasher } from './content-hasher';
import { cleanImagePath } from './image-path';
import { createLayerDecoder, detectCompression } from './layer-blob-decoder';
import type { PacedSink } from './layer-blob-decoder';
import type { LayerCompression, LayerEntry } from './layer-entry';
import { LayerScanner } from './layer-scanner';
import { TarHeaderParser, looksLikeTarBlock } from './tar-header-parser';
import type { TarHeader } from './tar-header-parser';
import { linkHistory } from './history-link';
import { ArchiveFile, skimArchive } from './archive-file';
import { CaptureSink, SniffSink, settle, settleSoon, untilAborted } from './archive-sinks';

export interface ReadProgress {
  /** Bytes taken from the source so far (compressed bytes if the whole archive is compressed). */
  readonly bytesRead: number;
  readonly totalBytes?: number;
}

export interface ReadImageArchiveOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: ReadProgress) => void;
  /** Size of the source when known (a file's size), passed back in progress reports. */
  readonly totalBytes?: number;
  /** Hash file contents to tell rewritten files from untouched ones (default true; costs ~1 s per 2 GB). */
  readonly contentDigest?: boolean;
  /** Picks one image when the archive holds several. */
  readonly imageRef?: string;
}

/** One layer of the image, in order, with its tar headers and the history entry that made it. */
export interface ArchiveLayer {
  readonly index: number;
  /** Digest of the uncompressed layer, from the config's rootfs.diff_ids (Docker's layer ID). */
  readonly diffId?: string;
  /** Digest of the blob as stored (OCI layout and Docker 25+ archives). */
  readonly digest?: string;
  readonly blobPath: string;
  readonly compression: LayerCompression;
  readonly blobBytes: number;
  /** dive's layer size: Σ tar header sizes. */
  readonly sizeBytes: number;
  readonly entries: readonly LayerEntry[];
  /** Index into `config.history` of the non-empty history entry that created this layer. */
  readonly historyIndex?: number;
  /** The history entry's created_by, or "(missing)" as dive says when history is short. */
  readonly createdBy: string;
  /** created_by without the "/bin/sh -c " prefix, as dive shows it. */
  readonly command: string;
}

/** What an image archive holds, minus file contents. */
export interface ImageArchive {
  readonly layout: ArchiveLayout;
  readonly repoTags: readonly string[];
  readonly configDigest?: string;
  readonly config: ImageConfigSummary;
  readonly layers: readonly ArchiveLayer[];
  readonly bytesRead: number;
}

interface ScannedBlob {
  readonly scanner: LayerScanner;
  readonly compression: LayerCompression;
  readonly blobBytes: number;
}

/**
 * Reads a `docker save` archive (legacy or OCI layout) in one pass as it streams: layer blobs are parsed
 * for headers as they go by, in whatever order they come, and matched to the manifest at the end.
 */
export async function readImageArchive(
  source: ArchiveSource,
  options: ReadImageArchiveOptions = {},
): Promise<ImageArchive> {
  const { signal } = options;
  signal?.throwIfAborted();
  // Loaded only when asked for: the hasher's worker thread and node:crypto cost a reader that does not hash
  // (`strata analyze`) a few milliseconds of startup.
  const hasher = (options.contentDigest ?? true) ? (await import('./content-hasher')).createContentHasher() : undefined;
  const json = new Map<string, Uint8Array>();
  const oversized = new Map<string, number>();
  const blobs = new Map<string, ScannedBlob>();
  const aliases = new Map<string, string>();
  const open: PacedSink[] = [];
  let bytesRead = 0;

  const parser = new TarHeaderParser({
    onEntry: (header) => {
      const path = cleanImagePath(header.name).slice(1);
      if (header.kind === 'symlink' || header.kind === 'hardlink') {
        aliases.set(path, linkTarget(path, header));
        return undefined;
      }
      if (header.kind !== 'file') return undefined;
      const sink = sinkFor(path, header.size, { json, oversized, blobs, hasher });
      if (sink) open.push(sink);
      return sink;
    },
  });

  // Cancel ends the read wherever it waits: on the source, or on a layer decoder that is closed here.
  const abort = (): void => {
    destroySource(source, signal?.reason);
    for (const sink of open) sink.destroy();
    hasher?.close();
  };
  signal?.addEventListener('abort', abort, { once: true });
  const countBytes = (count: number): void => {
    bytesRead += count;
    options.onProgress?.({ bytesRead, totalBytes: options.totalBytes });
  };
  try {
    // A file nobody hashes is read by its headers alone; anything else streams through whole.
    const skimmed =
      !hasher &&
      source instanceof ArchiveFile &&
      (await skimArchive(source, parser, { signal, onBytes: countBytes, settle: () => settleSoon(open, signal) }));
    if (!skimmed) await streamArchive(source, parser, { signal, open, hasher, onBytes: countBytes });
    parser.end();
    await settle(open, signal);
    if (hasher) await untilAborted(hasher.finish(), signal);
    signal?.throwIfAborted();
  } catch (error) {
    for (const sink of open) sink.destroy();
    destroySource(source, error);
    signal?.throwIfAborted();
    throw error;
  } finally {
    signal?.removeEventListener('abort', abort);
    hasher?.close();
  }

  const manifest = await resolveManifest({ json, oversized, imageRef: options.imageRef });
  const configPath = resolveAlias(aliases, manifest.configPath);
  const configBytes = json.get(configPath);
  const configSize = oversized.get(configPath);
  if (!configBytes && configSize !== undefined) throw tooLarge(manifest.configPath, configSize);
  if (!configBytes) throw new Error(`image config ${manifest.configPath} is missing from the archive`);
  const config = await parseImageConfig(configBytes, manifest.configPath);
  const history = linkHistory(config.history, manifest.layerPaths.length);
  const layers = manifest.layerPaths.map((layerPath, index): ArchiveLayer => {
    const blob = blobs.get(resolveAlias(aliases, layerPath));
    if (!blob) throw new Error(`layer ${layerPath} is missing from the archive (or is not a tar)`);
    const link = history[index];
    const createdBy = link?.createdBy ?? '(missing)';
    return {
      index,
      diffId: config.diffIds[index],
      digest: manifest.layerDigests[index],
      blobPath: layerPath,
      compression: blob.compression,
      blobBytes: blob.blobBytes,
      sizeBytes: blob.scanner.sizeBytes,
      entries: blob.scanner.entries,
      historyIndex: link?.historyIndex,
      createdBy,
      command: createdBy.startsWith('/bin/sh -c ') ? createdBy.slice('/bin/sh -c '.length) : createdBy,
    };
  });
  return {
    layout: manifest.layout,
    repoTags: manifest.repoTags,
    configDigest: manifest.configDigest,
    config,
    layers,
    bytesRead,
  };
}

interface StreamOptions {
  readonly signal: AbortSignal | undefined;
  readonly open: PacedSink[];
  readonly hasher: ContentHasher | undefined;
  readonly onBytes: (count: number) => void;
}

// Every byte of the source through the parser, decompressing a compressed archive on the way.
async function streamArchive(source: ArchiveSource, parser: TarHeaderParser, options: StreamOptions): Promise<void> {
  const { signal, open, hasher } = options;
  const chunks = archiveBytes(source, options.onBytes);
  try {
    // Each wait for the source also ends on cancel, even for a source that cannot be destroyed.
    for (;;) {
      const next = await untilAborted(chunks.next(), signal);
      if (next.done) break;
      parser.push(next.value);
      await settle(open, signal);
      // Hashing runs beside the reading; when it falls behind, reading waits for it.
      const hashing = hasher?.pending();
      if (hashing) await untilAborted(hashing, signal);
    }
  } finally {
    // Not awaited: a source stuck in a read would hold this up; destroySource has already closed it. What
    // closing it may throw is the source's own error, which the read above has already thrown or ended past.
    void chunks.return(undefined).catch(() => undefined);
  }
}

interface SinkContext {
  readonly json: Map<string, Uint8Array>;
  readonly oversized: Map<string, number>;
  readonly blobs: Map<string, ScannedBlob>;
  readonly hasher: ContentHasher | undefined;
}

// Decides from the path what an archive entry probably is; blobs are sniffed by their first bytes.
function sinkFor(path: string, size: number, context: SinkContext): PacedSink | undefined {
  const isJson = path.endsWith('.json') && !path.includes('/');
  if (isJson) return captureJson(path, size, context);
  const isLayerName = /(^|\/)layer\.tar$|\.(tar|tar\.gz|tgz|tar\.zst)$/.test(path);
  if (!isLayerName && !path.startsWith('blobs/')) return undefined;
  return new SniffSink(path, size, (head) => {
    const compression = detectCompression(head);
    const isLayer = compression !== 'none' || looksLikeTarBlock(head) || (isLayerName && size === 0);
    if (isLayer) {
      const scanner = new LayerScanner(context.hasher ? { hasher: context.hasher } : {});
      context.blobs.set(path, { scanner, compression, blobBytes: size });
      return createLayerDecoder(compression, scanner);
    }
    return captureJson(path, size, context);
  });
}

// Holds a JSON file whole, or notes its size when it is too large to hold, so the error can say so.
function captureJson(path: string, size: number, context: SinkContext): PacedSink | undefined {
  if (size > MAX_JSON_BYTES) {
    context.oversized.set(path, size);
    return undefined;
  }
  return new CaptureSink((bytes) => context.json.set(path, bytes));
}

function linkTarget(path: string, header: TarHeader): string {
  // Hardlink names are archive-relative; symlinks are relative to the link's directory.
  if (header.kind === 'hardlink') return cleanImagePath(header.linkname).slice(1);
  const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
  return cleanImagePath(`${dir}/${header.linkname}`).slice(1);
}

function resolveAlias(aliases: ReadonlyMap<string, string>, path: string): string {
  let current = cleanImagePath(path).slice(1);
  for (let hops = 0; hops < 16; hops++) {
    const next = aliases.get(current);
    if (next === undefined) return current;
    current = next;
  }
  return current;
}

function destroySource(source: ArchiveSource, reason: unknown): void {
  const destroy = (source as { destroy?: (error?: Error) => void }).destroy;
  if (typeof destroy === 'function') {
    destroy.call(source, reason instanceof Error ? reason : undefined);
  }
}
