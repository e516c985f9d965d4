import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamsClient, _Record as StreamRecord } from '@aws-sdk/client-dynamodb-streams';
import type { SQSClient } from '@aws-sdk/client-sqs';

/**
 * Test support: one table with one open shard, held in memory, answering the five calls the
 * event source mapping makes (DescribeTable, DescribeStream, GetShardIterator, GetRecords,
 * SendMessage) through client stand-ins, so the mapping's retry, bisect and record-age rules can
 * be tested without a server. Iterators are positions in the shard; the shard never closes.
 */
export class InMemoryStream {
  readonly streamArn = 'arn:aws:dynamodb:us-east-1:000000000000:table/chargebacks/stream/2026-01-01T00:00:00.000';
  readonly shardId = 'shardId-00000001767225600000-0a1b2c3d';
  readonly records: StreamRecord[] = [];
  /** Bodies sent to the on-failure queue, parsed. */
  readonly onFailure: unknown[] = [];

  /** Appends records with the given sequence numbers, created `ageSeconds` ago. */
  append(sequenceNumbers: string[], ageSeconds = 0): void {
    const created = new Date(Date.now() - ageSeconds * 1000);
    for (const seq of sequenceNumbers)
      this.records.push({
        eventID: `event-${seq}`,
        eventName: 'INSERT',
        eventVersion: '1.1',
        eventSource: 'aws:dynamodb',
        dynamodb: {
          ApproximateCreationDateTime: created,
          Keys: { chargeback_id: { S: `cb_${seq}` } },
          NewImage: { chargeback_id: { S: `cb_${seq}` } },
          SequenceNumber: seq,
          SizeBytes: 64,
          StreamViewType: 'NEW_AND_OLD_IMAGES',
        },
      });
  }

  clients(): { ddb: DynamoDBClient; streams: DynamoDBStreamsClient; sqs: SQSClient } {
    const client = (send: (input: Record<string, unknown>, name: string) => unknown) =>
      ({
        send: async (command: { input: Record<string, unknown>; constructor: { name: string } }) =>
          send(command.input, command.constructor.name),
        middlewareStack: { add: () => undefined },
      }) as never;
    return {
      ddb: client(() => ({ Table: { LatestStreamArn: this.streamArn } })),
      streams: client((input, name) => this.streamCall(input, name)),
      sqs: client((input) => {
        this.onFailure.push(JSON.parse(String(input.MessageBody)));
        return {};
      }),
    };
  }

  private streamCall(input: Record<string, unknown>, name: string): unknown {
    switch (name) {
      case 'DescribeStreamCommand':
        return { StreamDescription: { StreamArn: this.streamArn, Shards: [{ ShardId: this.shardId }] } };
      case 'GetShardIteratorCommand': {
        const type = input.ShardIteratorType;
        const after = this.records.findIndex((r) => r.dynamodb?.SequenceNumber === input.SequenceNumber);
        const position = type === 'TRIM_HORIZON' ? 0 : type === 'LATEST' ? this.records.length : after + 1;
        return { ShardIterator: String(position) };
      }
      case 'GetRecordsCommand': {
        const position = Number(input.ShardIterator);
        const records = this.records.slice(position, position + Number(input.Limit ?? 1000));
        return { Records: records, NextShardIterator: String(position + records.length) };
      }
      default:
        throw new Error(`InMemoryStream does not answer ${name}`);
    }
  }
}
