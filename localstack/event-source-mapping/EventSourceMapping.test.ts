import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { CheckpointStore } from './CheckpointStore.ts';
import { EsmSettings, EventSourceMapping, type EsmEvent } from './EventSourceMapping.ts';
import { InMemoryStream } from './InMemoryStream.ts';
import { STREAM_PROCESSOR_EVENT_SOURCE_MAPPING } from '../../pipeline/stream-processor/index.ts';
import type { OnFailureRecord } from './onFailureRecord.ts';

type Invoke = (sequenceNumbers: string[]) => DynamoDBBatchResponse | undefined;

/**
 * Runs the mapping over an in-memory stream with a fake function until every record is either
 * checkpointed or given up, and returns what the function saw and what reached the queue.
 */
async function runMapping(args: {
  stream: InMemoryStream;
  invoke: Invoke;
  settings?: EsmSettings;
  onFailureQueueUrl?: string | undefined;
}) {
  const invocations: string[][] = [];
  const events: EsmEvent[] = [];
  const checkpoints = new CheckpointStore(join(mkdtempSync(join(tmpdir(), 'esm-test-')), 'checkpoints.json'));
  const esm = new EventSourceMapping(
    {
      ...args.stream.clients(),
      tableName: 'chargebacks',
      region: 'eu-west-1',
      checkpoints,
      ...(args.onFailureQueueUrl === undefined ? { onFailureQueueUrl: 'http://queue/dlq' } : {}),
      invoke: async (event: DynamoDBStreamEvent) => {
        const seqs = event.Records.map((r) => r.dynamodb!.SequenceNumber!);
        invocations.push(seqs);
        return args.invoke(seqs);
      },
      onEvent: (e) => events.push(e),
    },
    {
      maximumBatchingWindowSeconds: 0,
      pollIntervalMs: 10,
      retryBackoffMs: { initial: 0, max: 0 },
      ...args.settings,
    },
  );
  const last = args.stream.records.at(-1)?.dynamodb?.SequenceNumber;
  esm.start();
  const deadline = Date.now() + 5_000;
  while (checkpoints.get(args.stream.streamArn, args.stream.shardId) !== last && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 10));
  await esm.stop();
  assert.equal(checkpoints.get(args.stream.streamArn, args.stream.shardId), last, 'the mapping did not get through the shard');
  return { invocations, events, onFailure: args.stream.onFailure as OnFailureRecord[], stats: esm.stats };
}

const fail = (): never => {
  throw new Error('Kafka is unreachable');
};

