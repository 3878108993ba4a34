import { formatGoG } from '../go/number-format';

/**
 * How Docker shows sizes, IDs and ages, so our numbers read exactly like `docker images` and
 * `docker history`. Pure: safe to import from the renderer.
 */

const decimalUnits = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'] as const;

/**
 * A size in Docker's decimal units, like go-units `HumanSizeWithPrecision(size, precision)`.
 * `docker images` and `docker history` use precision 3 ("1.98MB"); go-units `HumanSize` uses 4.
 */
export function humanSize(bytes: number, precision = 3): string {
  let size = bytes;
  let unit = 0;
  // The same repeated float division as go-units, so rounding lands on the same digits.
  while (size >= 1000 && unit < decimalUnits.length - 1) {
    size = size / 1000;
    unit++;
  }
  if (size < 0) return `-${formatGoG(-size, precision)}${decimalUnits[unit]}`;
  return `${formatGoG(size, precision)}${decimalUnits[unit]}`;
}

/**
 * A build context's size as `docker build` prints it after "Sending build context to Docker daemon": go-units
 * `HumanSize`, which is precision 4 ("4.608kB", and "10.12kB" for 10,125 bytes, Go rounding half to even on the
 * exact binary value).
 */
export function contextSize(bytes: number): string {
  return humanSize(bytes, 4);
}

/** An image or container ID shortened as Docker does: algorithm prefix dropped, 12 characters kept. */
export function shortId(id: string): string {
  const colon = id.indexOf(':');
  const hex = colon >= 0 ? id.slice(colon + 1) : id;
  return hex.length > 12 ? hex.slice(0, 12) : hex;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** go-units `HumanDuration`: "Less than a second", "About a minute", "3 hours", "2 weeks"... */
export function humanDuration(milliseconds: number): string {
  const seconds = Math.trunc(milliseconds / SECOND);
  if (seconds < 1) return 'Less than a second';
  if (seconds === 1) return '1 second';
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.trunc(milliseconds / MINUTE);
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  // time.Duration.Round(time.Hour): halves round away from zero.
  const remainder = milliseconds % HOUR;
  const rounded = remainder + remainder < HOUR ? milliseconds - remainder : milliseconds + HOUR - remainder;
  const hours = Math.trunc(rounded / HOUR);
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.trunc(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.trunc(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24 / 30)} months`;
  return `${Math.trunc(Math.trunc(milliseconds / HOUR) / 24 / 365)} years`;
}

/** "2 days ago" for a Unix time in seconds, as `docker images` prints CREATED. */
export function createdSince(createdSeconds: number, nowMilliseconds: number = Date.now()): string {
  return `${humanDuration(nowMilliseconds - createdSeconds * SECOND)} ago`;
}

/** The exact time for a hover title: ISO 8601 in UTC ("2024-05-01T10:20:30Z"). */
export function exactTime(createdSeconds: number): string {
  return new Date(createdSeconds * SECOND).toISOString().replace('.000Z', 'Z');
}
