import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { S3Client } from '@aws-sdk/client-s3';
import type { ChangeRecord } from '../schema/index.ts';
import { compareMoneyByChargeback, type MoneyByChargebackReport } from './moneyByChargeback.ts';
import { compareMoneyByHour, type MoneyByHourReport, type MoneyChange } from './moneyByHour.ts';
import { readLandedMoney, type LandedRowProblem } from './readLandedMoney.ts';
import { readStreamHistory } from './readStreamHistory.ts';

export const MoneyGrouping = { HOUR: 'hour', CHARGEBACK: 'chargeback' } as const;
export type MoneyGrouping = (typeof MoneyGrouping)[keyof typeof MoneyGrouping];

interface MoneyReconciliationCommon {
  streamArn: string;
  /** Landed part files read. */
  files: number;
  /** Changes in the stream (poison excluded: it is dead-lettered, never landed). */
  streamChanges: number;
  poisonInStream: number;
  /** Landed rows read and used (older-than-the-stream rows excluded, see `landedOutsideWindow`). */
  landedRows: number;
  landedOutsideWindow: number;
  /** Landed rows that could not be read as money (each makes the report fail). */
  problems: LandedRowProblem[];
}

export type MoneyReconciliation =
  | (MoneyReconciliationCommon & { by: 'hour'; report: MoneyByHourReport; ok: boolean })
  | (MoneyReconciliationCommon & { by: 'chargeback'; report: MoneyByChargebackReport; ok: boolean });

/** The money fields of a change the stream says must land (from `expectedChange`, not the stream processor). */
export function moneyChangeOf(c: ChangeRecord): MoneyChange {
  return {
    chargeback_id: c.chargeback_id,
    event_type: c.event_type,
    sequence_number: c.sequence_number,
    event_time: c.event_time,
    currency: c.currency,
    amount: c.amount,
  };
}

/**
 * Money reconciliation: counts and exact sums from the table's stream against the same figures
 * from an independent read of the committed Parquet files — never from the writer's own counters.
 * Landed rows older than the oldest change still in the stream (AWS trims after 24 h) cannot be
 * checked and are left out, as in plain reconcile.
 */
export async function reconcileMoney(o: {
  by: MoneyGrouping;
  ddb: DynamoDBClient;
  streams: DynamoDBStreamsClient;
  s3: S3Client;
  tableName: string;
  bucket: string;
  prefix?: string;
  onProgress?: (line: string) => void;
}): Promise<MoneyReconciliation> {
  const history = await readStreamHistory(o.ddb, o.streams, o.tableName, undefined, (n) =>
    o.onProgress?.(`reading the stream: ${n} records`),
  );
  const landed = await readLandedMoney(o.s3, o.bucket, o.prefix, (read, total) =>
    o.onProgress?.(`reading landed files: ${read}/${total}`),
  );
  const oldest = history.oldestEventTime;
  const inWindow = oldest ? landed.changes.filter((c) => c.event_time >= oldest) : landed.changes;
  const stream = history.changes.map(moneyChangeOf);
  const common: MoneyReconciliationCommon = {
    streamArn: history.streamArn,
    files: landed.files,
    streamChanges: stream.length,
    poisonInStream: history.poison.length,
    landedRows: inWindow.length,
    landedOutsideWindow: landed.changes.length - inWindow.length,
    problems: landed.problems,
  };
  if (o.by === MoneyGrouping.CHARGEBACK) {
    const report = compareMoneyByChargeback(stream, inWindow);
    return { ...common, by: 'chargeback', report, ok: report.ok && landed.problems.length === 0 };
  }
  const report = compareMoneyByHour(stream, inWindow);
  return { ...common, by: 'hour', report, ok: report.ok && landed.problems.length === 0 };
}
