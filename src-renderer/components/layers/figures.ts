import { cleanInstruction } from '$shared/images/history-instruction';
import { humanSize } from '$shared/images/format';

/** 12345678 → "12,345,678": exact byte counts, grouped the same way whatever the locale. */
export function groupDigits(value: number): string {
  return String(Math.trunc(value)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** "4.11kB (4,106 bytes)": Docker's size with the exact count beside it. */
export function bytesWithExact(bytes: number): string {
  return bytes < 1000 ? `${groupDigits(bytes)} bytes` : `${humanSize(bytes)} (${groupDigits(bytes)} bytes)`;
}

/** A ratio as a percentage with two decimals ("99.87 %"), as `strata analyze` prints it; "n/a" without one. */
export function percent(ratio: number | null): string {
  return ratio === null || !Number.isFinite(ratio) ? 'n/a' : `${(ratio * 100).toFixed(2)} %`;
}

/** The instruction a person wrote for a layer (as the History tab shows it), else dive's command. */
export function layerInstruction(layer: { createdBy: string; command: string }): string {
  const text = layer.createdBy ? cleanInstruction(layer.createdBy).text : layer.command;
  return text.replace(/\s+/g, ' ').trim() || '(no command)';
}
