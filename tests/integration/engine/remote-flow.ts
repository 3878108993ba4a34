import type Docker from 'dockerode';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { runBuild } from '../../../src-main/core/build/run-build';
import { dockerfileOutline } from '../../../src-main/core/build/dockerfile-outline';
import { listImages } from '../../../src-main/core/images/list-images';
import { saveImages } from '../../../src-main/core/images/save-images';
import { familiarNames } from '$shared/images/reference';
import { BUSYBOX } from '../engine-available';
import { contextTar } from '../build/build-context';

/**
 * What a person does with a remote engine, through the remote transport: list images, build (uploading the
 * context), and save the result. Returns the built image's ID; the caller removes the tag.
 */
export async function listBuildSave(
  docker: Docker,
  tag: string,
  builder: 'classic' | 'buildkit' = 'classic',
): Promise<string> {
  const listed = await listImages(docker);
  expect(listed.rows.map((r) => `${r.repository}:${r.tag}`)).toContain(BUSYBOX);

  // A context big enough to need many writes over the transport, with content the build checks.
  const payload = randomBytes(256 * 1024).toString('base64');
  const dockerfile = `FROM ${BUSYBOX}\nCOPY payload.txt /payload.txt\nRUN wc -c /payload.txt\n`;
  const context = await contextTar({ Dockerfile: dockerfile, 'payload.txt': payload });
  const outcome = await runBuild({
    docker,
    context: context.stream(),
    contextSize: context.size,
    builder,
    networkMode: 'none',
    tags: [tag],
    outline: dockerfileOutline(dockerfile),
  });
  expect(outcome.error).toBeUndefined();
  expect(outcome.status).toBe('succeeded');
  // The whole context went over the transport, and the engine got it intact.
  const lastUpload = outcome.events.filter((e) => e.type === 'upload').at(-1);
  expect(lastUpload).toMatchObject({ sentBytes: context.size, done: true });
  const logs = outcome.events.flatMap((e) => (e.type === 'step-log' ? [e.line] : [])).join('\n');
  expect(logs).toContain(`${payload.length} /payload.txt`);

  const archive = join(mkdtempSync(join(tmpdir(), 'strata-remote-save-')), 'image.tar');
  const saved = await saveImages(docker, { images: [tag], destination: archive });
  expect(saved.bytes).toBeGreaterThan(context.size);
  const manifest = JSON.parse(execFileSync('tar', ['-xOf', archive, 'manifest.json'], { encoding: 'utf8' })) as Array<{
    RepoTags: string[];
  }>;
  // The archive is the engine's own: Podman writes tags fully qualified (docker.io/…), Docker in short form;
  // the TLS test's engine is a dockerd even in the Podman pass, so the name is compared in short form.
  expect(familiarNames(manifest[0]?.RepoTags)).toEqual([tag]);
  return outcome.imageId!;
}
