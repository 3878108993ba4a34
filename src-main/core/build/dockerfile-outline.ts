import { readDockerfileModel } from '$shared/dockerfile/dockerfile-model';
import type { DockerfileOutline } from './step-locator';

/**
 * The outline the step locator needs (instruction keywords and first lines, by stage), from the
 * Dockerfile parser. Undefined for a Dockerfile the parser rejects: the engine reports that error itself,
 * with its line.
 */
export function dockerfileOutline(text: string): DockerfileOutline | undefined {
  let model;
  try {
    model = readDockerfileModel(text);
  } catch {
    return undefined;
  }
  const firstFrom = model.instructions.findIndex((i) => i.name === 'from');
  const beforeFrom = firstFrom < 0 ? model.instructions : model.instructions.slice(0, firstFrom);
  return {
    metaArgLines: beforeFrom.filter((i) => i.name === 'arg').map((i) => i.startLine),
    stages: model.stages.map((stage) => ({
      ...(stage.name ? { name: stage.name } : {}),
      base: stage.baseName,
      line: stage.line,
      // The stage's instruction list starts with its FROM.
      instructions: stage.instructions.slice(1).map((i) => ({ keyword: i.keyword.toUpperCase(), line: i.startLine })),
    })),
  };
}
