import {
  CHANGE_RECORD_FIELD_SPECS,
  CHARGEBACK_CHANGES_TABLE,
  type ChangeRecordFieldName,
  type ChangeRecordFieldSpec,
} from '../schema/index.ts';

/**
 * The two views analysts query, defined once. `chargeback_changes` has exactly the change
 * record's columns (the Glue table's columns); `chargebacks_current` is the latest change per
 * chargeback. Both are derived from the one Avro schema, so a field the schema gains is a
 * column here without an edit.
 *
 * Portability: the view bodies are standard SQL that DuckDB and Athena (Trino) both run —
 * CAST, ROW_NUMBER() OVER, LENGTH, TRIM(LEADING … FROM …). The one DuckDB-only piece is the
 * relation `chargeback_changes` reads from (`read_parquet([...])` over downloaded files, or an
 * empty typed table); in Athena `chargeback_changes` is the Glue table itself, and
 * `CHARGEBACKS_CURRENT_SQL` is the view to create over it. Type names differ only in spelling
 * in DDL (Glue/Hive `string`/`int`/`timestamp` for VARCHAR/INTEGER/TIMESTAMP WITH TIME ZONE);
 * Athena's `timestamp` is the same UTC instant without a zone attached.
 */

/**
 * `chargeback_changes` is named after the catalog table (pipeline/schema/chargebackChangesTable.ts) it stands for;
 * `chargeback_changes_all` is every change once, each day from the copy the read rule picks (README.md § "Which copy
 * of a day is read"), and what `chargebacks_current` reads.
 */
export const VIEW_NAMES = {
  changes: CHARGEBACK_CHANGES_TABLE,
  all: 'chargeback_changes_all',
  current: 'chargebacks_current',
} as const;

/** The Glue table over the consolidated days' symlink files (consolidatedChangesTable.ts). */
export const CONSOLIDATED_CHANGES_TABLE = 'chargeback_changes_consolidated';

export interface ChangeColumn {
  readonly name: ChangeRecordFieldName;
  /** The SQL type the views expose (DuckDB spelling, standard SQL names). */
  readonly sqlType: string;
  readonly nullable: boolean;
}

/** SQL type of one change-record field: exact DECIMAL for money, UTC timestamps, never a float for an amount. */
export function sqlTypeOf(spec: ChangeRecordFieldSpec): string {
  switch (spec.kind) {
    case 'string':
      return 'VARCHAR';
    case 'int':
      return 'INTEGER';
    case 'long':
      return 'BIGINT';
    case 'boolean':
      return 'BOOLEAN';
    case 'decimal':
      return `DECIMAL(${spec.precision},${spec.scale})`;
    // The Parquet column is TIMESTAMP(MILLIS, isAdjustedToUTC): an instant, so it keeps its zone.
    case 'timestamp-millis':
      return 'TIMESTAMP WITH TIME ZONE';
    default:
      throw new Error(`query: schema field ${spec.name} has Avro kind ${spec.kind}, which the views do not map to SQL`);
  }
}

/** The columns of `chargeback_changes`, in Avro (and Parquet) order. */
export const CHANGE_COLUMNS: readonly ChangeColumn[] = CHANGE_RECORD_FIELD_SPECS.map((spec) => ({
  name: spec.name,
  sqlType: sqlTypeOf(spec),
  nullable: spec.nullable,
}));

const columnList = (qualifier = '') => CHANGE_COLUMNS.map((c) => `${qualifier}${c.name}`).join(', ');

/**
 * The body of `chargeback_changes` over `source`, a relation with the landed Parquet columns.
 * Every column is cast to its declared type so files from either writer, and the empty table,
 * give one and the same row type.
 */
export function chargebackChangesSql(source: string): string {
  const casts = CHANGE_COLUMNS.map((c) => `  CAST(${c.name} AS ${c.sqlType}) AS ${c.name}`).join(',\n');
  return `SELECT\n${casts}\nFROM ${source}`;
}

