import type Docker from 'dockerode';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { exactTime, humanSize } from '../../../src-main/core/images/format';
import { imageHistory } from '../../../src-main/core/images/image-history';
import { inspectImage } from '../../../src-main/core/images/inspect-image';
import { loadImages } from '../../../src-main/core/images/load-images';
import { saveImages } from '../../../src-main/core/images/save-images';
import { BUSYBOX, describeWithEngine, testDocker } from '../engine-available';
import { buildFixture, cleanUp, dockerCliJson, randomFile } from './fixtures';

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
const EXPECTED_EMPTY = [false, true, true, true, false, false, false, false, false, false, true, true];

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

  it('ties each layer-making entry to its diff ID, exactly, using the local parent images', async () => {
    const history = await imageHistory(docker, { image: TAG });
    const { summary } = await inspectImage(docker, { image: TAG });
    expect(history.exact).toBe(true);
    expect(history.source).toBe('parent-images');
    expect(history.entries.map((e) => e.emptyLayer)).toEqual(EXPECTED_EMPTY);
    expect(history.entries.filter((e) => !e.emptyLayer).map((e) => e.diffId)).toEqual(summary.layers);
    expect(history.layers.map((l) => l.diffId)).toEqual(summary.layers);
    expect(history.layerSizeSum).toBe(summary.size);
    expect(history.size).toBe(summary.size);

    const byText = (text: string) => history.entries.find((e) => e.instruction.text.startsWith(text))!;
    expect(byText('COPY file:')).toBeDefined();
    expect(history.entries.find((e) => e.instruction.text.endsWith(' in /f1000'))).toMatchObject({
      size: 1000,
      emptyLayer: false,
    });
    expect(history.entries.find((e) => e.instruction.text.endsWith(' in /data/f123456'))).toMatchObject({
      size: 123456,
    });
    expect(history.entries.find((e) => e.instruction.text.endsWith(' in /empty'))).toMatchObject({
      size: 0,
      emptyLayer: false,
    });
    expect(byText('RUN true')).toMatchObject({ emptyLayer: true, size: 0, instruction: { buildArgs: ['A=1'] } });
    expect(byText('RUN echo $A > /a')).toMatchObject({ emptyLayer: false, size: 2 });
    expect(byText('CMD ["sh" "-c" "echo hi"]')).toMatchObject({ emptyLayer: true });
    expect(byText('WORKDIR /app').emptyLayer).toBe(false);
  });

  it('agrees with the image config read from docker save, and admits doubt from sizes alone', async () => {
    const fromConfig = await imageHistory(docker, { image: TAG, strategy: 'image-config' });
    expect(fromConfig.source).toBe('image-config');
    expect(fromConfig.exact).toBe(true);
    expect(fromConfig.entries.map((e) => e.emptyLayer)).toEqual(EXPECTED_EMPTY);

    const sizesOnly = await imageHistory(docker, { image: TAG, strategy: 'history' });
    expect(sizesOnly.exact).toBe(false);
    expect(sizesOnly.entries.filter((e) => !e.certain).map((e) => e.instruction.text)).toEqual([
      'RUN true',
      'WORKDIR /app',
      'RUN mkdir /x',
      expect.stringMatching(/^COPY file:[0-9a-f]+ in \/empty$/),
    ]);
  });

  it('falls back to the image config when the parent images are gone (a loaded image)', async () => {
    const archive = path.join(workDir, 'layers.tar');
    await saveImages(docker, { images: [TAG], destination: archive });
    await cleanUp(docker, { prefix: PREFIX });
    await expect(docker.getImage(imageId).inspect()).rejects.toMatchObject({ statusCode: 404 });
    const loaded = await loadImages(docker, { source: archive });
    expect(loaded.images).toEqual([{ imageId, reference: TAG }]);

    const history = await imageHistory(docker, { image: TAG });
    expect(history.source).toBe('image-config');
    expect(history.exact).toBe(true);
    expect(history.entries.map((e) => e.emptyLayer)).toEqual(EXPECTED_EMPTY);
    expect(history.layerSizeSum).toBe(history.size);
  });
});
