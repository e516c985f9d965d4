import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type DynamoDBStreamsClient,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { z } from 'zod';
import { AwsErrorCounter } from './AwsErrorCounter.ts';
import { interpretResponse } from './batchResult.ts';
import { onFailureRecord } from './onFailureRecord.ts';
import type { CheckpointStore } from './CheckpointStore.ts';
import { toLambdaRecord } from '../../pipeline/aws/index.ts';
import { EventSourceMappingSettings, OnFailureDestination } from '../../pipeline/stream-processor/index.ts';

/**
 * Settings of the local mapping: the definition the deployed mapping also uses (batch size,
 * window, starting position, bisect, retries, record age, ReportBatchItemFailures, on-failure
 * destination; defaults = STREAM_PROCESSOR_EVENT_SOURCE_MAPPING), plus what only a local poller
 * has. https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html
 */
export const EsmSettings = EventSourceMappingSettings.extend({
  /** AWS polls each shard about four times a second. */
  pollIntervalMs: z.number().int().min(10).default(250),
  functionName: z.string().default('chargeback-stream-processor'),
  /** Back-off between retries of a failed batch (AWS does not document its own). */
  retryBackoffMs: z
    .object({ initial: z.number().int().min(0), max: z.number().int().min(0) })
    .default({ initial: 400, max: 10_000 }),
});
export type EsmSettings = z.input<typeof EsmSettings>;

export interface EsmPorts {
  ddb: DynamoDBClient;
  streams: DynamoDBStreamsClient;
  sqs: SQSClient;
  tableName: string;
  region: string;
  /** The on-failure destination (SQS queue URL); without one, exhausted batches are only logged. */
  onFailureQueueUrl?: string;
  checkpoints: CheckpointStore;
  invoke(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse | undefined>;
  onEvent?(e: EsmEvent): void;
}

export type EsmEvent =
  | { type: 'batch'; shardId: string; size: number; result: 'success' | 'partial' | 'error'; detail?: string }
  | { type: 'on-failure'; shardId: string; size: number; condition: string }
  | { type: 'stream'; streamArn: string }
  | { type: 'poll-error'; message: string };

/**
 * The local stand-in for Lambda's event source mapping (DESIGN §5): per-shard ordering, batch
 * size and batching window, starting position, retries with bisect on function error,
 * ReportBatchItemFailures (resume at the lowest failed record), maximum record age and retry
 * attempts, and an SQS on-failure destination with AWS's metadata-only record shape.
 * Documented divergences: docs/local-vs-aws.md.
 */
export class EventSourceMapping {
  private readonly s: z.output<typeof EsmSettings>;
  private stopped = false;
  /** The stream being followed; a shard loop of an older stream (table re-created) ends by itself. */
  private currentArn: string | undefined;
  private running: Promise<void> | undefined;
  readonly stats = { batches: 0, records: 0, failedInvocations: 0, onFailure: 0, iteratorAgeMs: 0 };
  /** Failed AWS call attempts by kind and operation, retried ones included (published as EsmUpstreamErrors). */
  readonly awsErrors = new AwsErrorCounter();

  constructor(
    private readonly ports: EsmPorts,
    settings: EsmSettings = {},
  ) {
    this.s = EsmSettings.parse(settings);
    for (const client of [ports.ddb, ports.streams, ports.sqs]) this.awsErrors.watch(client);
  }

