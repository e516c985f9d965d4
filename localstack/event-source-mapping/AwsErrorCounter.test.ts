import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { SQSClient } from '@aws-sdk/client-sqs';
import { AwsErrorKind, awsErrorKind } from './AwsErrorCounter.ts';
import { CheckpointStore } from './CheckpointStore.ts';
import { EventSourceMapping } from './EventSourceMapping.ts';

/*
 * The mapping against a stand-in for DynamoDB + Streams on a local HTTP port: just enough of the
 * JSON protocol for one shard with two records, whose first GetRecords attempts get the answer moto
 * gives when it trips over "dictionary changed size during iteration" (werkzeug's HTML 500 page).
 */
const STREAM_ARN = 'arn:aws:dynamodb:us-east-1:123456789012:table/chargebacks/stream/2026-01-01T00:00:00.000';
const MOTO_500 = '<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n<h1>Internal Server Error</h1>\n';

let server: Server;
let endpoint: string;
let failingGetRecords = 0;
let getRecordsCalls = 0;

function record(seq: string, id: string) {
  return {
    eventID: `ev-${seq}`,
    eventName: 'INSERT',
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'us-east-1',
    dynamodb: {
      ApproximateCreationDateTime: Date.now() / 1000,
      Keys: { chargeback_id: { S: id } },
      NewImage: { chargeback_id: { S: id } },
      SequenceNumber: seq,
      SizeBytes: 20,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  };
}

function answer(target: string, body: { ShardIterator?: string }): unknown {
  switch (target) {
    case 'DynamoDB_20120810.DescribeTable':
      return { Table: { TableName: 'chargebacks', LatestStreamArn: STREAM_ARN } };
    case 'DynamoDBStreams_20120810.DescribeStream':
      return { StreamDescription: { StreamArn: STREAM_ARN, StreamStatus: 'ENABLED', Shards: [{ ShardId: 'shard-1' }] } };
    case 'DynamoDBStreams_20120810.GetShardIterator':
      return { ShardIterator: 'it-0' };
    case 'DynamoDBStreams_20120810.GetRecords':
      return body.ShardIterator === 'it-0'
        ? { Records: [record('100', 'cb-1'), record('200', 'cb-2')], NextShardIterator: 'it-1' }
        : { Records: [], NextShardIterator: 'it-1' };
    default:
      throw new Error(`unexpected ${target}`);
  }
}

before(async () => {
  server = createServer((req, res) => {
    let text = '';
    req.on('data', (c) => {
      text += c;
    });
    req.on('end', () => {
      const target = String(req.headers['x-amz-target']);
      if (target.endsWith('.GetRecords') && getRecordsCalls++ < failingGetRecords) {
        res.writeHead(500, { 'content-type': 'text/html; charset=utf-8' }).end(MOTO_500);
        return;
      }
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' }).end(JSON.stringify(answer(target, JSON.parse(text))));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function runMapping(failures: number) {
  failingGetRecords = failures;
  getRecordsCalls = 0;
  const aws = { endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
  const delivered: string[] = [];
  const esm = new EventSourceMapping(
    {
      ddb: new DynamoDBClient(aws),
      streams: new DynamoDBStreamsClient(aws),
      sqs: new SQSClient(aws),
      tableName: 'chargebacks',
      region: 'us-east-1',
      checkpoints: new CheckpointStore(join(await mkdtemp(join(tmpdir(), 'esm-')), 'checkpoints.json')),
      invoke: async (event) => {
        delivered.push(...event.Records.map((r) => r.dynamodb!.SequenceNumber!));
        return { batchItemFailures: [] };
      },
    },
    { pollIntervalMs: 20 },
  );
  esm.start();
  const deadline = Date.now() + 20_000;
  while (delivered.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  await esm.stop();
  return { delivered, errors: esm.awsErrors.snapshot() };
}

test("a moto 500 that the SDK's retry absorbs is counted, and the batch is delivered once", async () => {
  const { delivered, errors } = await runMapping(1);
  assert.deepEqual(delivered, ['100', '200']);
  assert.deepEqual(errors, [{ kind: AwsErrorKind.SERVER, operation: 'GetRecords', count: 1 }]);
});

test('500s that outlast the SDK retries: the mapping takes a new iterator from its checkpoint, and every attempt is counted', async () => {
  const { delivered, errors } = await runMapping(4);
  assert.deepEqual(delivered, ['100', '200'], 'each record once, in order');
  assert.deepEqual(errors, [{ kind: AwsErrorKind.SERVER, operation: 'GetRecords', count: 4 }]);
});

test('error kinds: 5xx, throttling, other 4xx, no response', () => {
  assert.equal(awsErrorKind({ name: 'InternalServerError', $metadata: { httpStatusCode: 500 } }), AwsErrorKind.SERVER);
  assert.equal(awsErrorKind({ name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } }), AwsErrorKind.THROTTLING);
  assert.equal(awsErrorKind({ name: 'Unknown', $metadata: { httpStatusCode: 429 } }), AwsErrorKind.THROTTLING);
  assert.equal(awsErrorKind({ name: 'ExpiredIteratorException', $metadata: { httpStatusCode: 400 } }), AwsErrorKind.CLIENT);
  assert.equal(awsErrorKind(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })), AwsErrorKind.NETWORK);
});
