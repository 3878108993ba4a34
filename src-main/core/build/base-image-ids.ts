import type Docker from 'dockerode';
import type { BuildStep } from './build-events';

/**
 * The image ID each FROM reference names on the engine now, so the next build can tell when a base image
 * became another image (a pull, a retag). Stage names, `scratch` and references with variables are skipped.
 */
export async function baseImageIds(docker: Docker, steps: readonly BuildStep[]): Promise<Record<string, string>> {
  const stages = new Set(steps.map((s) => s.stage?.toLowerCase()).filter((s): s is string => !!s));
  const refs = new Set<string>();
  for (const step of steps) {
    if (step.kind !== 'base') continue;
    const words = step.name.replace(/^FROM\s+/i, '').split(/\s+/);
    const ref = words.find((w) => w && !w.startsWith('--'));
    const asIndex = words.findIndex((w) => w.toLowerCase() === 'as');
    if (asIndex > 0) stages.add((words[asIndex + 1] ?? '').toLowerCase());
    if (ref && !ref.includes('$') && ref.toLowerCase() !== 'scratch') refs.add(ref);
  }
  const out: Record<string, string> = {};
  for (const ref of refs) {
    if (stages.has(ref.toLowerCase())) continue;
    const id = await docker
      .getImage(ref)
      .inspect()
      .then((info) => info.Id)
      .catch(() => undefined);
    if (id) out[ref] = id;
  }
  return out;
}
