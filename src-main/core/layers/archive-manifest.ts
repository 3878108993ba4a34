import { z } from 'zod';
import { familiarNames } from '$shared/images/reference';

/** Which of the two `docker save` layouts an archive uses. */
export type ArchiveLayout = 'docker' | 'oci';

/** Where an image's config and layers live inside the archive, in layer order. */
export interface ResolvedManifest {
  readonly layout: ArchiveLayout;
  readonly repoTags: readonly string[];
  readonly configPath: string;
  readonly configDigest?: string;
  readonly layerPaths: readonly string[];
  /** Blob digests of the layers (compressed digests in OCI; absent for old docker archives). */
  readonly layerDigests: readonly (string | undefined)[];
}

/** The parts of an image config the layer view needs. */
export interface ImageConfigSummary {
  readonly architecture?: string;
  readonly os?: string;
  readonly created?: string;
  readonly history: readonly HistoryEntry[];
  readonly diffIds: readonly string[];
}

/** One history entry of the image config, as `docker history` lists it. */
export interface HistoryEntry {
  readonly created?: string;
  readonly createdBy?: string;
  readonly comment?: string;
  readonly author?: string;
  readonly emptyLayer: boolean;
}

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
type Descriptor = z.infer<typeof descriptorSchema>;

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

export interface ResolveOptions {
  /** JSON files and JSON-looking blobs captured from the archive, by archive path. */
  readonly json: ReadonlyMap<string, Uint8Array>;
  /** Picks one image when the archive holds several ("name:tag"). */
  readonly imageRef?: string;
  /** JSON-looking entries left unread for their size, by archive path, so a missing file is told from a huge one. */
  readonly oversized?: ReadonlyMap<string, number>;
}

/** The most JSON the reader keeps of one file: manifests and configs are kilobytes, so this is a broken archive. */
export const MAX_JSON_BYTES = 64 << 20;

/** The error for a JSON file the reader refused to hold. */
export function tooLarge(path: string, size: number): Error {
  return new Error(
    `${path} is ${size} bytes, more than the ${MAX_JSON_BYTES} bytes (64 MiB) a manifest or config may take: ` +
      'the archive is damaged or not an image archive',
  );
}

/** Finds the image's config and layer blobs from `manifest.json` (preferred, as Docker writes both) or `index.json`. */
export function resolveManifest(options: ResolveOptions): ResolvedManifest {
  const dockerManifest = options.json.get('manifest.json');
  if (dockerManifest) return fromDockerManifest(parseJson(dockerManifest, 'manifest.json'), options.imageRef);
  const index = options.json.get('index.json');
  if (index) return fromOciIndex(options, parseJson(index, 'index.json'));
  for (const name of ['manifest.json', 'index.json']) {
    const size = options.oversized?.get(name);
    if (size !== undefined) throw tooLarge(name, size);
  }
  throw new Error('not an image archive: neither manifest.json nor index.json was found');
}

/** Reads history and diff IDs from the image config. */
export function parseImageConfig(bytes: Uint8Array, path: string): ImageConfigSummary {
  const config = validate(configSchema, parseJson(bytes, path), path, 'an image config');
  return {
    architecture: config.architecture,
    os: config.os,
    created: config.created,
    history: (config.history ?? []).map((entry) => ({
      created: entry.created,
      createdBy: entry.created_by,
      comment: entry.comment,
      author: entry.author,
      emptyLayer: entry.empty_layer === true,
    })),
    diffIds: config.rootfs?.diff_ids ?? [],
  };
}

/** The archive path of a content-addressed blob ("sha256:ab…" → "blobs/sha256/ab…"). */
export function blobPath(digest: string): string {
  const colon = digest.indexOf(':');
  return `blobs/${digest.slice(0, colon)}/${digest.slice(colon + 1)}`;
}

