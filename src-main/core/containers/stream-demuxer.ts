/** Which of the container's output streams a chunk came from. */
export type OutputStream = 'stdin' | 'stdout' | 'stderr';

export interface OutputFrame {
  stream: OutputStream;
  data: Buffer;
}

const streamOf: Record<number, OutputStream> = { 0: 'stdin', 1: 'stdout', 2: 'stderr' };
const HEADER = 8;

/**
 * Splits the engine's multiplexed stream (used when a container has no TTY): each frame is an 8-byte header —
 * stream type, three zero bytes, big-endian payload length — then the payload. Frames may arrive split across
 * or packed into chunks, so bytes are kept until a whole frame is in hand.
 */
export class StreamDemuxer {
  private pending: Buffer = Buffer.alloc(0);

  constructor(private readonly onFrame: (frame: OutputFrame) => void) {}

  /** Feed one chunk as it arrived from the socket. */
  push(chunk: Buffer): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    while (this.pending.length >= HEADER) {
      const type = this.pending[0]!;
      const stream = streamOf[type];
      if (!stream || this.pending[1] !== 0 || this.pending[2] !== 0 || this.pending[3] !== 0) {
        // Not a frame header: the stream is raw after all (a TTY); pass everything through as stdout.
        this.onFrame({ stream: 'stdout', data: this.pending });
        this.pending = Buffer.alloc(0);
        return;
      }
      const size = this.pending.readUInt32BE(4);
      if (this.pending.length < HEADER + size) return;
      const data = this.pending.subarray(HEADER, HEADER + size);
      this.pending = this.pending.subarray(HEADER + size);
      if (size > 0) this.onFrame({ stream, data });
    }
  }

  /** Bytes of an incomplete frame still waiting for the rest. */
  get buffered(): number {
    return this.pending.length;
  }
}
