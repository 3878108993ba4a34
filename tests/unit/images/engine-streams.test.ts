import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { validateImportChanges } from '$shared/images/import-changes';
import { engineMessages, messageError } from '../../../src-main/core/images/json-messages';
import { parseLoadMessages } from '../../../src-main/core/images/load-images';
import { tarTailProblem } from '../../../src-main/core/images/save-images';

async function collect(chunks: string[]) {
  const out = [];
  for await (const m of engineMessages(Readable.from(chunks.map((c) => Buffer.from(c))))) out.push(m);
  return out;
}

describe('engineMessages', () => {
  it('reassembles JSON messages cut anywhere by the transport', async () => {
    const messages = await collect([
      '{"stream":"Loaded im',
      'age: a:1\\n"}\r\n{"status":"Lo',
      'ading layer"}\n{"error":"boom","errorDetail":{"message":"boom"}}',
    ]);
    expect(messages).toEqual([
      { stream: 'Loaded image: a:1\n' },
      { status: 'Loading layer' },
      { error: 'boom', errorDetail: { message: 'boom' } },
    ]);
    expect(messageError(messages[2]!)).toBe('boom');
  });

  it('keeps a line that is not JSON as text', async () => {
    expect(await collect(['plain words\n'])).toEqual([{ stream: 'plain words\n' }]);
  });
});

describe('parseLoadMessages', () => {
  it('reads the tags and IDs that arrived and the tags that moved', () => {
    const parsed = parseLoadMessages([
      { stream: 'The image app:1 already exists, renaming the old one with ID sha256:old to empty string\n' },
      { stream: 'Loaded image: app:1\n' },
      { stream: 'Loaded image: registry:5000/x:y\n' },
      { stream: 'Loaded image ID: sha256:abc\n' },
      { status: 'Loading layer', progressDetail: { current: 1, total: 2 } },
    ]);
    expect(parsed).toEqual({
      references: ['app:1', 'registry:5000/x:y'],
      imageIds: ['sha256:abc'],
      replaced: [{ reference: 'app:1', previousImageId: 'sha256:old' }],
    });
  });
});

describe('tarTailProblem', () => {
  it('accepts a tar that ends with two zero blocks', () => {
    const tar = Buffer.concat([Buffer.alloc(512, 1), Buffer.alloc(1024, 0)]);
    expect(tarTailProblem(tar, tar.length)).toBeUndefined();
  });
  it('reports the JSON error the engine appends when a save fails mid-stream', () => {
    const broken = Buffer.concat([
      Buffer.alloc(512, 1),
      Buffer.from('{"errorDetail":{"message":"layer gone"},"error":"layer gone"}\n'),
    ]);
    expect(tarTailProblem(broken, broken.length)).toBe('layer gone');
  });
  it('reports a stream that simply stopped', () => {
    expect(tarTailProblem(Buffer.alloc(700, 1), 700)).toMatch(/ended early after 700 bytes/);
  });
});

describe('validateImportChanges', () => {
  it('accepts what docker import --change accepts', () => {
    expect(
      validateImportChanges([
        'CMD ["/bin/sh"]',
        'ENV A=b',
        'env B=c',
        'WORKDIR /w',
        'EXPOSE 80',
        'LABEL a=b',
        'HEALTHCHECK NONE',
      ]),
    ).toEqual([]);
  });
  it('refuses what the engine refuses, one reason per line', () => {
    const problems = validateImportChanges(['RUN make', 'STOPSIGNAL SIGTERM', 'CMD', 'ENV A=1\nENV B=2']);
    expect(problems).toHaveLength(4);
    expect(problems[0]).toMatch(/RUN is not allowed/);
    expect(problems[2]).toMatch(/needs a value/);
    expect(problems[3]).toMatch(/one line/);
  });
});
