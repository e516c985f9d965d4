/** Timestamps are UTC with millisecond precision everywhere: ISO-8601 strings on the wire, epoch millis in Parquet. */

const ISO_UTC_MS = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.\d{3}Z$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * True for exactly the strings `new Date(value).toISOString()` gives back unchanged: the shape,
 * and a real calendar instant (month 1–12, the month's days with proleptic Gregorian leap years,
 * 00:00:00–23:59:59). Checked by arithmetic instead of a Date round trip, which was the writer's
 * second hotspot (three timestamps per record).
 */
export function isIsoUtcMillis(value: string): boolean {
  const m = ISO_UTC_MS.exec(value);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!;
  return day <= days && Number(m[4]) <= 23 && Number(m[5]) <= 59 && Number(m[6]) <= 59;
}

export function isoFromMillis(ms: number): string {
  return new Date(ms).toISOString();
}

export function millisFromIso(iso: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new RangeError(`not an ISO-8601 timestamp: ${iso}`);
  return ms;
}

/**
 * DynamoDB stream `ApproximateCreationDateTime` is epoch seconds (AWS rounds it down to whole
 * seconds; moto keeps a fraction). Rounding the product avoids float artefacts such as
 * 1732670000.123 * 1000 = 1732670000122.9998.
 */
export function millisFromEpochSeconds(seconds: number): number {
  return Math.round(seconds * 1000);
}
