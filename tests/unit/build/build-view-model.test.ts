import { describe, expect, it } from 'vitest';
import type { BuildEvent } from '../../../src-main/core/build/build-events';
import { buildTagProblems } from '$shared/build/build-tags';
import { builderUnavailable, chooseBuilder } from '../../../src-main/core/build/choose-builder';
import { ClassicStreamParser } from '../../../src-main/core/build/classic-stream-parser';
import { StepLocator } from '../../../src-main/core/build/step-locator';
import { BuildkitTraceParser } from '../../../src-main/core/build/buildkit-trace-parser';
import { countSteps, summarizeSteps } from '../../../src-main/core/build/build-summary';
import {
  defaultForm,
  formToRequest,
  keepTypedFields,
  optionsToForm,
  parseKeyValues,
} from '../../../src-renderer/components/build/build-form';
import {
  baseImageOf,
  progressOf,
  stepDuration,
  stepCounts,
  stepLabel,
  stopRunningSteps,
} from '../../../src-renderer/components/build/build-progress';
import { FAILING_OUTLINE, MULTISTAGE_OUTLINE, parseFixture } from './fixtures';

const timed = (events: ReturnType<typeof parseFixture>): BuildEvent[] => events.map((e, i) => ({ ...e, at: i * 10 }));

describe('build progress for the view', () => {
  it('folds a recorded BuildKit build into steps with state, duration and log', () => {
    const events = timed(
      parseFixture('buildkit-multistage-cold', new BuildkitTraceParser(new StepLocator(MULTISTAGE_OUTLINE))),
    );
    const progress = progressOf(events);
    const run = progress.steps.find((s) => s.step.line === 5);
    expect(run?.state).toBe('done');
    // stdout and stderr interleave as the engine delivered them.
    expect(run?.logs).toHaveLength(3);
    expect(run?.logs).toEqual(
      expect.arrayContaining([
        { stream: 'stdout', text: 'hello from base' },
        { stream: 'stdout', text: '\u001b[32mgreen\u001b[0m' },
        { stream: 'stderr', text: 'to-stderr' },
      ]),
    );
    expect(progress.error).toBeNull();
    expect(progress.steps.map((s) => stepLabel(s.step)).filter(Boolean)).toEqual([
      'base 1/4',
      'base 2/4',
      'base 3/4',
      'base 4/4',
      'final 1/1',
    ]);
    expect(baseImageOf(progress.steps.map((s) => s.step))).toBe('docker.io/strata-test/busybox');
  });

  it('marks the failing step with the engine message and a cancelled build’s running step as stopped', () => {
    const failed = progressOf(
      timed(parseFixture('classic-failing-run', new ClassicStreamParser(new StepLocator(FAILING_OUTLINE)))),
    );
    const step = failed.steps.find((s) => s.state === 'failed');
    expect(step?.step.line).toBe(4);
    expect(step?.error).toMatch(/returned a non-zero code: 3/);
    expect(failed.error).toMatchObject({ stepId: step?.step.id, line: 4 });
    // The step list counts as the summary does: the failed RUN ran ("2 cached, 3 run", not "2 run").
    const summary = countSteps(
      summarizeSteps(
        timed(parseFixture('classic-failing-run', new ClassicStreamParser(new StepLocator(FAILING_OUTLINE)))),
      ),
    );
    expect(stepCounts(failed)).toEqual({ cached: summary.cachedSteps, ran: summary.ranSteps });
    expect(stepCounts(failed).ran).toBe(2);

    const cut = timed(parseFixture('classic-multistage-cold', new ClassicStreamParser())).slice(0, 20);
    const progress = progressOf(cut);
    const running = progress.steps.filter((s) => s.state === 'running');
    expect(running).toHaveLength(1);
    stopRunningSteps(progress);
    expect(progress.steps.filter((s) => s.state === 'stopped')).toHaveLength(1);
    expect(progress.steps.some((s) => s.state === 'running')).toBe(false);
  });

  it('formats step durations as the docker CLI does', () => {
    expect(stepDuration(420)).toBe('0.4s');
    expect(stepDuration(12_345)).toBe('12.3s');
    expect(stepDuration(125_000)).toBe('2m 5s');
  });

  it('finds the base image of the final stage, skipping stage names, scratch and unexpanded variables', () => {
    const step = (name: string, stage?: string) => ({
      id: name,
      name,
      kind: 'base' as const,
      ...(stage ? { stage } : {}),
    });
    expect(baseImageOf([step('FROM golang:1.22 AS build', 'build'), step('FROM build', 'final')])).toBe('golang:1.22');
    expect(baseImageOf([step('FROM --platform=linux/amd64 alpine:3')])).toBe('alpine:3');
    expect(baseImageOf([step('FROM scratch')])).toBeUndefined();
    expect(baseImageOf([step('FROM ${BASE}')])).toBeUndefined();
  });
});

