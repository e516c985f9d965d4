import { bucketIdOf, bucketStartMs } from '../parquet-writer/index.ts';

/** Hours are the landing buckets' ids, `YYYY-MM-DD/HH` (UTC); they sort as strings in time order. */
export type HourId = string;

export const HOUR_MS = 3_600_000;

export function hourOf(epochMs: number): HourId {
  return bucketIdOf(epochMs);
}

export function hourStartMs(hour: HourId): number {
  return bucketStartMs(hour);
}

export function hourEndMs(hour: HourId): number {
  return bucketStartMs(hour) + HOUR_MS;
}

export function nextHour(hour: HourId): HourId {
  return bucketIdOf(hourEndMs(hour));
}

export function previousHour(hour: HourId): HourId {
  return bucketIdOf(hourStartMs(hour) - HOUR_MS);
}

/**
 * The latest hour whose end plus `graceMs` is at or before `nowMs`: the newest hour a log-end
 * snapshot taken at `nowMs` can vouch for (README.md § "The rule").
 */
export function lastEndedHour(nowMs: number, graceMs: number): HourId {
  return bucketIdOf(nowMs - graceMs - HOUR_MS);
}

/** The hours from `first` through `last`, both included (empty when first > last). */
export function hoursBetween(first: HourId, last: HourId): HourId[] {
  const out: HourId[] = [];
  for (let h = first; h <= last; h = nextHour(h)) out.push(h);
  return out;
}
