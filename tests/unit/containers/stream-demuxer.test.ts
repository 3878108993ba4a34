import { describe, expect, it } from 'vitest';
import { StreamDemuxer, type OutputFrame } from '../../../src-main/core/containers/stream-demuxer';

function frame(type: number, text: string): Buffer {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = type;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

function collect(): { frames: OutputFrame[]; text: () => string[]; demuxer: StreamDemuxer } {
  const frames: OutputFrame[] = [];
  return {
    frames,
    text: () => frames.map((f) => `${f.stream}:${f.data.toString()}`),
    demuxer: new StreamDemuxer((f) => frames.push(f)),
  };
}

describe('StreamDemuxer', () => {
  it('splits frames packed into one chunk, keeping ANSI escapes', () => {
    const { demuxer, text } = collect();
    demuxer.push(Buffer.concat([frame(1, 'hello\n'), frame(2, '\x1b[31merror\x1b[0m\n'), frame(1, 'bye')]));
    expect(text()).toEqual(['stdout:hello\n', 'stderr:\x1b[31merror\x1b[0m\n', 'stdout:bye']);
  });

  it('reassembles frames split across chunks at every byte', () => {
    const all = Buffer.concat([frame(1, 'first line'), frame(2, 'second')]);
    for (let cut = 1; cut < all.length; cut++) {
      const { demuxer, text } = collect();
      demuxer.push(all.subarray(0, cut));
      demuxer.push(all.subarray(cut));
      expect(text(), `cut at ${cut}`).toEqual(['stdout:first line', 'stderr:second']);
      expect(demuxer.buffered).toBe(0);
    }
  });

  it('holds an incomplete frame until the rest arrives', () => {
    const { demuxer, frames } = collect();
    const f = frame(1, 'abcdef');
    demuxer.push(f.subarray(0, 10));
    expect(frames).toEqual([]);
    expect(demuxer.buffered).toBe(10);
    demuxer.push(f.subarray(10));
    expect(frames.map((x) => x.data.toString())).toEqual(['abcdef']);
  });

  it('passes a raw (TTY) stream through as stdout', () => {
    const { demuxer, text } = collect();
    demuxer.push(Buffer.from('/ # ls\r\nbin\r\n'));
    expect(text()).toEqual(['stdout:/ # ls\r\nbin\r\n']);
  });
});
