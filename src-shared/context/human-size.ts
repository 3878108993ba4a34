import { humanSize as goHumanSize } from '../images/format';

/**
 * docker/go-units HumanSize: decimal units, four significant digits, no space ("4.608kB", "1.98MB"), the
 * figure `docker build` prints after "Sending build context to Docker daemon". The one Go-compatible
 * formatter in images/format does the rounding (half to even on the exact binary value, as Go's %g),
 * so 10,125 bytes reads "10.12kB" here as in Docker.
 */
export function humanSize(bytes: number): string {
  return goHumanSize(bytes, 4);
}
