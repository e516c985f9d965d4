import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type DynamoDBStreamsClient,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';

export interface StreamRecords {
  streamArn: string;
  /** Every record of every shard, as GetRecords returned it, in shard order. */
  records: StreamRecord[];
}

/**
 * The table's DynamoDB stream as it is, read from TRIM_HORIZON in every shard (parents and
 * children alike) up to now. Works against moto/LocalStack (whose streams never trim) and against
 * AWS within the stream's 24-hour retention.
 */
export async function readStreamRecords(
  ddb: DynamoDBClient,
  streams: DynamoDBStreamsClient,
  tableName: string,
  onProgress?: (n: number) => void,
): Promise<StreamRecords> {
  const t = await ddb.send(new DescribeTableCommand({ TableName: tableName }));
  const streamArn = t.Table?.LatestStreamArn;
  if (!streamArn) throw new Error(`table ${tableName} has no stream: enable NEW_AND_OLD_IMAGES`);
  const shards = [];
  let exclusiveStart: string | undefined;
  do {
    const d = await streams.send(
      new DescribeStreamCommand({ StreamArn: streamArn, ...(exclusiveStart ? { ExclusiveStartShardId: exclusiveStart } : {}) }),
    );
    shards.push(...(d.StreamDescription?.Shards ?? []));
    exclusiveStart = d.StreamDescription?.LastEvaluatedShardId;
  } while (exclusiveStart);

  const records: StreamRecord[] = [];
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
      const got = r.Records ?? [];
      empty = got.length ? 0 : empty + 1;
      records.push(...got);
      onProgress?.(records.length);
    }
  }
  return { streamArn, records };
}