/** Docker's short form of a reference: "docker.io/library/busybox" → "busybox:latest". */
function normalizeReference(reference: string): string {
  let ref = reference.replace(/^docker\.io\/library\//, '').replace(/^docker\.io\//, '');
  const lastSlash = ref.lastIndexOf('/');
  if (!ref.includes('@') && !ref.slice(lastSlash + 1).includes(':')) ref += ':latest';
  return ref;
}

function fromDockerManifest(raw: unknown, imageRef: string | undefined): ResolvedManifest {
  const images = validate(dockerManifestSchema, raw, 'manifest.json', 'a docker save manifest');
  const wanted = imageRef ? normalizeReference(imageRef) : undefined;
  const image =
    (wanted && images.find((entry) => (entry.RepoTags ?? []).some((tag) => normalizeReference(tag) === wanted))) ||
    images[0];
  if (!image) throw new Error('manifest.json lists no image');
  return {
    layout: 'docker',
    // Podman's archives name tags fully qualified (docker.io/team/x:1): shown in Docker's short form.
    repoTags: familiarNames(image.RepoTags),
    configPath: image.Config,
    configDigest: digestFromBlobPath(image.Config) ?? legacyConfigDigest(image.Config),
    layerPaths: image.Layers,
    layerDigests: image.Layers.map(digestFromBlobPath),
  };
}

function fromOciIndex(options: ResolveOptions, raw: unknown): ResolvedManifest {
  const index = validate(indexSchema, raw, 'index.json', 'an OCI image index');
  const wanted = options.imageRef ? normalizeReference(options.imageRef) : undefined;
  const named = wanted ? index.manifests.find((d) => referenceNames(d).includes(wanted)) : undefined;
  const top = named ?? index.manifests[0];
  if (!top) throw new Error('index.json lists no image');
  const manifest = resolveToImageManifest(options, top, 0);
  const config = manifest.config.digest;
  return {
    layout: 'oci',
    repoTags: index.manifests.flatMap(referenceNames).filter((name) => name.includes(':')),
    configPath: blobPath(config),
    configDigest: config,
    layerPaths: manifest.layers.map((layer) => blobPath(layer.digest)),
    layerDigests: manifest.layers.map((layer) => layer.digest),
  };
}

function referenceNames(descriptor: Descriptor): string[] {
  const annotations = descriptor.annotations ?? {};
  const full = annotations['io.containerd.image.name'];
  // Docker puts just the tag ("latest") in ref.name beside the full name; a bare tag names no repository.
  const refName = annotations['org.opencontainers.image.ref.name'];
  const names = [full, refName && /[:/]/.test(refName) ? refName : undefined];
  return names.filter((name): name is string => Boolean(name)).map(normalizeReference);
}

// Follows nested indexes down to one image manifest, preferring the host platform among the blobs present.
function resolveToImageManifest(
  options: ResolveOptions,
  descriptor: Descriptor,
  depth: number,
): z.infer<typeof imageManifestSchema> {
  if (depth > 4) throw new Error('image index nests too deeply');
  const bytes = options.json.get(blobPath(descriptor.digest));
  const size = options.oversized?.get(blobPath(descriptor.digest));
  if (!bytes && size !== undefined) throw tooLarge(blobPath(descriptor.digest), size);
  if (!bytes) throw new Error(`blob ${descriptor.digest} is missing from the archive`);
  const raw = parseJson(bytes, blobPath(descriptor.digest));
  const asIndex = indexSchema.safeParse(raw);
  if (asIndex.success && !imageManifestSchema.safeParse(raw).success) {
    const candidates = asIndex.data.manifests.filter(
      (d) =>
        options.json.has(blobPath(d.digest)) && d.annotations?.['vnd.docker.reference.type'] !== 'attestation-manifest',
    );
    const arch = hostArchitecture();
    const chosen =
      candidates.find((d) => d.platform?.os === 'linux' && d.platform.architecture === arch) ?? candidates[0];
    if (!chosen) throw new Error(`no manifest of index ${descriptor.digest} is present in the archive`);
    return resolveToImageManifest(options, chosen, depth + 1);
  }
  return validate(imageManifestSchema, raw, blobPath(descriptor.digest), 'an image manifest');
}

function hostArchitecture(): string {
  const map: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', s390x: 's390x' };
  return map[process.arch] ?? process.arch;
}

function digestFromBlobPath(path: string): string | undefined {
  const match = /^blobs\/([a-z0-9]+)\/([a-f0-9]+)$/.exec(path);
  return match ? `${match[1]}:${match[2]}` : undefined;
}

// Older docker archives name the config "<image id hex>.json".
function legacyConfigDigest(path: string): string | undefined {
  const match = /^([a-f0-9]{64})\.json$/.exec(path);
  return match ? `sha256:${match[1]}` : undefined;
}

/**
 * Checks JSON against its schema and says what is wrong in one sentence ("manifest.json is not a docker save
 * manifest: [0].Layers: expected a list, found nothing"), never the validator's own JSON dump.
 */
function validate<T>(schema: z.ZodType<T>, raw: unknown, path: string, what: string): T {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues.slice(0, 3).map((issue) => {
    const where = issue.path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`)).join('');
    const message = issue.message.replace(/^Invalid input: /, '');
    return where ? `${where.replace(/^\./, '')}: ${message}` : message;
  });
  const more = result.error.issues.length > 3 ? ` (and ${result.error.issues.length - 3} more)` : '';
  throw new Error(`${path} is not ${what}: ${problems.join('; ')}${more}`);
}

function parseJson(bytes: Uint8Array, path: string): unknown {
  try {
    return JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
  } catch (error) {
    throw new Error(`${path} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
}
