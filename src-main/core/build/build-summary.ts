import type { BuildEvent, BuildStep } from './build-events';

export type StepState = 'cached' | 'ran' | 'failed' | 'unfinished';

export interface StepSummary extends BuildStep {
  state: StepState;
  durationMs?: number;
  /** What the step cost when it last ran (this build or an earlier one): what its cache hit saves. */
  ranMs?: number;
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
function stepKey(step: BuildStep): string {
  return `${step.stage ?? ''}\u0000${step.line ?? step.index ?? ''}\u0000${step.name}`;
}

/**
 * Each step with `ranMs`, what it cost when it last ran: its own duration when it ran now, else what it cost
 * in `baseline` (the previous build), carried from build to build so a cached step keeps its real cost.
 */
export function carryRunCosts(current: readonly StepSummary[], baseline: readonly StepSummary[]): StepSummary[] {
  const cost = new Map<string, number>();
  for (const step of baseline) if (step.ranMs !== undefined) cost.set(stepKey(step), step.ranMs);
  return current.map((step) => {
    if (step.kind !== 'instruction') return step;
    if (step.state === 'ran' && step.durationMs !== undefined) return { ...step, ranMs: Math.round(step.durationMs) };
    const carried = step.state === 'cached' ? cost.get(stepKey(step)) : undefined;
    return carried !== undefined ? { ...step, ranMs: carried } : step;
  });
}

/** How long the cache saved: what this build's cached instructions cost when they last ran. */
export function cacheSavings(steps: readonly StepSummary[]): number {
  let saved = 0;
  for (const step of steps) if (step.kind === 'instruction' && step.state === 'cached') saved += step.ranMs ?? 0;
  return Math.round(saved);
}
