import { describe, expect, it } from 'vitest';
import {
  isDockerManifest,
  isImageConfig,
  isImageManifest,
  isOciIndex,
} from '../../../src-main/core/layers/archive-manifest-check';
import { schemas } from '../../../src-main/core/layers/archive-manifest-schemas';

const digest = `sha256:${'a'.repeat(64)}`;
const descriptor = { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest, size: 10 };

// Shapes the quick checks must accept: what docker, podman and buildx write.
const wellFormed = {
  dockerManifest: [
    [{ Config: 'blobs/sha256/aa', RepoTags: ['busybox:latest'], Layers: ['blobs/sha256/bb'] }],
    [{ Config: 'x.json', RepoTags: null, Layers: [], LayerSources: {} }],
  ],
  index: [
    { schemaVersion: 2, manifests: [descriptor] },
    {
      manifests: [
        {
          ...descriptor,
          annotations: { 'io.containerd.image.name': 'docker.io/library/busybox:latest' },
          platform: { architecture: 'amd64', os: 'linux' },
        },
      ],
    },
  ],
  imageManifest: [{ schemaVersion: 2, config: descriptor, layers: [descriptor, { digest, annotations: null }] }],
  config: [
    {
      architecture: 'amd64',
      os: 'linux',
      config: { Cmd: ['sh'] },
      history: [{ created: '2024-01-01T00:00:00Z', created_by: '/bin/sh -c x', empty_layer: true }],
      rootfs: { type: 'layers', diff_ids: [digest] },
    },
    { history: null, rootfs: null },
    {},
  ],
};

// Shapes near the edges, each of which the schema either takes or refuses; the quick check may only be stricter.
const edges: unknown[] = [
  null,
  undefined,
  0,
  'x',
  [],
  {},
  [null],
  [{ Config: 1, Layers: [] }],
  [{ Config: 'c', Layers: [1] }],
  [{ Config: 'c', Layers: ['l'], RepoTags: 'a' }],
  { manifests: [{ digest: 1 }] },
  { manifests: [{ digest, annotations: { a: 1 } }] },
  { manifests: [{ digest, annotations: [] }] },
  { manifests: [{ digest, platform: [] }] },
  { manifests: [{ digest, platform: { os: 1 } }] },
  { manifests: {} },
  { config: descriptor, layers: null },
  { config: null, layers: [] },
  { config: descriptor, layers: [], manifests: [descriptor] },
  { history: [{ empty_layer: 'yes' }] },
  { history: [null] },
  { rootfs: { diff_ids: [1] } },
  { rootfs: [] },
  { architecture: null },
  JSON.parse('{"manifests":[{"digest":"d","annotations":{"__proto__":"x"}}]}'),
];

const checks = {
  dockerManifest: isDockerManifest,
  index: isOciIndex,
  imageManifest: isImageManifest,
  config: isImageConfig,
} as const;

describe('quick manifest checks (zod is loaded only when they turn a file down)', () => {
  for (const name of Object.keys(checks) as (keyof typeof checks)[]) {
    it(`${name}: accepts what docker and OCI tools write`, () => {
      for (const value of wellFormed[name]) {
        expect(checks[name](value)).toBe(true);
        expect(schemas[name].safeParse(value).success).toBe(true);
      }
    });

    it(`${name}: accepts nothing the schema refuses`, () => {
      const all = [...edges, ...Object.values(wellFormed).flat()];
      for (const value of all) {
        if (checks[name](value)) expect(schemas[name].safeParse(value).success, JSON.stringify(value)).toBe(true);
      }
      // And it refuses most of the edges, so the schema's words reach the user.
      expect(edges.filter((value) => checks[name](value)).length).toBeLessThan(edges.length / 2);
    });
  }
});
