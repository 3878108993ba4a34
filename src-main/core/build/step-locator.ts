/**
 * Maps the step numbers each builder prints back to Dockerfile lines.
 *
 * The classic builder numbers every instruction across the whole Dockerfile ("Step 7/10"): the ARGs
 * before the first FROM, then each stage's FROM and instructions, stopping at the target stage, plus a
 * LABEL it appends for `--label`. BuildKit numbers per stage ("[base 2/4]") and counts only the
 * instructions that make a vertex: FROM of an image (not of an earlier stage, not scratch), RUN, COPY,
 * ADD and WORKDIR. Its stage label is the stage name, `stage-<i>` for an unnamed stage, and none at all
 * when the Dockerfile has a single stage.
 *
 * Buildah (Podman's builder) prints `STEP 3/5:` for a single stage and `[2/3] STEP 3/5:` with more: the stage's
 * place in the Dockerfile (counting stages up to the target), then the instruction's place in that stage, FROM
 * being 1. It leaves out the ARGs before the first FROM, skips stages nothing needs, and may start a stage,
 * build the one its COPY --from names, then go on.
 */

/** The shape of a Dockerfile the locator needs: instruction keywords and their first lines, by stage. */
export interface DockerfileOutline {
  /** 1-based lines of the ARG instructions before the first FROM. */
  metaArgLines: number[];
  stages: OutlineStage[];
}

export interface OutlineStage {
  /** The `AS` name, if any (compared without case, as Docker does). */
  name?: string;
  /** The FROM argument as written (variables not expanded). */
  base: string;
  /** Line of the FROM instruction. */
  line: number;
  /** Instructions after FROM, in order. */
  instructions: Array<{ keyword: string; line: number }>;
}

export interface LocatedStep {
  line?: number;
  stage?: string;
}

const BUILDKIT_VERTEX_INSTRUCTIONS = new Set(['RUN', 'COPY', 'ADD', 'WORKDIR']);

/** A Buildah step placed in the whole build: its Dockerfile line and stage, and its place among all steps. */
export interface LocatedBuildahStep extends LocatedStep {
  /** 1-based, across the stages up to the target, in Dockerfile order (an ID for the step). */
  ordinal: number;
  /** How many steps those stages have. */
  total: number;
}

export class StepLocator {
  private readonly classicLines: LocatedStep[] = [];
  /** Per stage up to the target: its label, and the lines of FROM and each instruction. */
  private readonly buildahStages: { label?: string; lines: number[] }[] = [];
  private readonly buildkitLines = new Map<string, number[]>();

  constructor(outline: DockerfileOutline, options: { target?: string; buildArgs?: Record<string, string> } = {}) {
    const multiStage = outline.stages.length > 1;
    const labelOf = (i: number): string | undefined =>
      multiStage ? (outline.stages[i]?.name?.toLowerCase() ?? `stage-${i}`) : undefined;

    for (const line of outline.metaArgLines) this.classicLines.push({ line });
    const targetIndex = options.target
      ? outline.stages.findIndex((s) => s.name?.toLowerCase() === options.target?.toLowerCase())
      : -1;
    const lastClassicStage = targetIndex >= 0 ? targetIndex : outline.stages.length - 1;
    outline.stages.forEach((stage, i) => {
      const label = labelOf(i);
      if (i <= lastClassicStage) {
        const stageLines = [stage.line, ...stage.instructions.map((ins) => ins.line)];
        this.buildahStages.push({ ...(label !== undefined ? { label } : {}), lines: stageLines });
        this.classicLines.push(withStage({ line: stage.line }, label));
        for (const ins of stage.instructions) this.classicLines.push(withStage({ line: ins.line }, label));
      }
      const vertexLines: number[] = [];
      const earlierNames = outline.stages.slice(0, i).map((s) => s.name?.toLowerCase());
      const base = expandArgs(stage.base, options.buildArgs ?? {}).toLowerCase();
      if (base !== 'scratch' && !earlierNames.includes(base)) vertexLines.push(stage.line);
      for (const ins of stage.instructions) {
        if (BUILDKIT_VERTEX_INSTRUCTIONS.has(ins.keyword.toUpperCase())) vertexLines.push(ins.line);
      }
      this.buildkitLines.set(label ?? '', vertexLines);
    });
  }

  /** Step N (1-based) of the classic builder's count. */
  classic(index: number): LocatedStep {
    return this.classicLines[index - 1] ?? {};
  }

  /** Buildah's `[stage/…] STEP index/…` (stage 1 when it printed none); undefined for a step the outline lacks. */
  buildah(stage: number, index: number): LocatedBuildahStep | undefined {
    const found = this.buildahStages[stage - 1];
    const line = found?.lines[index - 1];
    if (found === undefined || line === undefined) return undefined;
    const before = this.buildahStages.slice(0, stage - 1).reduce((n, s) => n + s.lines.length, 0);
    const total = this.buildahStages.reduce((n, s) => n + s.lines.length, 0);
    return { ...withStage({ line }, found.label), ordinal: before + index, total };
  }

  /** Step N (1-based) of a BuildKit stage, by the stage label BuildKit printed (none for a single stage). */
  buildkit(stage: string | undefined, index: number): LocatedStep {
    const line = this.buildkitLines.get(stage ?? '')?.[index - 1];
    return line === undefined ? {} : withStage({ line }, stage);
  }
}

function withStage(step: LocatedStep, stage: string | undefined): LocatedStep {
  return stage === undefined ? step : { ...step, stage };
}

/** Expands `$VAR` and `${VAR}` with build args, enough to tell `FROM ${BASE}` = scratch or a stage. */
function expandArgs(text: string, args: Record<string, string>): string {
  return text.replace(/\$\{(\w+)\}|\$(\w+)/g, (whole, a: string | undefined, b: string | undefined) => {
    const key = a ?? b ?? '';
    return Object.prototype.hasOwnProperty.call(args, key) ? (args[key] ?? '') : whole;
  });
}