/**
 * The latest change of each chargeback, removed chargebacks excluded. "Latest" is by stream
 * sequence number, compared as a number: the numbers are decimal strings of up to 40 digits
 * (more than DECIMAL(38,0) holds), so they are compared by length without leading zeros, then
 * as text. event_id breaks a tie deterministically (the writers drop duplicates, so a tie is not
 * expected). Reads `chargeback_changes_all`, so the same text is the Athena view over the combined view.
 */
export const CHARGEBACKS_CURRENT_SQL = `SELECT ${columnList('latest.')}
FROM (
  SELECT
    c.*,
    ROW_NUMBER() OVER (
      PARTITION BY c.chargeback_id
      ORDER BY
        LENGTH(TRIM(LEADING '0' FROM c.sequence_number)) DESC,
        TRIM(LEADING '0' FROM c.sequence_number) DESC,
        c.event_id DESC
    ) AS change_rank
  FROM ${VIEW_NAMES.all} c
) latest
WHERE latest.change_rank = 1
  AND latest.event_type <> 'REMOVE'`;

/**
 * Athena's `chargeback_changes_all`: the rows of every consolidated day (the consolidated table reads exactly the
 * Parquet files each complete day's symlink file lists) and the landing rows of every other day. A day is in the
 * consolidated table only once its manifest said `complete: true`, and then all of its rows are there, so "has a
 * consolidated row" is "is consolidated": no day is read from both, and an empty day has no rows in either. The
 * partition column `day` (YYYY-MM-DD text in both tables) is used only to exclude; the view's columns are exactly
 * the change columns, like `chargeback_changes` locally. Standard SQL; in DuckDB it runs over two tables of those
 * names (views.test.ts).
 */
export const CHARGEBACK_CHANGES_ALL_SQL = `SELECT ${columnList('c.')}
FROM ${CONSOLIDATED_CHANGES_TABLE} c
UNION ALL
SELECT ${columnList('l.')}
FROM ${VIEW_NAMES.changes} l
WHERE l.day NOT IN (SELECT DISTINCT k.day FROM ${CONSOLIDATED_CHANGES_TABLE} k)`;

/** The statement that creates `chargeback_changes_all` in Athena: the named query of infra/ holds exactly this text. */
export const CHARGEBACK_CHANGES_ALL_VIEW_SQL = createViewSql(VIEW_NAMES.all, CHARGEBACK_CHANGES_ALL_SQL);

/**
 * Locally the read rule has already chosen the files (`planReadSet`), so `chargeback_changes_all` is
 * `chargeback_changes` under the name the current-state view reads in both engines.
 */
export const LOCAL_CHANGES_ALL_SQL = `SELECT ${columnList()} FROM ${VIEW_NAMES.changes}`;

/** An empty table with the change columns' types: what `chargeback_changes` reads when nothing has landed. */
export function emptyChangesTableSql(name: string): string {
  return `CREATE TABLE ${name} (${CHANGE_COLUMNS.map((c) => `${c.name} ${c.sqlType}`).join(', ')})`;
}

/** Standard `CREATE OR REPLACE VIEW` for one of the views (Athena accepts the same statement). */
export function createViewSql(name: string, body: string): string {
  return `CREATE OR REPLACE VIEW ${name} AS\n${body}`;
}

/**
 * The statement that creates `chargebacks_current`, in both engines: the Athena named query of
 * infra/ holds exactly this text, and `views.test.ts` runs it in DuckDB.
 */
export const CHARGEBACKS_CURRENT_VIEW_SQL = createViewSql(VIEW_NAMES.current, CHARGEBACKS_CURRENT_SQL);

/** A list of local files as a DuckDB `read_parquet` call (the DuckDB-only part). */
export function readParquetSql(paths: readonly string[]): string {
  const list = paths.map((p) => `'${p.replaceAll("'", "''")}'`).join(', ');
  // union_by_name: files written before a schema change lack its new (nullable) columns.
  return `read_parquet([${list}], union_by_name = true)`;
}
