import { CHANGE_RECORD_GLUE_COLUMNS, type GlueColumn } from './glueColumns.ts';
import { SchemaDefinitionError } from './errors.ts';

/**
 * The catalog table `chargeback_changes` over the landing zone, defined once: infra/ declares it in
 * the Glue Data Catalog (AWS) and the local stack registers it in moto's Glue, both from this value.
 *
 * Partitions come from Athena partition projection, computed from the table's own properties at
 * query time, so a new hour is queryable the moment its first part file is committed, with no
 * crawler and no partition-adding job: `day` (the `YYYY-MM-DD` folder, a `date` projection from
 * `projectionStartDay` to NOW) and `hour` (the `HH` folder, an integer 0–23 written with two
 * digits). The writers' layout is `<prefix>YYYY-MM-DD/HH/<part>.parquet`, UTC
 * (pipeline/parquet-writer BucketAssigner + CheckpointCommitter; Flink's DateTimeBucketAssigner).
 * https://docs.aws.amazon.com/athena/latest/ug/partition-projection-supported-types.html
 *
 * Athena skips objects whose names start with `_` or `.`, so markers such as `_SUCCESS` in an hour
 * folder are never read as data.
 */
export const CHARGEBACK_CHANGES_TABLE = 'chargeback_changes';

/** Default first day of the `day` projection, in infra/ (catalog.projectionStartDay) and locally. */
export const DEFAULT_PROJECTION_START_DAY = '2026-01-01';

/** Partition keys, as the Firehose-style example of the Athena guide declares date + hour. */
export const LANDING_PARTITION_KEYS: readonly GlueColumn[] = [
  { name: 'day', type: 'string', comment: 'UTC day of the part file folder, YYYY-MM-DD (partition projection)' },
  { name: 'hour', type: 'int', comment: 'UTC hour of the part file folder, 0-23; the folder is HH (partition projection)' },
];

/** Hive's Parquet SerDe and formats, what Athena and Glue expect for a Parquet table. */
export const PARQUET_STORAGE = {
  inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
  outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
  serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
  serdeParameters: { 'serialization.format': '1' },
} as const;

export interface LandingTableOptions {
  /** Landing bucket name (in infra a Terraform reference is fine: it is only interpolated). */
  bucket: string;
  /** Key prefix of the landing zone, with its trailing slash: `landing/chargebacks/`. */
  prefix: string;
  /** First day partition projection generates (`YYYY-MM-DD`): the first day data can exist. */
  projectionStartDay: string;
}

export interface ChargebackChangesTableDefinition {
  name: string;
  description: string;
  tableType: 'EXTERNAL_TABLE';
  location: string;
  columns: readonly GlueColumn[];
  partitionKeys: readonly GlueColumn[];
  /** Table properties: partition projection and `storage.location.template` among them. */
  parameters: Record<string, string>;
  storage: typeof PARQUET_STORAGE;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

export function chargebackChangesTable(o: LandingTableOptions): ChargebackChangesTableDefinition {
  checkOptions(o);
  const location = `s3://${o.bucket}/${o.prefix}`;
  return {
    name: CHARGEBACK_CHANGES_TABLE,
    description:
      'Every change landed by the chargeback-cdc writers (one row per DynamoDB stream change), partitioned by UTC day and hour by partition projection',
    tableType: 'EXTERNAL_TABLE',
    location,
    columns: CHANGE_RECORD_GLUE_COLUMNS,
    partitionKeys: LANDING_PARTITION_KEYS,
    parameters: {
      EXTERNAL: 'TRUE',
      classification: 'parquet',
      'projection.enabled': 'true',
      'projection.day.type': 'date',
      // Java DateTimeFormatter pattern of bucketIdOf's `YYYY-MM-DD`.
      'projection.day.format': 'yyyy-MM-dd',
      'projection.day.range': `${o.projectionStartDay},NOW`,
      'projection.day.interval': '1',
      'projection.day.interval.unit': 'DAYS',
      'projection.hour.type': 'integer',
      'projection.hour.range': '0,23',
      'projection.hour.digits': '2',
      'storage.location.template': `${location}\${day}/\${hour}/`,
    },
    storage: PARQUET_STORAGE,
  };
}

function checkOptions(o: LandingTableOptions): void {
  const problems: string[] = [];
  if (!o.bucket) problems.push('bucket: empty');
  if (o.prefix.startsWith('/') || !o.prefix.endsWith('/'))
    problems.push(`prefix: ${JSON.stringify(o.prefix)} needs a trailing slash and no leading one`);
  const m = DAY.exec(o.projectionStartDay);
  const day = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined;
  if (!day || day.toISOString().slice(0, 10) !== o.projectionStartDay)
    problems.push(`projectionStartDay: ${JSON.stringify(o.projectionStartDay)} is not a YYYY-MM-DD day`);
  if (problems.length) throw new SchemaDefinitionError(`chargeback_changes table: ${problems.join('; ')}`);
}

/**
 * The S3 folder Athena reads for one partition, computed from the table's properties the way
 * partition projection does (the `integer` type pads to `projection.hour.digits`). Takes the
 * properties as registered, so a scenario can check what the catalog actually holds.
 */
export function projectedLocation(parameters: Record<string, string>, partition: { day: string; hour: number }): string {
  const template = parameters['storage.location.template'];
  if (!template) throw new SchemaDefinitionError('chargeback_changes table: no storage.location.template property');
  const digits = Number(parameters['projection.hour.digits'] ?? '1');
  return template.replaceAll('${day}', partition.day).replaceAll('${hour}', String(partition.hour).padStart(digits, '0'));
}