describe('the local event source mapping, against AWS documented behaviour', () => {
  it('bisects a failing batch into halves until the failing record is alone, without consuming its retries', async () => {
    const stream = new InMemoryStream();
    stream.append(['10', '20', '30', '40']);
    const { invocations, onFailure } = await runMapping({
      stream,
      settings: { batchSize: 4, bisectBatchOnFunctionError: true, maximumRetryAttempts: 2 },
      invoke: (seqs) => (seqs.includes('30') ? fail() : undefined),
    });
    // [10..40] fails → [10,20] ok, [30,40] fails → [30] fails 1 + 2 retries, [40] ok.
    assert.deepEqual(invocations, [['10', '20', '30', '40'], ['10', '20'], ['30', '40'], ['30'], ['30'], ['30'], ['40']]);
    assert.equal(onFailure.length, 1);
    assert.equal(onFailure[0]!.requestContext.approximateInvokeCount, 3, 'the two bisected invocations did not count');
    assert.deepEqual(
      [onFailure[0]!.DDBStreamBatchInfo.startSequenceNumber, onFailure[0]!.DDBStreamBatchInfo.endSequenceNumber],
      ['30', '30'],
    );
  });

  it('counts retries per batch: a batch that exhausts its attempts is given up, the next batch starts with a fresh count', async () => {
    const stream = new InMemoryStream();
    stream.append(['10', '20', '30', '40']);
    let secondBatchFailures = 0;
    const { invocations, onFailure, stats } = await runMapping({
      stream,
      settings: { batchSize: 2, bisectBatchOnFunctionError: false, maximumRetryAttempts: 2 },
      invoke: (seqs) => {
        if (seqs[0] === '10') return fail();
        if (secondBatchFailures++ < 2) return fail();
        return undefined;
      },
    });
    assert.equal(invocations.filter((s) => s[0] === '10').length, 3, 'first batch: 1 attempt + 2 retries');
    assert.equal(invocations.filter((s) => s[0] === '30').length, 3, 'second batch: 2 failures and a success');
    assert.equal(onFailure.length, 1);
    assert.equal(onFailure[0]!.requestContext.condition, 'RetryAttemptsExhausted');
    assert.equal(onFailure[0]!.DDBStreamBatchInfo.batchSize, 2);
    assert.equal(stats.records, 2, 'only the second batch was delivered');
  });

  it('with unlimited retries (-1, the deployed definition) retries a failing batch until it succeeds and gives nothing up', async () => {
    const stream = new InMemoryStream();
    stream.append(['10', '20']);
    let failures = 0;
    const { invocations, onFailure } = await runMapping({
      stream,
      settings: { ...STREAM_PROCESSOR_EVENT_SOURCE_MAPPING, maximumBatchingWindowSeconds: 0 },
      invoke: () => (failures++ < 25 ? fail() : undefined),
    });
    // Bisect first splits [10,20]; each half then retries as long as it takes.
    assert.equal(invocations.length, 27);
    assert.deepEqual(invocations.at(-1), ['20']);
    assert.deepEqual(onFailure, []);
  });

  it('sends records older than maximumRecordAgeSeconds to the on-failure destination without invoking the function', async () => {
    const stream = new InMemoryStream();
    stream.append(['10', '20'], 120);
    stream.append(['30']);
    const { invocations, onFailure } = await runMapping({
      stream,
      settings: { batchSize: 3, maximumRecordAgeSeconds: 60 },
      invoke: () => undefined,
    });
    assert.deepEqual(invocations, [['30']]);
    assert.equal(onFailure.length, 1);
    assert.equal(onFailure[0]!.requestContext.condition, 'RecordAgeExceeded');
    assert.deepEqual(
      [
        onFailure[0]!.DDBStreamBatchInfo.startSequenceNumber,
        onFailure[0]!.DDBStreamBatchInfo.endSequenceNumber,
        onFailure[0]!.DDBStreamBatchInfo.batchSize,
      ],
      ['10', '20', 2],
    );
  });

  it('with unlimited record age (-1) hands old records to the function like new ones', async () => {
    const stream = new InMemoryStream();
    stream.append(['10'], 23 * 3600);
    const { invocations, onFailure } = await runMapping({
      stream,
      settings: { maximumRecordAgeSeconds: -1 },
      invoke: () => undefined,
    });
    assert.deepEqual(invocations, [['10']]);
    assert.deepEqual(onFailure, []);
  });

  it('sends the on-failure record in the shape AWS documents: metadata of the batch, never the records', async () => {
    const stream = new InMemoryStream();
    stream.append(['10', '20']);
    const before = Date.now();
    const { onFailure } = await runMapping({
      stream,
      settings: { batchSize: 2, bisectBatchOnFunctionError: false, maximumRetryAttempts: 0 },
      invoke: fail,
    });
    assert.equal(onFailure.length, 1);
    const r = onFailure[0]!;
    // https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html
    assert.deepEqual(Object.keys(r).sort(), ['DDBStreamBatchInfo', 'requestContext', 'responseContext', 'timestamp', 'version']);
    assert.equal(r.version, '1.0');
    assert.ok(Date.parse(r.timestamp) >= before - 1000 && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(r.timestamp));
    assert.match(r.requestContext.requestId, /^[0-9a-f-]{36}$/);
    assert.equal(r.requestContext.functionArn, 'arn:aws:lambda:eu-west-1:000000000000:function:chargeback-stream-processor');
    assert.equal(r.requestContext.condition, 'RetryAttemptsExhausted');
    assert.equal(r.requestContext.approximateInvokeCount, 1);
    assert.deepEqual(r.responseContext, { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' });
    const info = r.DDBStreamBatchInfo;
    assert.deepEqual(Object.keys(info).sort(), [
      'approximateArrivalOfFirstRecord',
      'approximateArrivalOfLastRecord',
      'batchSize',
      'endSequenceNumber',
      'shardId',
      'startSequenceNumber',
      'streamArn',
    ]);
    assert.equal(info.shardId, stream.shardId);
    assert.equal(info.streamArn, stream.streamArn);
    assert.equal(info.startSequenceNumber, '10');
    assert.equal(info.endSequenceNumber, '20');
    assert.equal(info.batchSize, 2);
    // Stream times are whole seconds in AWS, and so is the arrival time it reports ("2019-11-14T00:38:04Z").
    assert.match(info.approximateArrivalOfFirstRecord, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.ok(Math.abs(Date.parse(info.approximateArrivalOfLastRecord) - before) < 5_000);
    assert.ok(!JSON.stringify(r).includes('cb_10'), 'no record content in the on-failure record');
  });

  it('resumes at the lowest reported failure with ReportBatchItemFailures, and ignores the response without it', async () => {
    const withReports = new InMemoryStream();
    withReports.append(['10', '20', '30']);
    let reported = false;
    const a = await runMapping({
      stream: withReports,
      settings: { batchSize: 3, reportBatchItemFailures: true },
      invoke: () => {
        if (reported) return undefined;
        reported = true;
        return { batchItemFailures: [{ itemIdentifier: '20' }] };
      },
    });
    assert.deepEqual(a.invocations, [
      ['10', '20', '30'],
      ['20', '30'],
    ]);

    const withoutReports = new InMemoryStream();
    withoutReports.append(['10', '20', '30']);
    const b = await runMapping({
      stream: withoutReports,
      settings: { batchSize: 3, reportBatchItemFailures: false },
      invoke: () => ({ batchItemFailures: [{ itemIdentifier: '20' }] }),
    });
    assert.deepEqual(b.invocations, [['10', '20', '30']]);
  });

  it('with onFailureDestination none sends nothing to the queue, even when one is configured', async () => {
    const stream = new InMemoryStream();
    stream.append(['10']);
    const { onFailure, events } = await runMapping({
      stream,
      settings: { maximumRetryAttempts: 0, onFailureDestination: 'none' },
      invoke: fail,
    });
    assert.deepEqual(onFailure, []);
    assert.ok(
      events.some((e) => e.type === 'on-failure'),
      'the give-up is still reported as an event',
    );
  });

  it('runs the deployed definition by default: unlimited retries and age, bisect, batch item failures, the DLQ', () => {
    const { pollIntervalMs, functionName, retryBackoffMs, ...shared } = EsmSettings.parse({});
    void [pollIntervalMs, functionName, retryBackoffMs];
    assert.deepEqual(shared, STREAM_PROCESSOR_EVENT_SOURCE_MAPPING);
    assert.equal(STREAM_PROCESSOR_EVENT_SOURCE_MAPPING.maximumRetryAttempts, -1);
    assert.equal(STREAM_PROCESSOR_EVENT_SOURCE_MAPPING.maximumRecordAgeSeconds, -1);
    assert.throws(() => EsmSettings.parse({ maximumRecordAgeSeconds: 30 }), /maximumRecordAgeSeconds is -1 \(unlimited\) or 60/);
  });
});