describe('build form', () => {
  it('turns the form into a build request and back', () => {
    const form = {
      ...defaultForm(),
      tags: 'app:1, team/app:latest\nregistry.local:5000/app',
      buildArgs: 'A=1\n# B=commented\nC=x=y\n',
      labels: 'org.example=yes',
      target: ' build ',
      networkMode: 'none',
      noCache: true,
    };
    const { options, problems } = formToRequest(form);
    expect(problems).toEqual([]);
    expect(options).toEqual({
      tags: ['app:1', 'team/app:latest', 'registry.local:5000/app'],
      builder: 'auto',
      buildArgs: { A: '1', C: 'x=y' },
      labels: { 'org.example': 'yes' },
      noCache: true,
      pull: false,
      target: 'build',
      networkMode: 'none',
    });
    const back = optionsToForm({ ...options!, builder: 'buildkit' } as never);
    expect(back).toMatchObject({
      tags: 'app:1 team/app:latest registry.local:5000/app',
      buildArgs: 'A=1\nC=x=y',
      target: 'build',
    });
  });

  it('names what is wrong: bad tags, digests, lines without =', () => {
    const { options, problems } = formToRequest({
      ...defaultForm(),
      tags: 'Upper:1 ok app@sha256:00',
      buildArgs: 'NOEQUALS',
    });
    expect(options).toBeUndefined();
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/Upper:1.*lowercase/);
    expect(problems[1]).toMatch(/digest/);
    expect(problems[2]).toBe('Build args line 1: write KEY=value');
    expect(parseKeyValues('=x', 'Labels').problems).toEqual(['Labels line 1: write KEY=value']);
    expect(buildTagProblems(['app:v1.0', 'localhost:5000/a/b:c'])).toEqual([]);
  });

  it('picks BuildKit for Docker Engine 18.09 and later, the classic builder otherwise', () => {
    expect(chooseBuilder('auto', { product: 'Docker Engine', apiVersion: '1.41' })).toBe('buildkit');
    expect(chooseBuilder('auto', { product: 'Docker Engine', apiVersion: '1.38' })).toBe('classic');
    expect(chooseBuilder('auto', { product: 'Podman', apiVersion: '1.41' })).toBe('classic');
    expect(chooseBuilder('auto', undefined)).toBe('classic');
    expect(chooseBuilder('classic', { product: 'Docker Engine', apiVersion: '1.44' })).toBe('classic');
  });

  it('refuses explicit BuildKit on Podman with the reason and what works, and nothing else', () => {
    expect(builderUnavailable('buildkit', { product: 'Podman' })).toMatch(
      /^Podman has no BuildKit: .*Choose Automatic or Classic builder\.$/,
    );
    expect(builderUnavailable('auto', { product: 'Podman' })).toBeUndefined();
    expect(builderUnavailable('classic', { product: 'Podman' })).toBeUndefined();
    expect(builderUnavailable('buildkit', { product: 'Docker Engine' })).toBeUndefined();
  });
});

describe('default build options', () => {
  it('start from the Settings defaults, leaving per-build fields empty', () => {
    expect(
      defaultForm({ builder: 'classic', noCache: true, pull: false, platform: 'linux/arm64', networkMode: 'none' }),
    ).toEqual({
      tags: '',
      builder: 'classic',
      target: '',
      buildArgs: '',
      labels: '',
      networkMode: 'none',
      platform: 'linux/arm64',
      noCache: true,
      pull: false,
    });
    expect(defaultForm().builder).toBe('auto');
  });
});

describe('a context that finishes loading while the person types', () => {
  it('keeps each field typed meanwhile and takes the loaded value for the others', () => {
    const before = defaultForm();
    const typed = { ...before, tags: 'me/app:1', networkMode: 'none' };
    const loaded = { ...defaultForm(), tags: 'old/tag', builder: 'classic' as const, buildArgs: 'A=1' };
    expect(keepTypedFields(before, typed, loaded)).toEqual({
      ...loaded,
      tags: 'me/app:1',
      networkMode: 'none',
    });
  });

  it('takes the loaded form whole when nothing was typed', () => {
    const before = defaultForm();
    const loaded = { ...defaultForm(), tags: 'old/tag', noCache: true };
    expect(keepTypedFields(before, { ...before }, loaded)).toEqual(loaded);
  });
});
