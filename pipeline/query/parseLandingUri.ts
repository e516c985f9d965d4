import { InvalidLandingUriError } from './errors.ts';

export interface LandingLocation {
  readonly bucket: string;
  /** Key prefix, always ending in `/` (or empty for the whole bucket), so `…/2026-01-31/2` cannot match hour 23. */
  readonly prefix: string;
}

/**
 * `s3://bucket/prefix/` → bucket and prefix. A missing trailing slash is added: the prefix names
 * a folder of the landing layout (`landing/chargebacks/`, `…/YYYY-MM-DD/`, `…/YYYY-MM-DD/HH/`).
 *
 * @example
 * parseLandingUri('s3://chargeback-cdc-landing/landing/chargebacks/2026-01-31/23')
 * // { bucket: 'chargeback-cdc-landing', prefix: 'landing/chargebacks/2026-01-31/23/' }
 */
export function parseLandingUri(uri: string): LandingLocation {
  const m = /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(uri);
  if (!m)
    throw new InvalidLandingUriError(
      `--from must be an s3://bucket/prefix/ URI (e.g. s3://chargeback-cdc-landing/landing/chargebacks/), got ${JSON.stringify(uri)}`,
    );
  const bucket = m[1]!;
  const rest = m[2] ?? '';
  if (rest.endsWith('.parquet'))
    throw new InvalidLandingUriError(`--from names a folder of part files, not one file: drop the file name from ${uri}`);
  return { bucket, prefix: rest === '' || rest.endsWith('/') ? rest : `${rest}/` };
}

export function landingUri(location: LandingLocation): string {
  return `s3://${location.bucket}/${location.prefix}`;
}
