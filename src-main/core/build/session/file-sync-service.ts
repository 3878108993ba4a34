/**
 * BuildKit's FileSync.DiffCopy on the client's side: fsutil's sender (send.go). The engine opens one call
 * per directory it wants ("context", "dockerfile"), naming it in the `dir-name` header with optional
 * `include-patterns`, `exclude-patterns`, `followpaths` and `override-excludes`. We send a STAT packet per
 * path in walk order and an empty STAT at the end; the engine compares them with what it kept from the
 * last build of the same shared key and sends REQ for each file whose metadata changed; we answer with
 * DATA packets (an empty one ends the file); it ends with FIN, which we echo.
 */
import { open } from 'node:fs/promises';
import type * as grpc from '@grpc/grpc-js';
import { PatternMatcher } from '../../context/dockerignore-matcher';
import { encodePacket, type Packet, PacketType } from './fsutil-wire';
import { followPaths } from './follow-paths';
import { canRequestData, type SyncEntry, syncWalk } from './sync-walk';

/** A directory the engine may ask for by name. */
export interface SyncDir {
  /** Absolute, symlinks resolved. */
  root: string;
  /** The client's own ignore rules; they win over the engine's `exclude-patterns` as docker/cli's do. */
  exclude?: PatternMatcher;
  /** Send uid and gid as 0, as docker/cli does for the context. */
  resetOwner?: boolean;
}

/** What went over the wire, for progress and for tests: bytes in proportion to the change. */
export class TransferCounter {
  /** STAT packets sent (paths described), end markers not counted. */
  stats = 0;
  /** Files the engine asked for (REQ). */
  requestedFiles = 0;
  /** File content bytes sent in DATA packets. */
  dataBytes = 0;
  /** Every packet's encoded size, as fsutil's progress counts it. */
  wireBytes = 0;
  /** Paths asked for, in order: for tests and the log. */
  readonly requestedPaths: string[] = [];
}

export const FILE_SYNC_METHOD = '/moby.filesync.v1.FileSync/DiffCopy';

const CHUNK = 32 * 1024;
const WORKERS = 4;

/**
 * grpc metadata as buildkit's decodeOpts reads it: values may be URL-encoded, flagged by `<key>-encoded`.
 * Go sends a list as repeated header fields, which Node's HTTP/2 joins with ", ": split them again.
 */
export function metadataValues(metadata: grpc.Metadata, key: string): string[] {
  const values = metadata
    .get(key)
    .flatMap((v) => (typeof v === 'string' ? v : v.toString('utf8')).split(', '))
    .filter((v) => v !== '');
  const encoded = metadata.get(`${key}-encoded`)[0];
  if (encoded !== undefined && /^(1|t|true)$/i.test(String(encoded))) {
    return values.map((v) => {
      try {
        return decodeURIComponent(v.replace(/\+/g, ' '));
      } catch {
        return v;
      }
    });
  }
  return values;
}

type Call = grpc.ServerDuplexStream<Packet, Packet>;

function write(call: Call, packet: Packet, counter: TransferCounter): Promise<void> {
  counter.wireBytes += encodePacket(packet).length;
  if (call.write(packet)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onDrain = () => {
      call.off('error', onError);
      call.off('close', onClose);
      resolve();
    };
    const onError = (err: Error) => {
      call.off('drain', onDrain);
      reject(err);
    };
    const onClose = () => {
      call.off('drain', onDrain);
      reject(new Error('the engine closed the file transfer'));
    };
    call.once('drain', onDrain);
    call.once('error', onError);
    call.once('close', onClose);
  });
}

