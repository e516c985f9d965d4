import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { type Cell, cellValue } from './cellValue.ts';
import { InvalidSqlError } from './errors.ts';
import {
  CHARGEBACKS_CURRENT_SQL,
  chargebackChangesSql,
  createViewSql,
  emptyChangesTableSql,
  LOCAL_CHANGES_ALL_SQL,
  readParquetSql,
  VIEW_NAMES,
} from './views.ts';

export interface QueryColumn {
  readonly name: string;
  /** DuckDB's name for the column's type, e.g. `DECIMAL(18,4)`, `TIMESTAMP WITH TIME ZONE`. */
  readonly type: string;
}

export interface QueryResult {
  readonly columns: readonly QueryColumn[];
  readonly rows: readonly Cell[][];
}

/** Where `chargeback_changes` reads from when nothing has landed: a typed, empty table. */
const EMPTY_SOURCE = 'landed_nothing';

/**
 * An in-memory DuckDB with the views (`chargeback_changes`, `chargeback_changes_all`, `chargebacks_current`) over
 * local Parquet part files. The session's time zone
 * is UTC, so timestamps print and truncate (`date_trunc('hour', event_time)`) in UTC whatever
 * the machine's zone. Extensions are never downloaded: DuckDB's bundled parquet and json are
 * what a query can use, and anything else fails at once instead of waiting on the network.
 *
 * @example
 * const session = await QuerySession.open(['/tmp/x/000000.parquet']);
 * try { console.log((await session.run('SELECT count(*) FROM chargebacks_current')).rows); } finally { session.close(); }
 */
export class QuerySession {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
  ) {}

  static async open(paths: readonly string[]): Promise<QuerySession> {
    const instance = await DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false' });
    const connection = await instance.connect();
    const session = new QuerySession(instance, connection);
    try {
      // A setting, not an instance option: the zone needs the bundled icu extension loaded first.
      await connection.run("SET TimeZone = 'UTC'");
      let source: string;
      if (paths.length === 0) {
        await connection.run(emptyChangesTableSql(EMPTY_SOURCE));
        source = EMPTY_SOURCE;
      } else {
        source = readParquetSql(paths);
      }
      await connection.run(createViewSql(VIEW_NAMES.changes, chargebackChangesSql(source)));
      await connection.run(createViewSql(VIEW_NAMES.all, LOCAL_CHANGES_ALL_SQL));
      await connection.run(createViewSql(VIEW_NAMES.current, CHARGEBACKS_CURRENT_SQL));
    } catch (e) {
      session.close();
      throw e;
    }
    return session;
  }

  /** Runs exactly one SQL statement; a statement DuckDB refuses throws InvalidSqlError with its reason on one line. */
  async run(sql: string): Promise<QueryResult> {
    await checkOneStatement(this.connection, sql);
    try {
      const reader = await this.connection.runAndReadAll(sql);
      const names = reader.columnNames();
      const types = reader.columnTypes();
      return {
        columns: names.map((name, i) => ({ name, type: types[i]!.toString() })),
        rows: reader.getRows().map((row) => row.map(cellValue)),
      };
    } catch (e) {
      throw new InvalidSqlError(`SQL error: ${oneLine(e)}`, { cause: e });
    }
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

/**
 * Parses without running, so a syntax error is reported before any file is downloaded, and a
 * script of several statements is refused (its result would be only the last one's).
 */
export async function checkOneStatement(connection: DuckDBConnection, sql: string): Promise<void> {
  // DuckDB's statement extraction fails without a message on text that holds no statement.
  if (sql.replace(/--[^\n]*|\/\*[\s\S]*?\*\/|;/g, '').trim() === '') throw new InvalidSqlError('SQL error: the query is empty');
  let count: number;
  try {
    count = (await connection.extractStatements(sql)).count;
  } catch (e) {
    throw new InvalidSqlError(`SQL error: ${oneLine(e)}`, { cause: e });
  }
  if (count !== 1) throw new InvalidSqlError(`SQL error: give exactly one statement; this query has ${count}`);
}

/** Parses a query on a throwaway DuckDB: syntax errors before any work. */
export async function checkSql(sql: string): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false' });
  const connection = await instance.connect();
  try {
    await checkOneStatement(connection, sql);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/**
 * DuckDB's message on one line: the error and its hints ("Did you mean …", "Candidate bindings:
 * …"), without the multi-line source excerpt and caret.
 */
export function oneLine(e: unknown): string {
  const text = (e instanceof Error ? e.message : String(e)).replace(/^Failed to extract statements: /, '');
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^LINE \d+:/.test(l) && !/^\^$/.test(l))
    .join(' ');
}
