import { InvalidSourceError } from './errors.ts';
import { type LandingLocation, parseLandingUri } from './parseLandingUri.ts';
import { QUERY_SOURCES, type QuerySource, type ZoneLayout } from './planReadSet.ts';

/** What a query reads: a bucket's chargebacks by the read rule (or one copy of them), or one landing folder as it is. */
export type QueryTarget =
  | { readonly kind: 'zone'; readonly layout: ZoneLayout; readonly source: QuerySource }
  | { readonly kind: 'prefix'; readonly location: LandingLocation; readonly note?: string };

export interface QueryTargetInput {
  /** `--from`, when given. */
  readonly from?: string;
  /** `--source`, as typed. */
  readonly source: string;
  /** The environment's bucket and prefixes (LANDING_BUCKET, LANDING_PREFIX, CONSOLIDATED_PREFIX or their defaults). */
  readonly defaults: ZoneLayout;
}

/**
 * `--from` and `--source` → what to read. The read rule works on whole days of a bucket, so it
 * applies when `--from` is absent, a bucket (`s3://bucket/`) or its landing root; a folder inside
 * the landing zone (a day, an hour) is read as it is, from the landing zone.
 *
 * @example
 * resolveQueryTarget({ from: 's3://b/', source: 'auto', defaults }) // { kind: 'zone', layout: { bucket: 'b', … }, source: 'auto' }
 */
export function resolveQueryTarget(input: QueryTargetInput): QueryTarget {
  const { defaults } = input;
  if (!(QUERY_SOURCES as readonly string[]).includes(input.source))
    throw new InvalidSourceError(`--source must be one of ${QUERY_SOURCES.join(', ')}, got ${JSON.stringify(input.source)}`);
  const source = input.source as QuerySource;
  if (input.from === undefined) return { kind: 'zone', layout: defaults, source };
  const location = parseLandingUri(input.from);
  if (location.prefix === '' || location.prefix === defaults.landingPrefix)
    return { kind: 'zone', layout: { ...defaults, bucket: location.bucket }, source };
  if (source === 'consolidated')
    throw new InvalidSourceError(
      `--source consolidated reads whole days of a bucket: give --from s3://${location.bucket}/ or s3://${location.bucket}/${defaults.landingPrefix}, not ${input.from}`,
    );
  if (source === 'landing') return { kind: 'prefix', location };
  return {
    kind: 'prefix',
    location,
    note: `--from ${input.from} is not a bucket or its landing root: its committed part files are read as they are (the consolidated copy is used only for whole days of a bucket)`,
  };
}
