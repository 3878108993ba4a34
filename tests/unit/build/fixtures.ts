import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BuildEventBody, BuildMessage, BuildStreamParser } from '../../../src-main/core/build/build-events';
import { JsonLineSplitter, keepAsStreamText } from '../../../src-main/core/engine/json-lines';
import type { DockerfileOutline } from '../../../src-main/core/build/step-locator';

export const FIXTURES = join(import.meta.dirname, '../../fixtures/build');

export function fixture(name: string): Buffer {
  return readFileSync(join(FIXTURES, name));
}

/** The fixture's engine messages, split from the raw bytes cut into `pieces` uneven chunks. */
export function messagesOf(name: string, pieces = 7): BuildMessage[] {
  const raw = fixture(`${name}.jsonl`);
  const splitter = new JsonLineSplitter<BuildMessage>(keepAsStreamText);
  const out: BuildMessage[] = [];
  let pos = 0;
  for (let i = 1; i <= pieces; i++) {
    // Uneven cut points, so messages and UTF-8 sequences are split mid-way.
    const end = i === pieces ? raw.length : Math.floor((raw.length * i * i) / (pieces * pieces)) + 3;
    out.push(...splitter.push(raw.subarray(pos, Math.min(end, raw.length))));
    pos = Math.min(end, raw.length);
  }
  out.push(...splitter.end());
  return out;
}

/** Feed a fixture through a parser, one message per simulated millisecond. */
export function parseFixture(name: string, parser: BuildStreamParser): BuildEventBody[] {
  const events: BuildEventBody[] = [];
  messagesOf(name).forEach((message, i) => events.push(...parser.push(message, i * 10)));
  events.push(...parser.end(10_000));
  return events;
}

/** The outline of the multistage fixture Dockerfile (see tests/fixtures/build/record.ts), written by hand. */
export const MULTISTAGE_OUTLINE: DockerfileOutline = {
  metaArgLines: [1],
  stages: [
    {
      name: 'base',
      base: '${BASE}',
      line: 2,
      instructions: [
        { keyword: 'ARG', line: 3 },
        { keyword: 'WORKDIR', line: 4 },
        { keyword: 'RUN', line: 5 },
        { keyword: 'COPY', line: 6 },
      ],
    },
    {
      name: 'final',
      base: 'base',
      line: 8,
      instructions: [
        { keyword: 'ENV', line: 9 },
        { keyword: 'RUN', line: 10 },
        { keyword: 'CMD', line: 13 },
      ],
    },
  ],
};

export const FAILING_OUTLINE: DockerfileOutline = {
  metaArgLines: [],
  stages: [
    {
      base: 'strata-test/busybox',
      line: 1,
      instructions: [
        { keyword: 'RUN', line: 2 },
        { keyword: 'RUN', line: 4 },
        { keyword: 'RUN', line: 5 },
      ],
    },
  ],
};
