import { z } from 'zod';

/**
 * The shapes of docker save's manifest.json, an OCI index and image manifest, and an image config, as zod
 * schemas. Loaded only when the quick checks in ./archive-manifest-check turn a file down, to say what is
 * wrong with it (and to accept what they were too strict for): keep the two in step.
 */
const dockerManifestSchema = z.array(
  z.object({
    Config: z.string(),
    RepoTags: z.array(z.string()).nullish(),
    Layers: z.array(z.string()),
  }),
);

const descriptorSchema = z.object({
  mediaType: z.string().optional(),
  digest: z.string(),
  annotations: z.record(z.string(), z.string()).nullish(),
  platform: z.object({ architecture: z.string().optional(), os: z.string().optional() }).nullish(),
});

const indexSchema = z.object({ manifests: z.array(descriptorSchema) });
const imageManifestSchema = z.object({ config: descriptorSchema, layers: z.array(descriptorSchema) });

const configSchema = z.object({
  architecture: z.string().optional(),
  os: z.string().optional(),
  created: z.string().optional(),
  history: z
    .array(
      z.object({
        created: z.string().optional(),
        created_by: z.string().optional(),
        comment: z.string().optional(),
        author: z.string().optional(),
        empty_layer: z.boolean().optional(),
      }),
    )
    .nullish(),
  rootfs: z.object({ diff_ids: z.array(z.string()).nullish() }).nullish(),
});

export const schemas = {
  dockerManifest: dockerManifestSchema,
  index: indexSchema,
  imageManifest: imageManifestSchema,
  config: configSchema,
};
