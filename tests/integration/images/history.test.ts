import type Docker from 'dockerode';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { exactTime, humanSize } from '$shared/images/format';
import { imageHistory } from '../../../src-main/core/images/image-history';
import { inspectImage } from '../../../src-main/core/images/inspect-image';
import { loadImages } from '../../../src-main/core/images/load-images';
import { saveImages } from '../../../src-main/core/images/save-images';
import { BUSYBOX, describeWithEngine, onPodman, testDocker } from '../engine-available';
import { buildFixture, cleanUp, createContainer, dockerCliJson, randomFile } from './fixtures';

const PREFIX = 'strata-it-images-history/';
const TAG = `${PREFIX}layers:1`;

// Entries the builder makes without a layer: ARG, ENV, `RUN true` (its diff is empty), LABEL, CMD.
// WORKDIR, `RUN mkdir`, and COPY of an empty file make layers of 0 bytes: sizes alone cannot tell.
const DOCKERFILE = `FROM ${BUSYBOX}
ARG A=1
ENV X=y
RUN true
WORKDIR /app
RUN mkdir /x
COPY empty /empty
COPY f1000 /f1000
COPY f123456 /data/f123456
RUN echo $A > /a
LABEL l=v
CMD ["sh","-c","echo hi"]
`;
const DOCKER_EMPTY = [false, true, true, true, false, false, false, false, false, false, true, true];
// Buildah (Podman's builder) commits a layer for every RUN, `RUN true` too, and none for WORKDIR. It sizes
// each layer as stored, a tar with its end blocks, so no layer is 0 bytes and sizes alone are exact there:
// the app needs neither parent images nor the saved config, and says the history itself is its source.
const PODMAN_EMPTY = [false, true, true, false, true, false, false, false, false, false, true, true];
const EXPECTED_EMPTY = onPodman ? PODMAN_EMPTY : DOCKER_EMPTY;
const EXACT_SOURCE = onPodman ? 'history' : 'parent-images';

/**
 * Docker's image size is its layers'. Podman's adds the image's own metadata (config, manifest: a few kB),
 * as the import test found too: the layers make the size, less that.
 */
function expectLayersMakeSize(layerSizeSum: number, size: number): void {
  if (!onPodman) return void expect(layerSizeSum).toBe(size);
  expect(layerSizeSum).toBeLessThan(size);
  expect(size - layerSizeSum).toBeLessThan(64 * 1024);
}

interface CliHistory {
  CreatedAt: string;
  CreatedBy: string;
  Size: string;
  Comment: string;
}

