import type Docker from 'dockerode';
import { shortId } from '$shared/images/format';
import { engineFailure } from './image-errors';
import { normalizeImageId } from './image-id';
import { familiarNames } from '$shared/images/reference';

export interface Healthcheck {
  test: string[];
  /** Nanoseconds, as the engine stores them; 0 = inherit the default. */
  interval: number;
  timeout: number;
  startPeriod: number;
  retries: number;
}

/** The image config fields a person reads first (Config in `docker image inspect`). */
export interface ImageConfigSummary {
  cmd: string[] | null;
  entrypoint: string[] | null;
  env: string[];
  workingDir: string;
  user: string;
  exposedPorts: string[];
  volumes: string[];
  labels: Record<string, string>;
  healthcheck: Healthcheck | null;
  stopSignal: string;
  shell: string[] | null;
  onBuild: string[];
}

/** What the image details view shows above the history. */
export interface ImageSummary {
  id: string;
  shortId: string;
  repoTags: string[];
  repoDigests: string[];
  /** Parent image ID (local builds and commits only), '' otherwise. */
  parent: string;
  /** ISO 8601 as the engine reports it. */
  created: string;
  author: string;
  comment: string;
  os: string;
  architecture: string;
  variant: string;
  size: number;
  /** Diff IDs of the layers, lowest first (RootFS.Layers). */
  layers: string[];
  dockerVersion: string;
  config: ImageConfigSummary;
}

/** The inspect JSON as the engine sends it, with the fields it really sends as null made optional. */
export type RawImageInspect = Docker.ImageInspectInfo & {
  Config?: (Partial<Docker.ImageInspectInfo['Config']> & { StopSignal?: string; Shell?: string[] | null }) | null;
};

function asList(value: string | string[] | null | undefined): string[] | null {
  if (value === null || value === undefined) return null;
  return Array.isArray(value) ? [...value] : [value];
}

/** Summarise the engine's inspect JSON (pure). */
export function summarizeImage(raw: RawImageInspect): ImageSummary {
  const config = raw.Config ?? {};
  const health = config.Healthcheck;
  return {
    id: normalizeImageId(raw.Id),
    shortId: shortId(raw.Id),
    repoTags: familiarNames(raw.RepoTags),
    repoDigests: familiarNames(raw.RepoDigests),
    parent: raw.Parent ? normalizeImageId(raw.Parent) : '',
    created: raw.Created,
    author: raw.Author ?? '',
    comment: raw.Comment ?? '',
    os: raw.Os ?? '',
    architecture: raw.Architecture ?? '',
    variant: raw.Variant ?? '',
    size: raw.Size,
    layers: raw.RootFS?.Layers ?? [],
    dockerVersion: raw.DockerVersion ?? '',
    config: {
      cmd: asList(config.Cmd),
      entrypoint: asList(config.Entrypoint),
      env: config.Env ?? [],
      workingDir: config.WorkingDir ?? '',
      user: config.User ?? '',
      exposedPorts: Object.keys(config.ExposedPorts ?? {}).sort(),
      volumes: Object.keys(config.Volumes ?? {}).sort(),
      labels: { ...(config.Labels ?? {}) },
      healthcheck: health
        ? {
            test: health.Test ?? [],
            interval: health.Interval ?? 0,
            timeout: health.Timeout ?? 0,
            startPeriod: health.StartPeriod ?? 0,
            retries: health.Retries ?? 0,
          }
        : null,
      stopSignal: config.StopSignal ?? '',
      shell: config.Shell ?? null,
      onBuild: config.OnBuild ?? [],
    },
  };
}

/** Inspect an image: the summary and the engine's full JSON (for the searchable inspect view). */
export async function inspectImage(
  docker: Docker,
  options: { image: string },
): Promise<{ summary: ImageSummary; raw: RawImageInspect }> {
  let raw: RawImageInspect;
  try {
    raw = (await docker.getImage(options.image).inspect()) as RawImageInspect;
  } catch (err) {
    throw engineFailure(err, `Could not inspect image ${options.image}`);
  }
  return { summary: summarizeImage(raw), raw };
}
