import { describe, expect, it } from 'vitest';
import { JsonLineSplitter, jsonLines, keepAsStreamText } from '../../../src-main/core/engine/json-lines';

describe('JSON lines from the engine', () => {
  it('splits CRLF-separated messages cut anywhere, including inside a UTF-8 character', () => {
    const raw = Buffer.from('{"stream":"é1"}\r\n{"stream":"2"}\r\nnot json\r\n{"aux":{"ID":"x"}}');
    const splitter = new JsonLineSplitter<object>(keepAsStreamText);
    const out = [
      ...splitter.push(raw.subarray(0, 12)),
      ...splitter.push(raw.subarray(12, 40)),
      ...splitter.push(raw.subarray(40)),
      ...splitter.end(),
    ];
    expect(out).toEqual([{ stream: 'é1' }, { stream: '2' }, { stream: 'not json\n' }, { aux: { ID: 'x' } }]);
  });

  it('drops what is not a JSON object when told to (event streams), arrays and numbers included', async () => {
    async function* pieces() {
      yield '{"Type":"image"}\n[1,2]\n';
      yield '42\ngarbage\n\n{"Type":';
      yield '"container"}\n';
    }
    const out: object[] = [];
    for await (const message of jsonLines<object>(pieces(), () => undefined)) out.push(message);
    expect(out).toEqual([{ Type: 'image' }, { Type: 'container' }]);
  });
});
