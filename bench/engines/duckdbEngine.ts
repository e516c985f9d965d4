import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decimalValue, DuckDBInstance, timestampMillisValue } from '@duckdb/node-api';
import { DEFAULT_ROW_GROUP_ROWS, EngineName, installedVersion, type ParquetEngine } from './ParquetEngine.ts';

/**
 * DuckDB's Node API (prebuilt native bindings from npm): rows go in through an Appender, out with
 * `COPY … TO '….parquet' (FORMAT parquet, COMPRESSION snappy)`, and the file is read back into
 * memory so every engine returns the same thing. One DuckDB thread, like the writer's one event
 * loop (DuckDB would otherwise take both cores from Kafka and the writer).
 */
export function duckdbEngine(): ParquetEngine {
  let instance: Promise<DuckDBInstance> | undefined;
  return {
    name: EngineName.DUCKDB,
    version: installedVersion('@duckdb/node-api'),
    deviations: [
      'amount: DECIMAL(18,4) on INT64, not BYTE_ARRAY (DuckDB stores DECIMAL(18,x) as INT64)',
      'timestamps: TIMESTAMP_MS is written as TIMESTAMP(MILLIS, isAdjustedToUTC=false); TIMESTAMPTZ would be MICROS',
    ],
    encode: async (rows, options) => {
      instance ??= DuckDBInstance.create(':memory:', { threads: '1' });
      const db = await (await instance).connect();
      const dir = mkdtempSync(join(tmpdir(), 'bench-duckdb-'));
      try {
        await db.run('DROP TABLE IF EXISTS rows');
        await db.run(`CREATE TABLE rows (
          schema_version INTEGER NOT NULL, event_id VARCHAR NOT NULL, event_type VARCHAR NOT NULL, sequence_number VARCHAR NOT NULL,
          event_time TIMESTAMP_MS NOT NULL, chargeback_id VARCHAR NOT NULL, merchant_id VARCHAR NOT NULL, amount DECIMAL(18,4) NOT NULL,
          currency VARCHAR NOT NULL, reason VARCHAR NOT NULL, status VARCHAR NOT NULL, previous_status VARCHAR,
          created_at TIMESTAMP_MS NOT NULL, updated_at TIMESTAMP_MS NOT NULL)`);
        const a = await db.createAppender('rows');
        for (const r of rows) {
          a.appendInteger(r.schema_version);
          a.appendVarchar(r.event_id);
          a.appendVarchar(r.event_type);
          a.appendVarchar(r.sequence_number);
          a.appendTimestampMilliseconds(timestampMillisValue(r.event_time));
          a.appendVarchar(r.chargeback_id);
          a.appendVarchar(r.merchant_id);
          a.appendDecimal(decimalValue(r.amount, 18, 4));
          a.appendVarchar(r.currency);
          a.appendVarchar(r.reason);
          a.appendVarchar(r.status);
          if (r.previous_status === null) a.appendNull();
          else a.appendVarchar(r.previous_status);
          a.appendTimestampMilliseconds(timestampMillisValue(r.created_at));
          a.appendTimestampMilliseconds(timestampMillisValue(r.updated_at));
          a.endRow();
        }
        a.closeSync();
        const file = join(dir, 'rows.parquet');
        await db.run(
          `COPY rows TO '${file}' (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE ${options?.rowGroupRows ?? DEFAULT_ROW_GROUP_ROWS})`,
        );
        return new Uint8Array(readFileSync(file));
      } finally {
        db.closeSync();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
