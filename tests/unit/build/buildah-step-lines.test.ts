import { describe, expect, it } from 'vitest';
import type { BuildEvent, BuildEventBody } from '../../../src-main/core/build/build-events';
import { builderLogPrinter } from '../../../src-main/core/build/builder-log';
import { ClassicStreamParser } from '../../../src-main/core/build/classic-stream-parser';
import { dockerfileOutline } from '../../../src-main/core/build/dockerfile-outline';
import { StepLocator } from '../../../src-main/core/build/step-locator';
import {
  builderLinesByStep,
  expandedStepLines,
  progressOf,
  type BuildProgress,
} from '../../../src-renderer/components/build/build-progress';
import { fixture, messagesOf } from './fixtures';

// Podman 4.3's /build stream (Buildah), recorded with tests/fixtures/build/record-buildah.ts. For a Dockerfile
// ending in `COPY . /app/` it prints, in this order: `STEP 3/3: COPY . /app/`, `COMMIT <name>` (a bare `COMMIT`
// untagged), `--> <11 hex>`, then `Successfully tagged <each name>`, the image ID, and the API's own
// `Successfully built` / `Successfully tagged`. The COMMIT and its `-->` are the last step's (its layer is the
// image, as Docker's last ` ---> <id>` is); the rest is the build's, outside any step.

/** The events runBuild emits for a recorded stream: the parser's, then the log printer's, message by message. */
function build(name: string): { events: BuildEventBody[]; progress: BuildProgress } {
  const outline = dockerfileOutline(fixture(`${name}.Dockerfile`).toString('utf8'));
  expect(outline).toBeDefined();
  const locator = new StepLocator(outline!);
  const parser = new ClassicStreamParser(locator);
  const printer = builderLogPrinter('classic', locator);
  const events: BuildEventBody[] = [];
  messagesOf(name).forEach((message, i) => {
    events.push(...parser.push(message, i * 10));
    for (const line of printer.push(message)) events.push({ type: 'builder-log', ...line });
  });
  events.push(...parser.end(10_000));
  for (const line of printer.end()) events.push({ type: 'builder-log', ...line });
  const progress = progressOf(events.map((e, i) => ({ ...e, at: i }) as BuildEvent));
  return { events, progress };
}

/** What a step's row shows when expanded, as StepItem picks it. */
function expanded(progress: BuildProgress, stepName: RegExp): string[] {
  const view = progress.steps.find((s) => stepName.test(s.step.name));
  expect(view, `a step named ${stepName}`).toBeDefined();
  const byStep = builderLinesByStep(progress.log);
  return expandedStepLines(view!, byStep.get(view!.step.id) ?? []).map((l) => l.text);
}

const logOf = (progress: BuildProgress, stepId: string | null) =>
  progress.log.filter((l) => l.stepId === stepId).map((l) => l.text);

