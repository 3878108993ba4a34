import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

/** Send raw bytes as an HTTP request and resolve with the status code of the answer (0: closed, no answer). */
export function rawHttp(port: number, request: string | Buffer): Promise<number> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      // The status line is all we need; do not wait for a body or for the server to close.
      if (received.includes('\r\n')) socket.destroy();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(Number(/^HTTP\/1\.[01] (\d{3})/.exec(received)?.[1] ?? 0)));
    socket.write(request);
  });
}

/** One frame as a client writes it; every field can be set wrong on purpose. */
export interface FrameSpec {
  opcode: number;
  payload?: Buffer;
  fin?: boolean;
  rsv?: number;
  masked?: boolean;
  /** Length to declare instead of the payload's own. */
  declaredLength?: bigint;
}

export function frame(spec: FrameSpec): Buffer {
  const payload = spec.payload ?? Buffer.alloc(0);
  const length = spec.declaredLength ?? BigInt(payload.length);
  const masked = spec.masked ?? true;
  const head = [((spec.fin ?? true) ? 0x80 : 0) | ((spec.rsv ?? 0) << 4) | spec.opcode];
  const maskBit = masked ? 0x80 : 0;
  let extended = Buffer.alloc(0);
  if (length < 126n) head.push(maskBit | Number(length));
  else if (length < 65536n) {
    head.push(maskBit | 126);
    extended = Buffer.alloc(2);
    extended.writeUInt16BE(Number(length));
  } else {
    head.push(maskBit | 127);
    extended = Buffer.alloc(8);
    extended.writeBigUInt64BE(length);
  }
  if (!masked) return Buffer.concat([Buffer.from(head), extended, payload]);
  const key = randomBytes(4);
  const body = Buffer.from(payload);
  for (let i = 0; i < body.length; i++) body[i] = (body[i] as number) ^ (key[i % 4] as number);
  return Buffer.concat([Buffer.from(head), extended, key, body]);
}

export const text = (s: string | Buffer, more: Partial<FrameSpec> = {}) =>
  frame({ opcode: 1, payload: Buffer.from(s), ...more });

/** A frame the server sent (servers never mask). */
export interface ServerFrame {
  opcode: number;
  payload: Buffer;
}

function parseFrames(buffer: Buffer): { frames: ServerFrame[]; rest: Buffer } {
  const frames: ServerFrame[] = [];
  let at = 0;
  for (;;) {
    if (buffer.length - at < 2) break;
    const opcode = (buffer[at] as number) & 0x0f;
    let length = (buffer[at + 1] as number) & 0x7f;
    let start = at + 2;
    if (length === 126) {
      if (buffer.length - at < 4) break;
      length = buffer.readUInt16BE(at + 2);
      start = at + 4;
    } else if (length === 127) {
      if (buffer.length - at < 10) break;
      length = Number(buffer.readBigUInt64BE(at + 2));
      start = at + 10;
    }
    if (buffer.length < start + length) break;
    frames.push({ opcode, payload: buffer.subarray(start, start + length) });
    at = start + length;
  }
  return { frames, rest: buffer.subarray(at) };
}

/** A WebSocket spoken by hand over a net.Socket, after a valid handshake (token, Host and Origin). */
export class RawWebSocket {
  private buffer: Buffer = Buffer.alloc(0);
  readonly frames: ServerFrame[] = [];
  private waiters: (() => void)[] = [];
  closed = false;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk) => {
      const parsed = parseFrames(Buffer.concat([this.buffer, chunk]));
      this.buffer = parsed.rest;
      this.frames.push(...parsed.frames);
      this.wake();
    });
    // The server may reset us mid-write after it refused a frame: that is an expected outcome here.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  static open(port: number, token: string): Promise<RawWebSocket> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      let head = Buffer.alloc(0);
      const onData = (chunk: Buffer) => {
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) return;
        socket.off('data', onData);
        const status = head.subarray(0, end).toString('latin1');
        if (!status.startsWith('HTTP/1.1 101')) return reject(new Error(`handshake refused: ${status}`));
        const ws = new RawWebSocket(socket);
        const rest = head.subarray(end + 4);
        if (rest.length) socket.emit('data', rest);
        resolve(ws);
      };
      socket.on('data', onData);
      socket.once('error', reject);
      socket.write(
        [
          `GET /ipc?token=${encodeURIComponent(token)} HTTP/1.1`,
          `Host: 127.0.0.1:${port}`,
          `Origin: http://127.0.0.1:${port}`,
          'Upgrade: websocket',
          'Connection: Upgrade',
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
          'Sec-WebSocket-Version: 13',
          '',
          '',
        ].join('\r\n'),
      );
    });
  }

  send(bytes: Buffer): void {
    if (!this.socket.destroyed) this.socket.write(bytes);
  }

  /** Wait until a frame matches or the connection ends; resolves with the frame, or undefined if it closed. */
  async next(matches: (f: ServerFrame) => boolean): Promise<ServerFrame | undefined> {
    for (;;) {
      const found = this.frames.find(matches);
      if (found) return found;
      if (this.closed) return undefined;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** The code of the server's close frame, once the connection is over (undefined: no close frame). */
  async closeCode(): Promise<number | undefined> {
    const close = await this.next((f) => f.opcode === 8);
    return close && close.payload.length >= 2 ? close.payload.readUInt16BE(0) : undefined;
  }

  /** The next text message parsed as JSON. */
  async json(): Promise<unknown> {
    const reply = await this.next((f) => f.opcode === 1);
    return reply ? JSON.parse(reply.payload.toString('utf8')) : undefined;
  }

  /** Half-close: we send nothing more, the server may still answer and then closes its side. */
  end(): void {
    this.socket.end();
  }

  destroy(): void {
    this.socket.destroy();
  }
}
