import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamsClient, _Record as StreamRecord } from '@aws-sdk/client-dynamodb-streams';
import type { ChangeRecord, FieldError } from '../schema/index.ts';
import { expectedChange } from './expectedChange.ts';
import { readStreamRecords } from './readStreamRecords.ts';

export interface StreamHistory {
  streamArn: string;
  /** Valid changes: each must land exactly once. */
  changes: ChangeRecord[];
  /** Poison records: each must be in the stream processor's DLQ and must not land. */
  poison: Array<{ eventID: string | undefined; errors: FieldError[] }>;
  oldestEventTime: string | undefined;
}

/**
 * The source of truth for reconcile: every record of the table's stream (`readStreamRecords`),
 * each turned into the change that must land by the independent model in `expectedChange.ts` —
 * not by the stream processor's transform, whose bugs reconcile is there to find.
 *
 * `_region` is no longer needed (the records are not converted to Lambda's event shape first);
 * it stays so existing callers keep compiling.
 */
export async function readStreamHistory(
  ddb: DynamoDBClient,
  streams: DynamoDBStreamsClient,
  tableName: string,
  _region?: string,
  onProgress?: (n: number) => void,
): Promise<StreamHistory> {
  const { streamArn, records } = await readStreamRecords(ddb, streams, tableName, onProgress);
  return { streamArn, ...streamHistoryOf(records) };
}

/** The pure half of readStreamHistory: raw stream records → expected changes and poison. */
export function streamHistoryOf(records: readonly StreamRecord[]): Omit<StreamHistory, 'streamArn'> {
  const history: Omit<StreamHistory, 'streamArn'> = { changes: [], poison: [], oldestEventTime: undefined };
  for (const rec of records) {
    const c = expectedChange(rec);
    if (c.ok) {
      history.changes.push(c.value);
      if (!history.oldestEventTime || c.value.event_time < history.oldestEventTime) history.oldestEventTime = c.value.event_time;
    } else history.poison.push({ eventID: rec.eventID, errors: c.errors });
  }
  return history;
}
