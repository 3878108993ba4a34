import type { PacedSink } from './layer-blob-decoder';

// The sinks the archive reader hands entry bodies to, and how it waits for them.

/** Waits for every open sink that asks the reader to wait, and forgets those that are done. */
export async function settle(open: PacedSink[], signal: AbortSignal | undefined): Promise<void> {
  for (let i = 0; i < open.length;) {
    const sink = open[i];
    if (!sink) break;
    const pending = sink.pending();
    if (pending) await untilAborted(pending, signal);
    if (sink.ended && !sink.pending()) open.splice(i, 1);
    else i++;
  }
}

/**
 * `settle` without a wait when no sink asks for one (plain layers never do): a promise only when there is
 * something to wait for. The skimming reader calls it after every small read.
 */
export function settleSoon(open: PacedSink[], signal: AbortSignal | undefined): Promise<void> | undefined {
  for (let i = 0; i < open.length;) {
    const sink = open[i];
    if (!sink) break;
    // A sink's pending() may hand out its completion only once: this one is the one to wait for.
    const pending = sink.pending();
    if (pending) return untilAborted(pending, signal).then(() => settle(open, signal));
    if (sink.ended && !sink.pending()) open.splice(i, 1);
    else i++;
  }
  return undefined;
}

// A wait that a cancel ends at once, whatever it waits for.
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Buffers a small entry (a JSON file) whole. */
export class CaptureSink implements PacedSink {
  ended = false;
  private readonly chunks: Buffer[] = [];
  constructor(private readonly done: (bytes: Uint8Array) => void) {}
  write(chunk: Uint8Array): void {
    this.chunks.push(Buffer.from(chunk));
  }
  end(): void {
    this.ended = true;
    this.done(Buffer.concat(this.chunks));
  }
  pending(): undefined {
    return undefined;
  }
  destroy(): void {}
}

/** Holds the first 512 bytes of a blob, then hands them and the rest to whichever sink they call for. */
export class SniffSink implements PacedSink {
  ended = false;
  private head: Buffer[] = [];
  private headBytes = 0;
  private target: PacedSink | undefined;
  private decided = false;
  constructor(
    private readonly path: string,
    private readonly size: number,
    private readonly choose: (head: Uint8Array) => PacedSink | undefined,
  ) {}

  // Called for every piece of a blob (every header of a skimmed layer): errors are labelled without a
  // closure per call.
  write(chunk: Uint8Array): void {
    try {
      if (this.decided) {
        this.target?.write(chunk);
        return;
      }
      this.head.push(Buffer.from(chunk));
      this.headBytes += chunk.length;
      if (this.headBytes >= Math.min(512, this.size)) this.decide();
    } catch (error) {
      throw this.label(error);
    }
  }

  end(): void {
    this.ended = true;
    this.labelled(() => {
      if (!this.decided) this.decide();
      this.target?.end();
    });
  }

  // Nothing can be skipped before the first bytes decide what the blob is; after that, what the target
  // skips, or everything when no target wants the blob.
  skippable(): number {
    if (!this.decided) return 0;
    if (!this.target) return Number.POSITIVE_INFINITY;
    return this.target.skippable?.() ?? 0;
  }

  skip(count: number): void {
    try {
      this.target?.skip?.(count);
    } catch (error) {
      throw this.label(error);
    }
  }

  pending(): Promise<void> | undefined {
    return this.target?.pending()?.catch((error: unknown) => {
      throw this.label(error);
    });
  }

  destroy(): void {
    this.target?.destroy();
  }

  // Errors name the blob, so a corrupt layer is reported as "blobs/sha256/…: incorrect data check".
  private labelled(work: () => void): void {
    try {
      work();
    } catch (error) {
      throw this.label(error);
    }
  }

  private label(error: unknown): Error {
    const message = error instanceof Error ? error.message : String(error);
    return new Error(`${this.path}: ${message}`, { cause: error });
  }

  private decide(): void {
    this.decided = true;
    const head = Buffer.concat(this.head);
    this.head = [];
    this.target = this.choose(head.subarray(0, 512));
    if (head.length > 0) this.target?.write(head);
  }
}
