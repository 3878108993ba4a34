import path from 'node:path';
// protobufjs comes with @grpc/grpc-js (a production dependency); a devDependency entry would mark it a dev tool.
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import {
  decodePacket,
  encodePacket,
  HEALTH_SERVING,
  type Packet,
  PacketType,
} from '../../../../src-main/core/build/session/fsutil-wire';

const protoDir = path.resolve('src-main/core/build/session/proto');

async function types() {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => path.join(protoDir, path.basename(target));
  await root.load(['wire.proto', 'health.proto'], { keepCase: true });
  return {
    Packet: root.lookupType('fsutil.types.Packet'),
    Health: root.lookupType('grpc.health.v1.HealthCheckResponse'),
  };
}

const stat = {
  path: Buffer.concat([Buffer.from('dir/caf'), Buffer.from([0xe9])]),
  mode: 2 ** 31 + 0o755,
  uid: 1000,
  gid: 0,
  size: 2 ** 40 + 3,
  modTime: 1_700_000_000_123_456_789n,
  linkname: Buffer.from('../target'),
  devmajor: 8,
  devminor: 1,
  xattrs: new Map([['user.note', Buffer.from([0, 1, 2])]]),
};

describe('fsutil wire messages', () => {
  it('encode as protobufjs reads the .proto files', async () => {
    const { Packet } = await types();
    const decoded = Packet.toObject(
      Packet.decode(encodePacket({ type: PacketType.STAT, stat, id: 0, data: Buffer.alloc(0) })),
      {
        longs: String,
        bytes: Buffer,
      },
    ) as { stat: Record<string, unknown> };
    expect(decoded.stat).toMatchObject({
      mode: stat.mode,
      uid: 1000,
      size: String(stat.size),
      modTime: String(stat.modTime),
      devmajor: '8',
      devminor: '1',
    });
    expect(decoded.stat.linkname).toBe('../target');
    expect((decoded.stat.xattrs as Record<string, Buffer>)['user.note']).toEqual(Buffer.from([0, 1, 2]));
  });

  it('decode what protobufjs writes, and round-trip every packet type', async () => {
    const { Packet } = await types();
    const req = Packet.encode(Packet.create({ type: PacketType.REQ, ID: 4_000_000_000 })).finish();
    expect(decodePacket(Buffer.from(req))).toMatchObject({ type: PacketType.REQ, id: 4_000_000_000 });
    const err = Packet.encode(Packet.create({ type: PacketType.ERR, data: Buffer.from('boom') })).finish();
    expect(decodePacket(Buffer.from(err)).data.toString()).toBe('boom');
    const packets: Packet[] = [
      { type: PacketType.STAT, stat, id: 0, data: Buffer.alloc(0) },
      { type: PacketType.STAT, id: 0, data: Buffer.alloc(0) },
      { type: PacketType.DATA, id: 7, data: Buffer.from('content') },
      { type: PacketType.FIN, id: 0, data: Buffer.alloc(0) },
    ];
    for (const p of packets) expect(decodePacket(encodePacket(p))).toEqual(p);
    // The end of the STAT stream is an empty message: no stat at all.
    expect(encodePacket(packets[1] as Packet).length).toBe(0);
  });

  it('keeps a negative modification time (before 1970) as int64', async () => {
    const { Packet } = await types();
    const old = { ...stat, modTime: -1_000_000_000n, xattrs: new Map<string, Buffer>() };
    const bytes = encodePacket({ type: PacketType.STAT, stat: old, id: 0, data: Buffer.alloc(0) });
    expect(decodePacket(bytes).stat?.modTime).toBe(-1_000_000_000n);
    const viaLib = Packet.toObject(Packet.decode(bytes), { longs: String }) as { stat: { modTime: string } };
    expect(viaLib.stat.modTime).toBe('-1000000000');
  });

  it('answers the health check with SERVING', async () => {
    const { Health } = await types();
    expect(Health.toObject(Health.decode(HEALTH_SERVING))).toEqual({ status: 1 });
  });
});
