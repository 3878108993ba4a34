import { describe, expect, it } from 'vitest';
import { type DockerfileOutline, StepLocator } from '../../../src-main/core/build/step-locator';
import { MULTISTAGE_OUTLINE } from './fixtures';

// ARG V / FROM scratch AS files / COPY / FROM ${IMG} AS tools / RUN / ENV / FROM tools / WORKDIR / COPY --from
const THREE_STAGES: DockerfileOutline = {
  metaArgLines: [1],
  stages: [
    { name: 'files', base: 'scratch', line: 2, instructions: [{ keyword: 'COPY', line: 3 }] },
    {
      name: 'Tools',
      base: '${IMG}',
      line: 5,
      instructions: [
        { keyword: 'RUN', line: 6 },
        { keyword: 'ENV', line: 7 },
      ],
    },
    {
      base: 'tools',
      line: 9,
      instructions: [
        { keyword: 'workdir', line: 10 },
        { keyword: 'COPY', line: 11 },
      ],
    },
  ],
};

describe('step locator', () => {
  it('counts classic steps across the whole Dockerfile, meta ARGs first', () => {
    const locator = new StepLocator(THREE_STAGES);
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => locator.classic(n))).toEqual([
      { line: 1 },
      { line: 2, stage: 'files' },
      { line: 3, stage: 'files' },
      { line: 5, stage: 'tools' },
      { line: 6, stage: 'tools' },
      { line: 7, stage: 'tools' },
      { line: 9, stage: 'stage-2' },
      { line: 10, stage: 'stage-2' },
      { line: 11, stage: 'stage-2' },
    ]);
    // The LABEL step the classic builder appends for --label has no line.
    expect(locator.classic(10)).toEqual({});
  });

  it('stops the classic count at the target stage', () => {
    const locator = new StepLocator(THREE_STAGES, { target: 'TOOLS' });
    expect(locator.classic(6)).toEqual({ line: 7, stage: 'tools' });
    expect(locator.classic(7)).toEqual({});
  });

  it('counts BuildKit steps per stage: no FROM vertex for scratch or an earlier stage, no ENV', () => {
    const locator = new StepLocator(THREE_STAGES);
    expect(locator.buildkit('files', 1)).toEqual({ line: 3, stage: 'files' });
    expect(locator.buildkit('tools', 1)).toEqual({ line: 5, stage: 'tools' });
    expect(locator.buildkit('tools', 2)).toEqual({ line: 6, stage: 'tools' });
    expect(locator.buildkit('tools', 3)).toEqual({});
    expect(locator.buildkit('stage-2', 1)).toEqual({ line: 10, stage: 'stage-2' });
    expect(locator.buildkit('stage-2', 2)).toEqual({ line: 11, stage: 'stage-2' });
  });

  it('expands build args in FROM to recognise scratch', () => {
    const outline: DockerfileOutline = {
      metaArgLines: [1],
      stages: [{ base: '${BASE}', line: 2, instructions: [{ keyword: 'RUN', line: 3 }] }],
    };
    expect(new StepLocator(outline).buildkit(undefined, 1)).toEqual({ line: 2 });
    expect(new StepLocator(outline, { buildArgs: { BASE: 'scratch' } }).buildkit(undefined, 1)).toEqual({ line: 3 });
  });

  it('names no stage for a single-stage Dockerfile, as BuildKit does', () => {
    const locator = new StepLocator({
      metaArgLines: [],
      stages: [{ name: 'only', base: 'x', line: 1, instructions: [] }],
    });
    expect(locator.buildkit(undefined, 1)).toEqual({ line: 1 });
    expect(locator.classic(1)).toEqual({ line: 1 });
    expect(new StepLocator(MULTISTAGE_OUTLINE).buildkit(undefined, 1)).toEqual({});
  });
});