describe("Buildah's last step and its commit (recorded from Podman)", () => {
  it('an expanded COPY step shows its header, its COMMIT and its result, in the order Buildah printed them', () => {
    const { progress } = build('buildah-copy-last-cold');
    expect(expanded(progress, /^COPY \. \/app\/$/)).toEqual([
      'STEP 3/3: COPY . /app/',
      'COMMIT docker.io/library/strata-fixture-buildah:buildah-copy-last-cold',
      '--> bc9d0b07320',
    ]);
    // The COMMIT line is the builder's, not the step's output: the COPY printed nothing.
    expect(progress.steps.map((s) => [s.step.id, s.state, s.logs.map((l) => l.text)])).toEqual([
      ['step-1', 'done', []],
      ['step-2', 'done', ['step-two']],
      ['step-3', 'done', []],
    ]);
    // A RUN shows its own output; its header and result stay in the builder's log under it.
    expect(expanded(progress, /^RUN echo step-two$/)).toEqual(['step-two']);
    expect(logOf(progress, 'step-2')).toEqual(['STEP 2/3: RUN echo step-two', 'step-two', '--> 084911d42a8']);
  });

  it("leaves what follows the last step's result to the build: tags, the image ID, the API's lines", () => {
    const { progress } = build('buildah-copy-last-cold');
    const after = [
      'Successfully tagged docker.io/library/strata-fixture-buildah:buildah-copy-last-cold',
      'bc9d0b0732094370441cf777fc655db5756642f53673da87cdb9a7c9e67f8995',
      'Successfully built bc9d0b073209',
      'Successfully tagged strata-fixture-buildah:buildah-copy-last-cold',
    ];
    // The builder's log: the same lines after the steps', with no step.
    expect(logOf(progress, null)).toEqual(after);
    expect(progress.log.map((l) => l.text).slice(-after.length)).toEqual(after);
    // The step list's "Builder messages outside any step".
    expect(progress.builderLog.map((l) => l.text)).toEqual(after);
    expect(progress.result).toBeNull(); // runBuild adds the result; the parser only found the image
  });

  it('a cached last step shows "Using cache", then its COMMIT; every name Buildah tags is the build\'s', () => {
    const { progress } = build('buildah-copy-last-warm');
    expect(progress.steps.map((s) => s.state)).toEqual(['done', 'cached', 'cached']);
    expect(expanded(progress, /^COPY \. \/app\/$/)).toEqual([
      'STEP 3/3: COPY . /app/',
      '--> Using cache bc9d0b0732094370441cf777fc655db5756642f53673da87cdb9a7c9e67f8995',
      'COMMIT docker.io/library/strata-fixture-buildah:buildah-copy-last-warm',
      '--> bc9d0b07320',
    ]);
    expect(logOf(progress, null).filter((t) => t.startsWith('Successfully tagged docker.io/'))).toEqual([
      'Successfully tagged docker.io/library/strata-fixture-buildah:buildah-copy-last-warm',
      'Successfully tagged docker.io/library/strata-fixture-buildah:buildah-copy-last-cold',
    ]);
  });

  it("untagged, the bare COMMIT is the step's and the image ID after its result is the build's", () => {
    const { progress } = build('buildah-copy-last-untagged');
    expect(expanded(progress, /^COPY \. \/app\/$/)).toEqual(['STEP 3/3: COPY . /app/', 'COMMIT', '--> 143231f61c3']);
    expect(logOf(progress, null)).toEqual([
      '143231f61c33e200a6e436e757b8b88000e0ab2eb66fa10aead15f60e9e50ed0',
      'Successfully built 143231f61c33',
    ]);
    expect(progress.builderLog.map((l) => l.text)).toEqual(logOf(progress, null));
  });

  it("names a multi-stage build's lines by the step list's IDs, its `[2/2] COMMIT` under the last step", () => {
    const { events, progress } = build('buildah-multistage-cold');
    const stepIds = events.flatMap((e) => (e.type === 'step-start' ? [e.step.id] : []));
    expect(stepIds).toHaveLength(9);
    // Every step's lines are found under its ID, each opened by its own header.
    const byStep = builderLinesByStep(progress.log);
    expect([...byStep.keys()]).toEqual(stepIds);
    for (const view of progress.steps) {
      expect(byStep.get(view.step.id)?.[0]?.text).toMatch(/^(\[\d\/2\] )?STEP \d\/\d: /);
      expect(byStep.get(view.step.id)?.[0]?.text.endsWith(view.step.name)).toBe(true);
    }
    expect(expanded(progress, /^CMD /)).toEqual([
      '[2/2] STEP 4/4: CMD ["sh"]',
      '[2/2] COMMIT docker.io/library/strata-fixture-buildah:buildah-multistage-cold',
      '--> 4a34617d142',
    ]);
    // Output stays the RUN's own (Buildah sends stderr uncoloured, as plain stream text).
    expect(expanded(progress, /^RUN echo "\$GREETING/)).toEqual([
      'to-stderr',
      'hello from base',
      '\u001b[32mgreen\u001b[0m',
    ]);
    expect(progress.builderLog.map((l) => l.text)).toEqual(logOf(progress, null));
    expect(logOf(progress, null)[0]).toBe(
      'Successfully tagged docker.io/library/strata-fixture-buildah:buildah-multistage-cold',
    );
  });

  it('a RUN printing "COMMIT" on Docker keeps it as output, and it ends no step', () => {
    const locator = new StepLocator(dockerfileOutline('FROM a\nRUN echo COMMIT x\n')!);
    const parser = new ClassicStreamParser(locator);
    const printer = builderLogPrinter('classic', locator);
    const stream = [
      'Step 1/2 : FROM a\n',
      ' ---> 4dc8d5f5ba32\n',
      'Step 2/2 : RUN echo COMMIT x\n',
      ' ---> Running in 0123456789ab\n',
      'COMMIT x\n',
      ' ---> 5ec8d5f5ba33\n',
      'Removing intermediate container 0123456789ab\n',
      'Successfully built 5ec8d5f5ba33\n',
    ];
    const events = stream.flatMap((s, i) => parser.push({ stream: s }, i));
    const lines = stream.flatMap((s) => printer.push({ stream: s }));
    expect(events.filter((e) => e.type === 'step-log')).toEqual([
      { type: 'step-log', stepId: 'step-2', stream: 'stdout', line: 'COMMIT x' },
      { type: 'step-log', stepId: null, stream: 'stdout', line: 'Successfully built 5ec8d5f5ba33' },
    ]);
    expect(lines.map((l) => l.stepId)).toEqual(['step-1', 'step-1', ...Array(5).fill('step-2'), null]);
  });
});
