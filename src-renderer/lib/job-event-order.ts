import type { JobEvent } from '../../src-main/ipc/contract/jobs';

/**
 * Merges a job's replayed events with those pushed live into one in-order stream without repeats: live events
 * that arrive before the replay answers are held, then everything passes through one seq check.
 */
export class JobEventOrder {
  private lastSeq: number;
  private caughtUp = false;
  private readonly early: JobEvent[] = [];

  constructor(
    private readonly handle: (event: JobEvent) => void,
    afterSeq = -1,
  ) {
    this.lastSeq = afterSeq;
  }

  /** An event pushed live. */
  live(event: JobEvent): void {
    if (this.caughtUp) this.deliver(event);
    else this.early.push(event);
  }

  /** The replay answered (or failed: then `events` is empty): deliver it, then what came live meanwhile. */
  replayed(events: readonly JobEvent[]): void {
    this.caughtUp = true;
    // One merge by seq: past the storage cap the replay skips events that only came live, and replaying
    // first would put its `done` ahead of them and drop them.
    [...events, ...this.early].sort((a, b) => a.seq - b.seq).forEach((event) => this.deliver(event));
    this.early.length = 0;
  }

  private deliver(event: JobEvent): void {
    if (event.seq <= this.lastSeq) return;
    this.lastSeq = event.seq;
    this.handle(event);
  }
}
