/**
 * Decodes BuildKit's `moby.buildkit.trace` messages: base64 protobuf `moby.buildkit.v1.StatusResponse`
 * (buildkit api/services/control/control.proto). A small hand decoder of the protobuf wire format, so the
 * build view needs no schema files or protobuf runtime; unknown fields are skipped, as protobuf requires.
 */

export interface BuildkitVertex {
  digest: string;
  inputs: string[];
  name: string;
  cached: boolean;
  /** Milliseconds since the epoch, with sub-millisecond precision. */
  started?: number;
  completed?: number;
  error?: string;
}

export interface BuildkitVertexStatus {
  id: string;
  vertex: string;
  name: string;
  current: number;
  total: number;
  started?: number;
  completed?: number;
}

export interface BuildkitVertexLog {
  vertex: string;
  timestamp?: number;
  /** 1 stdout, 2 stderr. */
  stream: number;
  msg: Uint8Array;
}

export interface BuildkitVertexWarning {
  vertex: string;
  level: number;
  short: string;
  detail: string[];
  url: string;
  /** 1-based Dockerfile lines the warning points at. */
  lines: number[];
}

export interface BuildkitStatus {
  vertexes: BuildkitVertex[];
  statuses: BuildkitVertexStatus[];
  logs: BuildkitVertexLog[];
  warnings: BuildkitVertexWarning[];
}

type FieldValue = number | Uint8Array;

/** Decode one base64 `StatusResponse`. Throws on a truncated or malformed message. */
export function decodeBuildkitStatus(base64: string): BuildkitStatus {
  const status: BuildkitStatus = { vertexes: [], statuses: [], logs: [], warnings: [] };
  for (const [field, value] of fields(Buffer.from(base64, 'base64'))) {
    if (!(value instanceof Uint8Array)) continue;
    if (field === 1) status.vertexes.push(decodeVertex(value));
    else if (field === 2) status.statuses.push(decodeVertexStatus(value));
    else if (field === 3) status.logs.push(decodeVertexLog(value));
    else if (field === 4) status.warnings.push(decodeVertexWarning(value));
  }
  return status;
}

function decodeVertex(buf: Uint8Array): BuildkitVertex {
  const v: BuildkitVertex = { digest: '', inputs: [], name: '', cached: false };
  for (const [field, value] of fields(buf)) {
    if (field === 1) v.digest = text(value);
    else if (field === 2) v.inputs.push(text(value));
    else if (field === 3) v.name = text(value);
    else if (field === 4) v.cached = value === 1;
    else if (field === 5) v.started = timestamp(value);
    else if (field === 6) v.completed = timestamp(value);
    else if (field === 7) v.error = text(value);
  }
  return v;
}

function decodeVertexStatus(buf: Uint8Array): BuildkitVertexStatus {
  const s: BuildkitVertexStatus = { id: '', vertex: '', name: '', current: 0, total: 0 };
  for (const [field, value] of fields(buf)) {
    if (field === 1) s.id = text(value);
    else if (field === 2) s.vertex = text(value);
    else if (field === 3) s.name = text(value);
    else if (field === 4) s.current = int(value);
    else if (field === 5) s.total = int(value);
    else if (field === 7) s.started = timestamp(value);
    else if (field === 8) s.completed = timestamp(value);
  }
  return s;
}

function decodeVertexLog(buf: Uint8Array): BuildkitVertexLog {
  const log: BuildkitVertexLog = { vertex: '', stream: 0, msg: new Uint8Array() };
  for (const [field, value] of fields(buf)) {
    if (field === 1) log.vertex = text(value);
    else if (field === 2) log.timestamp = timestamp(value);
    else if (field === 3) log.stream = int(value);
    else if (field === 4) log.msg = bytes(value);
  }
  return log;
}

function decodeVertexWarning(buf: Uint8Array): BuildkitVertexWarning {
  const w: BuildkitVertexWarning = { vertex: '', level: 0, short: '', detail: [], url: '', lines: [] };
  for (const [field, value] of fields(buf)) {
    if (field === 1) w.vertex = text(value);
    else if (field === 2) w.level = int(value);
    else if (field === 3) w.short = text(value);
    else if (field === 4) w.detail.push(text(value));
    else if (field === 5) w.url = text(value);
    else if (field === 7) {
      // Range { Position start = 1 { int32 line = 1 } }
      const start = [...fields(bytes(value))].find(([f]) => f === 1)?.[1];
      const line = start instanceof Uint8Array ? [...fields(start)].find(([f]) => f === 1)?.[1] : undefined;
      if (typeof line === 'number') w.lines.push(line);
    }
  }
  return w;
}

/** google.protobuf.Timestamp { int64 seconds = 1; int32 nanos = 2 } as epoch milliseconds. */
function timestamp(value: FieldValue): number {
  let seconds = 0;
  let nanos = 0;
  for (const [field, v] of fields(bytes(value))) {
    if (field === 1) seconds = int(v);
    else if (field === 2) nanos = int(v);
  }
  return seconds * 1000 + nanos / 1e6;
}

function text(value: FieldValue): string {
  return Buffer.from(bytes(value)).toString('utf8');
}

function bytes(value: FieldValue): Uint8Array {
  if (!(value instanceof Uint8Array)) throw new Error('protobuf: expected a length-delimited field');
  return value;
}

function int(value: FieldValue): number {
  if (typeof value !== 'number') throw new Error('protobuf: expected a varint field');
  return value;
}

/** Walks a message's fields: [field number, varint value or length-delimited bytes]. */
function* fields(buf: Uint8Array): Generator<[number, FieldValue]> {
  let pos = 0;
  const varint = (): number => {
    // Multiplication, not bit shifts: int64 values pass 32 bits (timestamps fit a double exactly).
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (pos >= buf.length) throw new Error('protobuf: truncated varint');
      const b = buf[pos++] ?? 0;
      result += (b & 0x7f) * scale;
      if (b < 0x80) return result;
      scale *= 128;
    }
    throw new Error('protobuf: varint too long');
  };
  while (pos < buf.length) {
    const key = varint();
    const field = Math.floor(key / 8);
    const wire = key % 8;
    if (wire === 0) yield [field, varint()];
    else if (wire === 2) {
      const length = varint();
      if (pos + length > buf.length) throw new Error('protobuf: truncated field');
      yield [field, buf.subarray(pos, pos + length)];
      pos += length;
    } else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else throw new Error(`protobuf: unsupported wire type ${wire}`);
    if (pos > buf.length) throw new Error('protobuf: truncated field');
  }
}
