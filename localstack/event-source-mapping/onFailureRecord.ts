import type { DynamoDBRecord } from 'aws-lambda';

/**
 * What Lambda sends to an event source mapping's on-failure destination for a stream batch it
 * gives up on: metadata only (shard, first/last sequence number, size), never the records.
 * https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html
 */
export interface OnFailureRecord {
  requestContext: {
    requestId: string;
    functionArn: string;
    condition: 'RetryAttemptsExhausted' | 'RecordAgeExceeded';
    approximateInvokeCount: number;
  };
  responseContext: { statusCode: number; executedVersion: string; functionError: string };
  version: '1.0';
  timestamp: string;
  DDBStreamBatchInfo: {
    shardId: string;
    startSequenceNumber: string;
    endSequenceNumber: string;
    approximateArrivalOfFirstRecord: string;
    approximateArrivalOfLastRecord: string;
    batchSize: number;
    streamArn: string;
  };
}

export function onFailureRecord(args: {
  batch: DynamoDBRecord[];
  shardId: string;
  streamArn: string;
  condition: OnFailureRecord['requestContext']['condition'];
  invokeCount: number;
  functionName: string;
  region: string;
}): OnFailureRecord {
  const first = args.batch[0]?.dynamodb;
  const last = args.batch[args.batch.length - 1]?.dynamodb;
  // AWS writes the arrival times to the second ("2019-11-14T00:38:04Z"): stream times are whole seconds there.
  const iso = (s: number | undefined) => `${new Date(Math.floor(s ?? 0) * 1000).toISOString().slice(0, 19)}Z`;
  return {
    requestContext: {
      requestId: crypto.randomUUID(),
      functionArn: `arn:aws:lambda:${args.region}:000000000000:function:${args.functionName}`,
      condition: args.condition,
      approximateInvokeCount: args.invokeCount,
    },
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    version: '1.0',
    timestamp: new Date().toISOString(),
    DDBStreamBatchInfo: {
      shardId: args.shardId,
      startSequenceNumber: first?.SequenceNumber ?? '',
      endSequenceNumber: last?.SequenceNumber ?? '',
      approximateArrivalOfFirstRecord: iso(first?.ApproximateCreationDateTime),
      approximateArrivalOfLastRecord: iso(last?.ApproximateCreationDateTime),
      batchSize: args.batch.length,
      streamArn: args.streamArn,
    },
  };
}
