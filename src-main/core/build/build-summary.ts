import type { BuildEvent, BuildStep } from './build-events';

export type StepState = 'cached' | 'ran' | 'failed' | 'unfinished';

export interface StepSummary extends BuildStep {
  state: StepState;
  durationMs?: number;
}

/** The steps of a build, in the order they started, with how each ended. */
export function summarizeSteps(events: readonly BuildEvent[]): StepSummary[] {
  const steps = new Map<string, StepSummary>();
  for (const event of events) {
    if (event.type === 'step-start') steps.set(event.step.id, { ...event.step, state: 'unfinished' });
    else if (event.type === 'step-cached') {
      const step = steps.get(event.stepId);
      if (step) step.state = 'cached';
    } else if (event.type === 'step-done') {
      const step = steps.get(event.stepId);
      if (step) {
        step.state = event.cached ? 'cached' : 'ran';
        step.durationMs = event.durationMs;
      }
    } else if (event.type === 'error' && event.stepId) {
      const step = steps.get(event.stepId);
      if (step) step.state = 'failed';
    }
  }
  return [...steps.values()];
}

/** Steps cached vs run, counting Dockerfile instructions only (not FROM, meta ARGs or the builder's own work). */
export function countSteps(steps: readonly StepSummary[]): { cachedSteps: number; ranSteps: number } {
  const counted = steps.filter((s) => s.kind === 'instruction');
  return {
    cachedSteps: counted.filter((s) => s.state === 'cached').length,
    ranSteps: counted.filter((s) => s.state === 'ran' || s.state === 'failed').length,
  };
}

/** Identifies "the same step" across two builds of one context: stage, instruction and its place. */
export function stepKey(step: BuildStep): string {
  return `${step.stage ?? ''}\u0000${step.line ?? step.index ?? ''}\u0000${step.name}`;
}

/**
 * How long the cache saved: for each instruction this build took from the cache, what it cost when it
 * last ran in `baseline` (the first build of the same context).
 */
export function cacheSavings(current: readonly StepSummary[], baseline: readonly StepSummary[]): number {
  const ran = new Map<string, number>();
  for (const step of baseline) {
    if (step.kind === 'instruction' && step.state === 'ran' && step.durationMs !== undefined)
      ran.set(stepKey(step), step.durationMs);
  }
  let saved = 0;
  for (const step of current) {
    if (step.kind === 'instruction' && step.state === 'cached') saved += ran.get(stepKey(step)) ?? 0;
  }
  return Math.round(saved);
}
