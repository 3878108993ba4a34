/**
 * Walk a build context and write its tar at the same time, as GNU tar does, instead of walking first.
 * The walk (a few system calls per path, and the ignore rules) and the reading of files share this
 * thread; the writes into the pipe run on libuv's pool threads (fd-write-queue.ts), so on two cores
 * the walk and the reads hide behind the writing.
 *
 * The price: bytes go out before the walk has seen every file. A file found unreadable later ends the
 * tar short (no end-of-archive blocks, so no reader takes it for whole) and the call fails with the
 * walk's own error. That is how a pipe behaves anyway (`strata context --tar`, the one user); a build's
 * upload keeps walking first, so that its errors come before the engine has seen a byte.
 */
import type { BuildFiles } from './context-build-files';
import { ContextError } from './context-errors';
import { scanBuildFiles, type ContextScan } from './context-scan';
import { FdWriteQueue } from './fd-write-queue';
import { PIPE_CHUNK, TarChunks } from './tar-chunks';

/**
 * Buffers queued for the pipe. The walk runs in slices of WALK_SLICE_MS between reads; the queue must
 * hold more than the pipe's reader takes in that time (about 1.5 MB a millisecond here), or the
 * writing stalls while the walk runs.
 */
const SLOTS = 16;
/** The walk's turn between two looks at the queue, in milliseconds. */
const WALK_SLICE_MS = 1;

/**
 * Writes the tar of `files` (the same bytes as createContextTar after a scan) to `fd` while walking.
 * Resolves with the scan once the whole tar is written; rejects with the walk's or the write's error.
 */
export async function writeContextTarWhileWalking(
  files: BuildFiles,
  fd: number,
  options: { windowsPermissions?: boolean } = {},
): Promise<ContextScan> {
  const chunks = new TarChunks([], undefined, true, PIPE_CHUNK, true);
  const slotBytes = TarChunks.scratchBytes(PIPE_CHUNK);
  const out = new FdWriteQueue(fd, slotBytes, SLOTS);
  const walkStop = new AbortController();
  let abandoned = false;
  let wakePump: (() => void) | null = null;
  const nudge = (): void => {
    const wake = wakePump;
    wakePump = null;
    wake?.();
  };

  // Reads the files as their entries arrive and queues their tar; waits for entries or for room.
  const pump = async (): Promise<void> => {
    try {
      for (;;) {
        if (abandoned) return;
        const chunk = chunks.next();
        if (chunk === null) {
          if (chunks.done) break;
          await new Promise<void>((resolve) => (wakePump = resolve));
          continue;
        }
        // A chunk is a view of a reused buffer, valid until the next call: queue it whole before that.
        for (let at = 0; at < chunk.length; at += slotBytes) {
          if (!out.ready) await out.room();
          if (abandoned) return;
          out.push(chunk.subarray(at, Math.min(chunk.length, at + slotBytes)));
        }
      }
      await out.flush();
    } catch (err) {
      // A write failed (a closed pipe) or a file shrank: no use walking on.
      walkStop.abort();
      throw err;
    } finally {
      chunks.close();
    }
  };
  const pumped = pump();
  // Observed below in every case; this only keeps a failure while the walk runs from counting as unhandled.
  pumped.catch(() => undefined);

  let scan: ContextScan;
  try {
    scan = await scanBuildFiles(files, {
      top: 0,
      signal: walkStop.signal,
      sliceMs: WALK_SLICE_MS,
      onEntry: (entry) => {
        chunks.append([entry]);
        nudge();
      },
      ...(options.windowsPermissions !== undefined ? { windowsPermissions: options.windowsPermissions } : {}),
    });
  } catch (err) {
    abandoned = true;
    nudge();
    // The walk failed, or stopped because the writing did: the writing's error is the cause then.
    await pumped;
    throw err;
  }
  chunks.seal();
  nudge();
  await pumped;
  if (out.written !== scan.totalBytes)
    throw new ContextError(
      'conflict',
      `the tar written has ${out.written} bytes where the walk counted ${scan.totalBytes}: the context changed while it was sent`,
    );
  return scan;
}