  start(): void {
    this.running ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  /** Follows the table's latest stream (a re-created table gets a new one) and each of its shards. */
  private async run(): Promise<void> {
    const shardLoops = new Map<string, Promise<void>>();
    while (!this.stopped) {
      try {
        const t = await this.ports.ddb.send(new DescribeTableCommand({ TableName: this.ports.tableName }));
        const arn = t.Table?.LatestStreamArn;
        if (arn && arn !== this.currentArn) {
          this.currentArn = arn;
          this.ports.onEvent?.({ type: 'stream', streamArn: arn });
        }
        if (arn) {
          const d = await this.ports.streams.send(new DescribeStreamCommand({ StreamArn: arn }));
          for (const shard of d.StreamDescription?.Shards ?? []) {
            const key = `${arn}|${shard.ShardId}`;
            // AWS processes a parent shard before its children; start a child once its parent loop ended.
            const parent = shard.ParentShardId ? shardLoops.get(`${arn}|${shard.ParentShardId}`) : undefined;
            if (!shardLoops.has(key)) {
              // A loop that ended (closed shard, lost iterator) is forgotten, so it restarts from its checkpoint if the shard is still listed.
              const loop = (parent ?? Promise.resolve())
                .then(() => this.pollShard(arn, shard.ShardId!))
                .finally(() => shardLoops.delete(key));
              shardLoops.set(key, loop);
            }
          }
        }
      } catch (e) {
        this.ports.onEvent?.({ type: 'poll-error', message: (e as Error).message });
      }
      await sleep(2_000, () => this.stopped);
    }
    await Promise.all(shardLoops.values());
  }

  private async pollShard(streamArn: string, shardId: string): Promise<void> {
    let iterator = await this.initialIterator(streamArn, shardId).catch((e: Error) => {
      this.ports.onEvent?.({ type: 'poll-error', message: `shard ${shardId}: no iterator: ${e.message}` });
      return undefined;
    });
    let pending: StreamRecord[] = [];
    let windowStart = 0;
    while (!this.stopped && iterator && this.currentArn === streamArn) {
      try {
        const r = await this.ports.streams.send(
          new GetRecordsCommand({ ShardIterator: iterator, Limit: Math.min(1000, this.s.batchSize) }),
        );
        iterator = r.NextShardIterator;
        if (r.Records?.length) {
          if (pending.length === 0) windowStart = Date.now();
          pending.push(...r.Records);
        }
        const windowOver = Date.now() - windowStart >= this.s.maximumBatchingWindowSeconds * 1000;
        while (pending.length >= this.s.batchSize || (pending.length > 0 && (windowOver || !iterator))) {
          const batch = pending.slice(0, this.s.batchSize).map((x) => toLambdaRecord(x, streamArn, this.ports.region));
          pending = pending.slice(this.s.batchSize);
          await this.deliver(streamArn, shardId, batch);
          if (this.stopped) return;
        }
        if (!r.Records?.length) await sleep(this.s.pollIntervalMs, () => this.stopped);
      } catch (e) {
        this.ports.onEvent?.({ type: 'poll-error', message: `shard ${shardId}: ${(e as Error).message}` });
        await sleep(1_000, () => this.stopped);
        // The iterator may have expired (AWS: after 15 minutes) or vanished (moto reset): start
        // again from the checkpoint, dropping records read but not yet delivered — they are re-read.
        pending = [];
        iterator = await this.initialIterator(streamArn, shardId).catch(() => undefined);
      }
    }
  }

  private async initialIterator(streamArn: string, shardId: string): Promise<string | undefined> {
    const after = this.ports.checkpoints.get(streamArn, shardId);
    const r = await this.ports.streams.send(
      new GetShardIteratorCommand(
        after
          ? { StreamArn: streamArn, ShardId: shardId, ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after }
          : { StreamArn: streamArn, ShardId: shardId, ShardIteratorType: this.s.startingPosition },
      ),
    );
    return r.ShardIterator;
  }

  /** Hands one batch to the function until it succeeds or is given up to the on-failure destination. */
  private async deliver(streamArn: string, shardId: string, records: DynamoDBRecord[]): Promise<void> {
    const queue: DynamoDBRecord[][] = [records];
    while (queue.length && !this.stopped) {
      let batch = queue.shift()!;
      let attempts = 0;
      for (;;) {
        batch = await this.dropExpired(streamArn, shardId, batch, attempts);
        if (batch.length === 0) break;
        const result = await this.invoke(streamArn, batch);
        this.stats.batches++;
        this.ports.onEvent?.({
          type: 'batch',
          shardId,
          size: batch.length,
          result: result.kind,
          ...(result.kind === 'error' ? { detail: result.message } : {}),
        });
        if (result.kind === 'success') {
          this.stats.records += batch.length;
          this.checkpoint(streamArn, shardId, batch[batch.length - 1]!);
          break;
        }
        this.stats.failedInvocations++;
        if (result.kind === 'partial') {
          // Everything before the lowest failure is done; AWS retries from that record on.
          if (result.index > 0) {
            this.stats.records += result.index;
            this.checkpoint(streamArn, shardId, batch[result.index - 1]!);
          }
          batch = batch.slice(result.index);
        } else if (this.s.bisectBatchOnFunctionError && batch.length > 1) {
          // Bisecting does not count against the retry attempts (AWS behaviour).
          const mid = Math.ceil(batch.length / 2);
          queue.unshift(batch.slice(0, mid), batch.slice(mid));
          break;
        }
        attempts++;
        if (this.s.maximumRetryAttempts >= 0 && attempts > this.s.maximumRetryAttempts) {
          await this.giveUp(streamArn, shardId, batch, 'RetryAttemptsExhausted', attempts);
          break;
        }
        const { initial, max } = this.s.retryBackoffMs;
        await sleep(Math.min(initial * 2 ** Math.min(attempts - 1, 16), max), () => this.stopped);
        if (this.stopped) return;
      }
    }
  }

  private async invoke(streamArn: string, batch: DynamoDBRecord[]) {
    void streamArn;
    try {
      const response = await this.ports.invoke({ Records: batch });
      // Without ReportBatchItemFailures AWS ignores what the function returns: only a throw fails the batch.
      return interpretResponse(batch, this.s.reportBatchItemFailures ? response : undefined);
    } catch (e) {
      return { kind: 'error' as const, message: (e as Error).message };
    }
  }

  private async dropExpired(
    streamArn: string,
    shardId: string,
    batch: DynamoDBRecord[],
    attempts: number,
  ): Promise<DynamoDBRecord[]> {
    const newest = batch[batch.length - 1]?.dynamodb?.ApproximateCreationDateTime;
    if (newest !== undefined) this.stats.iteratorAgeMs = Math.max(0, Date.now() - newest * 1000);
    if (this.s.maximumRecordAgeSeconds < 0) return batch;
    const cutoff = Date.now() / 1000 - this.s.maximumRecordAgeSeconds;
    const expired = batch.filter((r) => (r.dynamodb?.ApproximateCreationDateTime ?? 0) < cutoff);
    if (expired.length) await this.giveUp(streamArn, shardId, expired, 'RecordAgeExceeded', attempts);
    return batch.slice(expired.length);
  }

  private async giveUp(
    streamArn: string,
    shardId: string,
    batch: DynamoDBRecord[],
    condition: 'RetryAttemptsExhausted' | 'RecordAgeExceeded',
    invokeCount: number,
  ) {
    this.stats.onFailure += batch.length;
    this.ports.onEvent?.({ type: 'on-failure', shardId, size: batch.length, condition });
    if (this.ports.onFailureQueueUrl && this.s.onFailureDestination === OnFailureDestination.DEAD_LETTER_QUEUE) {
      const body = onFailureRecord({
        batch,
        shardId,
        streamArn,
        condition,
        invokeCount,
        functionName: this.s.functionName,
        region: this.ports.region,
      });
      await this.ports.sqs.send(
        new SendMessageCommand({ QueueUrl: this.ports.onFailureQueueUrl, MessageBody: JSON.stringify(body) }),
      );
    }
    this.checkpoint(streamArn, shardId, batch[batch.length - 1]!);
  }

  private checkpoint(streamArn: string, shardId: string, record: DynamoDBRecord): void {
    const seq = record.dynamodb?.SequenceNumber;
    if (seq) this.ports.checkpoints.set(streamArn, shardId, seq);
  }
}

function sleep(ms: number, stop: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const started = Date.now();
    const tick = () => (stop() || Date.now() - started >= ms ? resolve() : setTimeout(tick, Math.min(50, ms)));
    tick();
  });
}