/** Serve one DiffCopy call from `dirs`. Resolves when the engine has what it wanted. */
export async function serveDiffCopy(
  call: Call,
  dirs: ReadonlyMap<string, SyncDir>,
  counter: TransferCounter,
  signal?: AbortSignal,
): Promise<void> {
  const dirName = metadataValues(call.metadata, 'dir-name')[0] ?? '';
  const dir = dirs.get(dirName);
  if (!dir) throw Object.assign(new Error(`no access allowed to dir "${dirName}"`), { code: 5 });

  const includes = metadataValues(call.metadata, 'include-patterns');
  const follow = metadataValues(call.metadata, 'followpaths');
  const requestedExcludes = metadataValues(call.metadata, 'exclude-patterns');
  const override = metadataValues(call.metadata, 'override-excludes')[0] === 'true';
  const includePatterns = [...includes, ...(follow.length ? followPaths(dir.root, follow) : [])];
  const include = includePatterns.length ? PatternMatcher.create([...new Set(includePatterns)]) : undefined;
  const exclude =
    dir.exclude && !override
      ? dir.exclude
      : requestedExcludes.length
        ? PatternMatcher.create(requestedExcludes)
        : undefined;

  const files = new Map<number, SyncEntry>();
  const queue: SyncEntry[] = [];
  let waiters: (() => void)[] = [];
  let finished = false;
  let failure: Error | null = null;
  const notify = () => {
    const woken = waiters;
    waiters = [];
    for (const w of woken) w();
  };

  const done = new Promise<void>((resolve, reject) => {
    call.on('data', (packet: Packet) => {
      if (packet.type === PacketType.REQ) {
        const entry = files.get(packet.id);
        if (!entry) {
          failure = new Error(`the engine asked for file ${packet.id}, which was not offered`);
          notify();
          return;
        }
        files.delete(packet.id);
        counter.requestedFiles++;
        counter.requestedPaths.push(entry.stat.path.toString('utf8'));
        queue.push(entry);
        notify();
      } else if (packet.type === PacketType.FIN) {
        finished = true;
        notify();
        write(call, { type: PacketType.FIN, id: 0, data: Buffer.alloc(0) }, counter).then(() => {
          call.end();
          resolve();
        }, reject);
      } else if (packet.type === PacketType.ERR) {
        failure = new Error(`error from the engine: ${packet.data.toString('utf8')}`);
        notify();
        reject(failure);
      }
    });
    call.on('error', (err) => {
      failure ??= err;
      notify();
      reject(err);
    });
    call.on('cancelled', () => {
      failure ??= new Error('the engine cancelled the file transfer');
      notify();
      reject(failure);
    });
  });
  // Rejections are read below; keep Node from reporting them as unhandled meanwhile.
  done.catch(() => undefined);

  const sendFile = async (entry: SyncEntry, id: number): Promise<void> => {
    const handle = await open(entry.source as Buffer, 'r').catch(() => null);
    // fsutil sends an empty file when it cannot open one (it vanished since the walk).
    if (handle) {
      try {
        for (;;) {
          const buf = Buffer.allocUnsafe(CHUNK);
          const { bytesRead } = await handle.read(buf, 0, CHUNK, null);
          if (bytesRead === 0) break;
          if (signal?.aborted || failure) throw failure ?? new Error('cancelled');
          counter.dataBytes += bytesRead;
          await write(call, { type: PacketType.DATA, id, data: buf.subarray(0, bytesRead) }, counter);
        }
      } finally {
        await handle.close();
      }
    }
    await write(call, { type: PacketType.DATA, id, data: Buffer.alloc(0) }, counter);
  };

  const ids = new Map<SyncEntry, number>();
  const worker = async (): Promise<void> => {
    for (;;) {
      if (failure) throw failure;
      if (signal?.aborted) throw new Error('cancelled');
      const entry = queue.shift();
      if (entry) {
        await sendFile(entry, ids.get(entry) as number);
        continue;
      }
      if (finished) return;
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  };

  try {
    const entries = await syncWalk({
      root: dir.root,
      ...(include ? { include } : {}),
      ...(exclude ? { exclude } : {}),
      ...(dir.resetOwner ? { resetOwner: true } : {}),
      ...(signal ? { signal } : {}),
    });
    let id = 0;
    for (const entry of entries) {
      if (canRequestData(entry.stat.mode) && entry.source) {
        files.set(id, entry);
        ids.set(entry, id);
      }
      id++;
      counter.stats++;
      await write(call, { type: PacketType.STAT, stat: entry.stat, id: 0, data: Buffer.alloc(0) }, counter);
    }
    await write(call, { type: PacketType.STAT, id: 0, data: Buffer.alloc(0) }, counter);
  } catch (err) {
    const message = (err as Error).message;
    await write(call, { type: PacketType.ERR, id: 0, data: Buffer.from(message) }, counter).catch(() => undefined);
    throw err;
  }
  await Promise.all(Array.from({ length: WORKERS }, worker));
  await done;
}
