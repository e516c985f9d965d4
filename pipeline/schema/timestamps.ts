/** Timestamps are UTC with millisecond precision everywhere: ISO-8601 strings on the wire, epoch millis in Parquet. */

const ISO_UTC_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function isIsoUtcMillis(value: string): boolean {
  return ISO_UTC_MS.test(value) && !Number.isNaN(Date.parse(value)) && new Date(value).toISOString() === value;
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
