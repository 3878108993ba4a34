/**
 * Quick checks that parsed JSON has the shape ./archive-manifest-schemas describes, without loading zod.
 * Each accepts only what its schema accepts; anything they turn down goes to the schema, which says what is
 * wrong (or accepts it after all, where a check is stricter). They answer for every well-formed archive.
 */

export interface Descriptor {
  readonly mediaType?: string;
  readonly digest: string;
  readonly annotations?: Readonly<Record<string, string>> | null;
  readonly platform?: { readonly architecture?: string; readonly os?: string } | null;
}

export type DockerManifest = readonly {
  readonly Config: string;
  readonly RepoTags?: readonly string[] | null;
  readonly Layers: readonly string[];
}[];

export interface OciIndex {
  readonly manifests: readonly Descriptor[];
}

export interface ImageManifest {
  readonly config: Descriptor;
  readonly layers: readonly Descriptor[];
}

export interface ImageConfig {
  readonly architecture?: string;
  readonly os?: string;
  readonly created?: string;
  readonly history?:
    | readonly {
        readonly created?: string;
        readonly created_by?: string;
        readonly comment?: string;
        readonly author?: string;
        readonly empty_layer?: boolean;
      }[]
    | null;
  readonly rootfs?: { readonly diff_ids?: readonly string[] | null } | null;
}

type Fields = Record<string, unknown>;

// What zod takes for z.object: an object that is not null and not an array (JSON.parse makes only plain ones).
function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isString = (value: unknown): value is string => typeof value === 'string';
const optionalString = (value: unknown): boolean => value === undefined || typeof value === 'string';
const optionalBoolean = (value: unknown): boolean => value === undefined || typeof value === 'boolean';
const isNullish = (value: unknown): boolean => value === undefined || value === null;

function isStringArray(value: unknown): value is string[] {
  if (!Array.isArray(value)) return false;
  for (const item of value) if (typeof item !== 'string') return false;
  return true;
}

// z.record(z.string(), z.string()); a "__proto__" key is left to zod, which treats it specially.
function isStringRecord(value: unknown): boolean {
  if (!isObject(value) || Object.hasOwn(value, '__proto__')) return false;
  for (const key in value) if (typeof value[key] !== 'string') return false;
  return true;
}

function isDescriptor(value: unknown): value is Descriptor {
  if (!isObject(value)) return false;
  const { platform } = value;
  return (
    optionalString(value.mediaType) &&
    isString(value.digest) &&
    (isNullish(value.annotations) || isStringRecord(value.annotations)) &&
    (isNullish(platform) ||
      (isObject(platform) && optionalString(platform.architecture) && optionalString(platform.os)))
  );
}

function isDescriptorArray(value: unknown): value is Descriptor[] {
  return Array.isArray(value) && value.every(isDescriptor);
}

export function isDockerManifest(raw: unknown): raw is DockerManifest {
  return (
    Array.isArray(raw) &&
    raw.every(
      (image: unknown) =>
        isObject(image) &&
        isString(image.Config) &&
        (isNullish(image.RepoTags) || isStringArray(image.RepoTags)) &&
        isStringArray(image.Layers),
    )
  );
}

export function isOciIndex(raw: unknown): raw is OciIndex {
  return isObject(raw) && isDescriptorArray(raw.manifests);
}

export function isImageManifest(raw: unknown): raw is ImageManifest {
  return isObject(raw) && isDescriptor(raw.config) && isDescriptorArray(raw.layers);
}

export function isImageConfig(raw: unknown): raw is ImageConfig {
  if (!isObject(raw)) return false;
  const { history, rootfs } = raw;
  return (
    optionalString(raw.architecture) &&
    optionalString(raw.os) &&
    optionalString(raw.created) &&
    (isNullish(history) ||
      (Array.isArray(history) &&
        history.every(
          (entry: unknown) =>
            isObject(entry) &&
            optionalString(entry.created) &&
            optionalString(entry.created_by) &&
            optionalString(entry.comment) &&
            optionalString(entry.author) &&
            optionalBoolean(entry.empty_layer),
        ))) &&
    (isNullish(rootfs) || (isObject(rootfs) && (isNullish(rootfs.diff_ids) || isStringArray(rootfs.diff_ids))))
  );
}
