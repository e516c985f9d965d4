import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type DynamoDBStreamsClient,
} from '@aws-sdk/client-dynamodb-streams';
import { toLambdaRecord } from '../aws/index.ts';
import { toChangeRecord } from '../stream-processor/toChangeRecord.ts';
import type { ChangeRecord, FieldError } from '../schema/index.ts';

export interface StreamHistory {
  streamArn: string;
  /** Valid changes: each must land exactly once. */
  changes: ChangeRecord[];
  /** Poison records: each must be in the stream processor's DLQ and must not land. */
  poison: Array<{ eventID: string | undefined; errors: FieldError[] }>;
  oldestEventTime: string | undefined;
}

/**
 * The source of truth for reconcile: the table's DynamoDB stream read from TRIM_HORIZON in
 * every shard (parents and children alike) up to now, through the same transform the stream
 * processor uses. Works against moto/LocalStack (whose streams never trim) and against AWS
 * within the stream's 24-hour retention.
 */
export async function readStreamHistory(
  ddb: DynamoDBClient,
  streams: DynamoDBStreamsClient,
  tableName: string,
  region: string,
  onProgress?: (n: number) => void,
): Promise<StreamHistory> {
  const t = await ddb.send(new DescribeTableCommand({ TableName: tableName }));
  const streamArn = t.Table?.LatestStreamArn;
  if (!streamArn) throw new Error(`table ${tableName} has no stream: enable NEW_AND_OLD_IMAGES`);
  const history: StreamHistory = { streamArn, changes: [], poison: [], oldestEventTime: undefined };
  const shards = [];
  let exclusiveStart: string | undefined;
  do {
    const d = await streams.send(
      new DescribeStreamCommand({ StreamArn: streamArn, ...(exclusiveStart ? { ExclusiveStartShardId: exclusiveStart } : {}) }),
    );
    shards.push(...(d.StreamDescription?.Shards ?? []));
    exclusiveStart = d.StreamDescription?.LastEvaluatedShardId;
  } while (exclusiveStart);

  for (const shard of shards) {
    let iterator = (
      await streams.send(
        new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shard.ShardId!, ShardIteratorType: 'TRIM_HORIZON' }),
      )
    ).ShardIterator;
    // An open shard always returns a next iterator; stop after a few empty reads in a row (caught up).
    let empty = 0;
    while (iterator && empty < 3) {
      const r = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
      iterator = r.NextShardIterator;
      const records = r.Records ?? [];
      empty = records.length ? 0 : empty + 1;
      for (const rec of records) {
        const c = toChangeRecord(toLambdaRecord(rec, streamArn, region));
        if (c.ok) {
          history.changes.push(c.value);
          if (!history.oldestEventTime || c.value.event_time < history.oldestEventTime)
            history.oldestEventTime = c.value.event_time;
        } else history.poison.push({ eventID: rec.eventID, errors: c.errors });
      }
      onProgress?.(history.changes.length + history.poison.length);
    }
  }
  return history;
}