describeWithEngine('image history against docker history', () => {
  let docker: Docker;
  let imageId: string;
  let workDir: string;

  beforeAll(async () => {
    docker = await testDocker();
    await cleanUp(docker, { prefix: PREFIX });
    workDir = await mkdtemp(path.join(tmpdir(), 'strata-history-'));
    imageId = await buildFixture(docker, {
      tag: TAG,
      dockerfile: DOCKERFILE,
      files: { empty: '', f1000: randomFile(1000), f123456: randomFile(123456) },
    });
  });

  afterAll(async () => {
    if (docker) await cleanUp(docker, { prefix: PREFIX, imageIds: imageId ? [imageId] : [] });
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('reports every entry with the instruction, size and time docker history shows', async () => {
    const history = await imageHistory(docker, { image: TAG });
    const human = (await dockerCliJson<CliHistory>(['history', '--no-trunc', TAG])).reverse();
    const raw = (await dockerCliJson<CliHistory>(['history', '--no-trunc', '--human=false', TAG])).reverse();
    expect(history.entries).toHaveLength(human.length);
    history.entries.forEach((entry, i) => {
      expect(entry.createdBy.replace(/\t/g, ' ')).toBe(human[i]!.CreatedBy);
      expect(humanSize(entry.size)).toBe(human[i]!.Size);
      expect(String(entry.size)).toBe(raw[i]!.Size);
      expect(entry.comment).toBe(human[i]!.Comment);
      expect(exactTime(entry.created)).toBe(raw[i]!.CreatedAt.replace(/\+00:00$/, 'Z'));
    });
  });

  it("gives a commit's entry the commit's message, on Podman too (which records its base there instead)", async () => {
    const c = await createContainer(docker, {
      image: BUSYBOX,
      cmd: ['sh', '-c', 'echo m > /m'],
      label: 'strata-it-history',
    });
    await c.start();
    await c.wait();
    await c.commit({ repo: `${PREFIX}committed`, tag: '1', comment: 'Add the m file' });
    await c.remove();
    const raw = await docker.getImage(`${PREFIX}committed:1`).history();
    // What each engine itself says of the newest entry: Docker the message, Podman Buildah's "FROM <base>".
    expect(raw[0]!.Comment).toMatch(onPodman ? /^FROM \S+$/ : /^Add the m file$/);
    const history = await imageHistory(docker, { image: `${PREFIX}committed:1` });
    expect(history.entries.at(-1)!.comment).toBe('Add the m file');
    // A build step's comment is left as the engine gave it.
    const built = await imageHistory(docker, { image: TAG });
    const rawBuilt = await docker.getImage(TAG).history();
    expect(built.entries.at(-1)!.comment).toBe(rawBuilt[0]!.Comment);
  });

  it('ties each layer-making entry to its diff ID, exactly, using the local parent images', async () => {
    const history = await imageHistory(docker, { image: TAG });
    const { summary } = await inspectImage(docker, { image: TAG });
    expect(history.exact).toBe(true);
    expect(history.source).toBe(EXACT_SOURCE);
    expect(history.entries.map((e) => e.emptyLayer)).toEqual(EXPECTED_EMPTY);
    expect(history.entries.filter((e) => !e.emptyLayer).map((e) => e.diffId)).toEqual(summary.layers);
    expect(history.layers.map((l) => l.diffId)).toEqual(summary.layers);
    expectLayersMakeSize(history.layerSizeSum, summary.size);
    expect(history.size).toBe(summary.size);

    const byText = (text: string) => history.entries.find((e) => e.instruction.text.startsWith(text))!;
    // The three COPY instructions, in order, each naming its file by content hash and where it went.
    const copies = history.entries.filter((e) => e.instruction.text.startsWith('COPY file:'));
    expect(copies.map((e) => e.instruction.text.replace(/^COPY file:[0-9a-f]+ /, 'COPY file:<hash> '))).toEqual([
      'COPY file:<hash> in /empty',
      'COPY file:<hash> in /f1000',
      'COPY file:<hash> in /data/f123456',
    ]);
    const sizeOf = (suffix: string) => history.entries.find((e) => e.instruction.text.endsWith(suffix))!;
    expect(sizeOf(' in /f1000').emptyLayer).toBe(false);
    expect(sizeOf(' in /empty').emptyLayer).toBe(false);
    if (onPodman) {
      // Stored tar sizes: the file rounded up to 512-byte blocks, plus headers and end blocks.
      expect(sizeOf(' in /f1000').size).toBeGreaterThan(1024);
      expect(sizeOf(' in /data/f123456').size).toBeGreaterThan(123456);
      expect(sizeOf(' in /empty').size).toBeGreaterThan(0);
      expect(byText('RUN true')).toMatchObject({ emptyLayer: false, instruction: { buildArgs: ['A=1'] } });
      expect(byText('RUN echo $A > /a').emptyLayer).toBe(false);
      expect(byText('WORKDIR /app')).toMatchObject({ emptyLayer: true, size: 0 });
    } else {
      expect(sizeOf(' in /f1000').size).toBe(1000);
      expect(sizeOf(' in /data/f123456').size).toBe(123456);
      expect(sizeOf(' in /empty').size).toBe(0);
      expect(byText('RUN true')).toMatchObject({ emptyLayer: true, size: 0, instruction: { buildArgs: ['A=1'] } });
      expect(byText('RUN echo $A > /a')).toMatchObject({ emptyLayer: false, size: 2 });
      expect(byText('WORKDIR /app').emptyLayer).toBe(false);
    }
    // Buildah records the exec form as written (JSON with commas); Docker's builder as a Go slice.
    expect(byText(onPodman ? 'CMD ["sh","-c","echo hi"]' : 'CMD ["sh" "-c" "echo hi"]')).toMatchObject({
      emptyLayer: true,
    });
  });

  it('agrees with the image config read from docker save, and admits doubt from sizes alone', async () => {
    const fromConfig = await imageHistory(docker, { image: TAG, strategy: 'image-config' });
    expect(fromConfig.source).toBe('image-config');
    expect(fromConfig.exact).toBe(true);
    expect(fromConfig.entries.map((e) => e.emptyLayer)).toEqual(EXPECTED_EMPTY);

    const sizesOnly = await imageHistory(docker, { image: TAG, strategy: 'history' });
    // On Podman no layer is 0 bytes, so sizes alone are certain; on Docker the 0-byte layers are in doubt.
    expect(sizesOnly.exact).toBe(onPodman);
    expect(sizesOnly.entries.filter((e) => !e.certain).map((e) => e.instruction.text)).toEqual(
      onPodman
        ? []
        : ['RUN true', 'WORKDIR /app', 'RUN mkdir /x', expect.stringMatching(/^COPY file:[0-9a-f]+ in \/empty$/)],
    );
    if (onPodman) expect(sizesOnly.entries.map((e) => e.emptyLayer)).toEqual(EXPECTED_EMPTY);
  });

  it('falls back to the image config when the parent images are gone (a loaded image)', async () => {
    const archive = path.join(workDir, 'layers.tar');
    await saveImages(docker, { images: [TAG], destination: archive });
    await cleanUp(docker, { prefix: PREFIX });
    await expect(docker.getImage(imageId).inspect()).rejects.toMatchObject({ statusCode: 404 });
    const loaded = await loadImages(docker, { source: archive });
    expect(loaded.images).toEqual([{ imageId, reference: TAG }]);

    const history = await imageHistory(docker, { image: TAG });
    expect(history.source).toBe(onPodman ? 'history' : 'image-config');
    expect(history.exact).toBe(true);
    expect(history.entries.map((e) => e.emptyLayer)).toEqual(EXPECTED_EMPTY);
    expectLayersMakeSize(history.layerSizeSum, history.size);
  });
});
