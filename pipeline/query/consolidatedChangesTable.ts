import { athenaSymlinkKey } from '../consolidation/index.ts';
import { CHANGE_RECORD_GLUE_COLUMNS, type GlueColumn, PARQUET_STORAGE, SchemaDefinitionError } from '../schema/index.ts';
import { CONSOLIDATED_CHANGES_TABLE } from './views.ts';

/**
 * The catalog table `chargeback_changes_consolidated`: every complete consolidated day, read by
 * Athena through the day's symlink file (`consolidated/chargebacks/_athena/day=YYYY-MM-DD/symlink.txt`,
 * written by the consolidation job after the day's manifest, only when it says complete; it lists
 * the s3:// URI of each Parquet output of that manifest, one per line). Hive's
 * SymlinkTextInputFormat reads the listed files with the Parquet SerDe, so orphans and superseded
 * files in the day's folder are never read, exactly as the manifest rule says.
 * https://docs.aws.amazon.com/athena/latest/ug/querying-hive-symlink.html
 *
 * Columns are the landing table's, from the same Avro schema (the consolidated files are written by
 * the same encoder). One partition key, `day` (`YYYY-MM-DD` text, as in the landing table), by
 * partition projection of type date over the `day=YYYY-MM-DD` folders: a day without a symlink
 * (not consolidated, or forced and incomplete) has no file there and so no rows.
 */
export interface ConsolidatedTableOptions {
  /** Landing bucket name (in infra a Terraform reference is fine: it is only interpolated). */
  bucket: string;
  /** `consolidated/chargebacks/`, with its trailing slash. */
  consolidatedPrefix: string;
  /** First day partition projection generates (`YYYY-MM-DD`). */
  projectionStartDay: string;
}

export interface ConsolidatedTableDefinition {
  name: string;
  description: string;
  tableType: 'EXTERNAL_TABLE';
  location: string;
  columns: readonly GlueColumn[];
  partitionKeys: readonly GlueColumn[];
  parameters: Record<string, string>;
  storage: {
    inputFormat: string;
    outputFormat: string;
    serializationLibrary: string;
    serdeParameters: Record<string, string>;
  };
}

/** Hive's symlink input format: the partition's file is a list of data files, read with the table's SerDe. */
export const SYMLINK_TEXT_INPUT_FORMAT = 'org.apache.hadoop.hive.ql.io.SymlinkTextInputFormat';

export const CONSOLIDATED_PARTITION_KEYS: readonly GlueColumn[] = [
  { name: 'day', type: 'string', comment: 'UTC day, YYYY-MM-DD, of a complete consolidated day (partition projection)' },
];

export function consolidatedChangesTable(o: ConsolidatedTableOptions): ConsolidatedTableDefinition {
  if (o.consolidatedPrefix.startsWith('/') || !o.consolidatedPrefix.endsWith('/'))
    throw new SchemaDefinitionError(
      `${CONSOLIDATED_CHANGES_TABLE} table: consolidatedPrefix: ${JSON.stringify(o.consolidatedPrefix)} needs a trailing slash and no leading one`,
    );
  // The folder of a day's symlink file, from the job's own key function, with the projection's placeholder for the day.
  const key = athenaSymlinkKey(o.consolidatedPrefix, '${day}');
  const dayFolder = key.slice(0, key.lastIndexOf('/') + 1);
  const location = `s3://${o.bucket}/${dayFolder.slice(0, dayFolder.indexOf('day=${day}/'))}`;
  return {
    name: CONSOLIDATED_CHANGES_TABLE,
    description:
      'Every complete consolidated day (the Parquet files its manifest lists, through the day symlink file), partitioned by UTC day by partition projection',
    tableType: 'EXTERNAL_TABLE',
    location,
    columns: CHANGE_RECORD_GLUE_COLUMNS,
    partitionKeys: CONSOLIDATED_PARTITION_KEYS,
    parameters: {
      EXTERNAL: 'TRUE',
      'projection.enabled': 'true',
      'projection.day.type': 'date',
      'projection.day.format': 'yyyy-MM-dd',
      'projection.day.range': `${o.projectionStartDay},NOW`,
      'projection.day.interval': '1',
      'projection.day.interval.unit': 'DAYS',
      'storage.location.template': `s3://${o.bucket}/${dayFolder}`,
    },
    storage: {
      inputFormat: SYMLINK_TEXT_INPUT_FORMAT,
      outputFormat: PARQUET_STORAGE.outputFormat,
      serializationLibrary: PARQUET_STORAGE.serializationLibrary,
      serdeParameters: { ...PARQUET_STORAGE.serdeParameters },
    },
  };
}
