import type Docker from 'dockerode';

export type EngineProduct = 'Docker Engine' | 'Podman' | 'Unknown engine';

export interface EngineVersionInfo {
  product: EngineProduct;
  version: string;
  apiVersion: string;
  os: string;
  arch: string;
  kernelVersion?: string;
}

type VersionResponse = Awaited<ReturnType<Docker['version']>> & {
  Platform?: { Name?: string };
  Components?: Array<{ Name?: string; Version?: string }>;
};

/** Tell Docker from Podman by what `/version` says about itself (Podman names a "Podman Engine" component). */
export function engineVersionInfo(v: VersionResponse): EngineVersionInfo {
  const names = [v.Platform?.Name ?? '', ...(v.Components ?? []).map((c) => c.Name ?? '')].join(' ');
  const product: EngineProduct = /podman/i.test(names)
    ? 'Podman'
    : /docker|engine/i.test(names) || v.Version
      ? 'Docker Engine'
      : 'Unknown engine';
  return {
    product,
    version: v.Version,
    apiVersion: v.ApiVersion,
    os: v.Os,
    arch: v.Arch,
    ...(v.KernelVersion ? { kernelVersion: v.KernelVersion } : {}),
  };
}
