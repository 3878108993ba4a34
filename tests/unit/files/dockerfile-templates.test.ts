import { validate } from 'dockerfile-utils';
import { describe, expect, it } from 'vitest';
import { readDockerfileModel } from '$shared/dockerfile/dockerfile-model';
import {
  DEFAULT_TEMPLATE_BASE,
  dockerfileTemplate,
  dockerfileTemplates,
  templateBaseImage,
} from '$shared/files/dockerfile-templates';

describe('Dockerfile templates', () => {
  it.each(dockerfileTemplates.map((t) => [t.id, t] as const))(
    '%s parses cleanly with BuildKit rules and the validator',
    (_id, template) => {
      const text = template.render({ baseImage: 'strata-test/busybox:latest' });
      const model = readDockerfileModel(text);
      expect(model.problems).toEqual([]);
      expect(model.stages).toHaveLength(template.id === 'multi-stage' ? 2 : 1);
      expect(validate(text).filter((d) => d.severity === 1)).toEqual([]);
      // A syntax directive would make BuildKit fetch a frontend image: templates must build offline.
      expect(text).not.toMatch(/^#\s*syntax\s*=/m);
    },
  );

  it('starts busybox-based templates from the base given, scratch from nothing', () => {
    expect(dockerfileTemplate('busybox')?.render({ baseImage: 'my/busybox:1' })).toMatch(/^FROM my\/busybox:1\n/);
    expect(dockerfileTemplate('busybox')?.render()).toMatch(new RegExp(`^FROM ${DEFAULT_TEMPLATE_BASE}\n`));
    expect(dockerfileTemplate('scratch')?.render({ baseImage: 'ignored' })).toMatch(/^FROM scratch\n/);
    const multi = readDockerfileModel(dockerfileTemplate('multi-stage')?.render({ baseImage: 'b:1' }) ?? '');
    expect(multi.stages.map((s) => s.name)).toEqual(['build', undefined]);
    expect(multi.globalArgs).toEqual([expect.objectContaining({ name: 'BASE', defaultValue: 'b:1' })]);
    expect(dockerfileTemplate('nope')).toBeUndefined();
  });

  it('picks a local busybox as the base, latest first', () => {
    expect(templateBaseImage(['alpine:3', 'strata-test/busybox:1.36', 'strata-test/busybox:latest'])).toBe(
      'strata-test/busybox:latest',
    );
    expect(templateBaseImage(['busybox:1.36'])).toBe('busybox:1.36');
    expect(templateBaseImage(['notbusybox:latest', 'alpine:latest'])).toBe(DEFAULT_TEMPLATE_BASE);
    expect(templateBaseImage([])).toBe(DEFAULT_TEMPLATE_BASE);
  });
});
