/**
 * fsutil's wire messages (proto/wire.proto, proto/stat.proto), encoded and decoded by hand: two small
 * messages, so no code generator and no .proto file to find at run time in the packaged app. Paths and link
 * targets are carried as bytes, since file names need not be UTF-8 and the Go side keeps them as bytes.
 * tests/unit/build/session checks this codec against protobufjs reading the .proto files.
 */

export const PacketType = { STAT: 0, REQ: 1, DATA: 2, FIN: 3, ERR: 4 } as const;
export type PacketTypeValue = (typeof PacketType)[keyof typeof PacketType];

/** fsutil types.Stat. `mode` is Go's os.FileMode, not the Unix st_mode. */
export interface SyncStat {
  path: Buffer;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  /** Nanoseconds since the epoch. */
  modTime: bigint;
  linkname: Buffer;
  devmajor: number;
  devminor: number;
  xattrs?: Map<string, Buffer>;
}

export interface Packet {
  type: PacketTypeValue;
  stat?: SyncStat;
  id: number;
  data: Buffer;
}

const EMPTY: Buffer = Buffer.alloc(0);

class Writer {
  private parts: Buffer[] = [];
  private scratch = Buffer.allocUnsafe(10);

  /** A varint of a non-negative number or an int64 given as bigint (negatives as 10-byte two's complement). */
  varint(value: number | bigint): void {
    let v = typeof value === 'bigint' ? BigInt.asUintN(64, value) : value;
    let n = 0;
    if (typeof v === 'number') {
      if (v < 0) {
        this.varint(BigInt(v));
        return;
      }
      while (v >= 0x80) {
        this.scratch[n++] = (v % 0x80) | 0x80;
        v = Math.floor(v / 0x80);
      }
      this.scratch[n++] = v;
    } else {
      while (v >= 0x80n) {
        this.scratch[n++] = Number(v & 0x7fn) | 0x80;
        v >>= 7n;
      }
      this.scratch[n++] = Number(v);
    }
    this.parts.push(Buffer.from(this.scratch.subarray(0, n)));
  }

  tag(field: number, wireType: 0 | 2): void {
    this.varint(field * 8 + wireType);
  }

  bytes(field: number, value: Buffer): void {
    this.tag(field, 2);
    this.varint(value.length);
    this.parts.push(value);
  }

  /** proto3: a zero scalar is not written. */
  uint(field: number, value: number | bigint): void {
    if (value === 0 || value === 0n) return;
    this.tag(field, 0);
    this.varint(value);
  }

  finish(): Buffer {
    return this.parts.length === 1 ? (this.parts[0] as Buffer) : Buffer.concat(this.parts);
  }
}

export function encodeStat(stat: SyncStat): Buffer {
  const w = new Writer();
  if (stat.path.length) w.bytes(1, stat.path);
  w.uint(2, stat.mode);
  w.uint(3, stat.uid);
  w.uint(4, stat.gid);
  w.uint(5, stat.size);
  w.uint(6, stat.modTime);
  if (stat.linkname.length) w.bytes(7, stat.linkname);
  w.uint(8, stat.devmajor);
  w.uint(9, stat.devminor);
  // Go writes map entries in key order; the order carries no meaning, sorted for stable bytes.
  for (const [key, value] of [...(stat.xattrs ?? new Map<string, Buffer>())].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const entry = new Writer();
    entry.bytes(1, Buffer.from(key, 'utf8'));
    entry.bytes(2, value);
    w.bytes(10, entry.finish());
  }
  return w.finish();
}

export function encodePacket(packet: Packet): Buffer {
  const w = new Writer();
  w.uint(1, packet.type);
  if (packet.stat) w.bytes(2, encodeStat(packet.stat));
  w.uint(3, packet.id);
  if (packet.data.length) w.bytes(4, packet.data);
  return w.finish();
}

class Reader {
  pos = 0;
  constructor(private readonly buf: Buffer) {}

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (this.pos >= this.buf.length) throw new Error('truncated varint');
      const b = this.buf[this.pos++] as number;
      result |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return BigInt.asUintN(64, result);
      shift += 7n;
      if (shift > 63n) throw new Error('varint too long');
    }
  }

  bytes(): Buffer {
    const length = Number(this.varint());
    if (this.pos + length > this.buf.length) throw new Error('truncated field');
    const out = this.buf.subarray(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }

  skip(wireType: number): void {
    if (wireType === 0) this.varint();
    else if (wireType === 2) this.bytes();
    else if (wireType === 1) this.pos += 8;
    else if (wireType === 5) this.pos += 4;
    else throw new Error(`unsupported wire type ${wireType}`);
  }
}

const int64 = (v: bigint): bigint => BigInt.asIntN(64, v);

export function decodeStat(buf: Buffer): SyncStat {
  const r = new Reader(buf);
  const stat: SyncStat = {
    path: EMPTY,
    mode: 0,
    uid: 0,
    gid: 0,
    size: 0,
    modTime: 0n,
    linkname: EMPTY,
    devmajor: 0,
    devminor: 0,
  };
  while (!r.done) {
    const key = Number(r.varint());
    const field = key >>> 3;
    const wireType = key & 7;
    if (field === 1 && wireType === 2) stat.path = r.bytes();
    else if (field === 2 && wireType === 0) stat.mode = Number(BigInt.asUintN(32, r.varint()));
    else if (field === 3 && wireType === 0) stat.uid = Number(BigInt.asUintN(32, r.varint()));
    else if (field === 4 && wireType === 0) stat.gid = Number(BigInt.asUintN(32, r.varint()));
    else if (field === 5 && wireType === 0) stat.size = Number(int64(r.varint()));
    else if (field === 6 && wireType === 0) stat.modTime = int64(r.varint());
    else if (field === 7 && wireType === 2) stat.linkname = r.bytes();
    else if (field === 8 && wireType === 0) stat.devmajor = Number(int64(r.varint()));
    else if (field === 9 && wireType === 0) stat.devminor = Number(int64(r.varint()));
    else if (field === 10 && wireType === 2) {
      const entry = new Reader(r.bytes());
      let k = '';
      let v: Buffer = EMPTY;
      while (!entry.done) {
        const ek = Number(entry.varint());
        if (ek === (1 << 3) + 2) k = entry.bytes().toString('utf8');
        else if (ek === (2 << 3) + 2) v = entry.bytes();
        else entry.skip(ek & 7);
      }
      (stat.xattrs ??= new Map()).set(k, v);
    } else r.skip(wireType);
  }
  return stat;
}

export function decodePacket(buf: Buffer): Packet {
  const r = new Reader(buf);
  const packet: Packet = { type: PacketType.STAT, id: 0, data: EMPTY };
  while (!r.done) {
    const key = Number(r.varint());
    const field = key >>> 3;
    const wireType = key & 7;
    if (field === 1 && wireType === 0) packet.type = Number(r.varint()) as PacketTypeValue;
    else if (field === 2 && wireType === 2) packet.stat = decodeStat(r.bytes());
    else if (field === 3 && wireType === 0) packet.id = Number(BigInt.asUintN(32, r.varint()));
    else if (field === 4 && wireType === 2) packet.data = r.bytes();
    else r.skip(wireType);
  }
  return packet;
}

/** grpc.health.v1.HealthCheckResponse{status: SERVING}: field 1, varint 1. */
export const HEALTH_SERVING = Buffer.from([0x08, 0x01]);
