import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { EachBatchPayload } from 'kafkajs';
import { createBucketAssigner, type BucketAssigner } from './BucketAssigner.ts';
import { CheckpointScheduler } from './CheckpointScheduler.ts';
import { DeadLetterPublisher, type DeadLetterSource } from './DeadLetterPublisher.ts';
import { WriterStoppedError } from './errors.ts';
import { FlushTimer } from './FlushTimer.ts';
import { GroupOffsets } from './GroupOffsets.ts';
import { LandingStore, s3ClientFor } from './LandingStore.ts';
import { MemoryBudget } from './MemoryBudget.ts';
import { PartitionAssignments } from './PartitionAssignments.ts';
import { ProgressStore } from './PartitionProgress.ts';
import type { PartitionWriter } from './PartitionWriter.ts';
import type { RetryInfo } from './retryForever.ts';
import { RollingPolicy, RollReason } from './RollingPolicy.ts';
import { takeRecord } from './takeRecord.ts';
import type { ResolvedWriterConfig } from './WriterConfig.ts';
import type { WriterEvent } from './WriterEvent.ts';
import { WriterKafkaClients } from './WriterKafkaClients.ts';
import { collectStats, emptyCounters, type WriterStats } from './WriterStats.ts';

/**
 * Kafka `chargebacks` → Parquet part files in S3, exactly once per Kafka record. This class wires
 * the parts together and takes the records of each batch; the parts are:
 *
 * - `WriterKafkaClients`: consumer (auto-commit off), dead-letter producer, admin; their lifecycle;
 * - `PartitionAssignments`: the partitions owned through rebalances, each recovered before use;
 * - `takeRecord`: one record → appended, dead-lettered or dropped as an upstream duplicate;
 * - `CheckpointScheduler`: a roll is a checkpoint of the partition, committed by `commitCheckpoint`;
 * - `FlushTimer`: rolls idle partitions; `MemoryBudget`: rolls early and pauses at `maxBufferedBytes`;
 * - `GroupOffsets`: the consumer group's offsets, committed after each checkpoint.
 *
 * The commit protocol: README.md § "Lifecycle and exactly once".
 */
export class LandingWriter {
  readonly writerId = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  readonly done: Promise<void>;
  private readonly counters = emptyCounters();
  private readonly policy: RollingPolicy;
  private readonly assigner: BucketAssigner;
  private readonly abort = new AbortController();
  /** Aborted by stop(): a dead-letter retry waiting inside a batch gives up, so the batch ends. */
  private readonly stopTaking = new AbortController();
  private readonly kafka: WriterKafkaClients;
  private readonly dlq: DeadLetterPublisher;
  private readonly offsets: GroupOffsets;
  private readonly assignments: PartitionAssignments;
  private readonly checkpoints: CheckpointScheduler;
  private readonly memory: MemoryBudget;
  private readonly flushTimer: FlushTimer;
  private stopping: Promise<void> | undefined;
  private batchesRunning = 0;
  private batchesIdle: Array<() => void> = [];
  private settle!: { resolve: () => void; reject: (e: Error) => void };
  private fatal: Error | undefined;

  constructor(private readonly config: ResolvedWriterConfig) {
    this.done = new Promise((resolve, reject) => {
      this.settle = { resolve, reject };
    });
    this.done.catch(() => undefined); // a rejection is reported through `done`; never an unhandled rejection
    this.policy = new RollingPolicy({
      rolloverMs: config.rolloverMs,
      maxPartBytes: config.maxPartBytes,
      inactivityMs: config.inactivityMs,
    });
    this.assigner = createBucketAssigner(config.bucketBy);
    const emit = (e: WriterEvent) => this.emit(e);
    const fail = (e: unknown) => this.fail(e);
    const onRetry = (i: RetryInfo) =>
      this.emit({
        type: 'retrying',
        operation: i.operation,
        attempt: i.attempt,
        delayMs: i.delayMs,
        error: `${i.error.name}: ${i.error.message}`,
      });
    const store = new LandingStore(s3ClientFor(config.s3), {
      bucket: config.bucket,
      backoff: config.retry,
      onRetry,
      signal: this.abort.signal,
    });
    const progress = new ProgressStore(store, config.statePrefix, config.topic);
    this.kafka = new WriterKafkaClients(config);
    this.dlq = new DeadLetterPublisher(this.kafka.producer, config.dlqTopic, {
      backoff: config.retry,
      onRetry,
      signal: AbortSignal.any([this.abort.signal, this.stopTaking.signal]),
      store,
    });
    this.offsets = new GroupOffsets(this.kafka, config.groupId, config.topic, emit);
    this.assignments = new PartitionAssignments({
      recovery: {
        store,
        progress,
        prefix: config.prefix,
        topic: config.topic,
        writerId: this.writerId,
        dedupWindow: config.dedupWindow,
        emit,
      },
      offsets: this.offsets,
      logEnd: (p) => this.logEnd(p),
      topic: config.topic,
      rowGroupMaxBytes: config.rowGroupMaxBytes,
      now: config.now,
      emit,
      fail,
    });
    const owned = () => this.assignments.writers.values();
    this.checkpoints = new CheckpointScheduler(
      {
        store,
        progress,
        prefix: config.prefix,
        topic: config.topic,
        commitKafkaOffset: (p, next) => {
          const pw = this.assignments.writers.get(p);
          return this.offsets.commit(p, next, pw !== undefined && !pw.invalidated);
        },
        emit,
      },
      { afterCommit: () => this.applyBackpressure(), fail },
    );
    this.memory = new MemoryBudget(config.maxBufferedBytes, {
      owned,
      draining: () => this.checkpoints.draining,
      rollEarly: (pw) => this.checkpoints.checkpoint(pw, RollReason.MEMORY),
      pause: () => this.kafka.pause(),
      resume: () => this.kafka.resume(),
      emit,
    });
    this.flushTimer = new FlushTimer(this.policy, {
      now: config.now,
      owned,
      checkpoint: (pw, reason) => this.checkpoints.checkpoint(pw, reason),
      afterTick: () => this.applyBackpressure(),
    });
  }

  async start(): Promise<void> {
    await this.kafka.start({
      onAssignment: (partitions) => this.assignments.onAssignment(partitions),
      onFatal: (e) => this.fail(e),
      eachBatch: (payload) => this.onBatch(payload),
    });
    this.flushTimer.start();
    const { groupId, topic, bucket, prefix, statePrefix } = this.config;
    this.emit({ type: 'started', groupId, topic, bucket, prefix, statePrefix });
  }

  stats(): WriterStats {
    return collectStats(this.counters, this.assignments.writers, {
      bufferedBytes: this.memory.bufferedBytes(),
      paused: this.memory.paused,
      committed: this.offsets.committed,
    });
  }

  /** Graceful stop (SIGTERM): stop taking records, checkpoint every open part, commit, disconnect. */
  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private async shutdown(): Promise<void> {
    this.emit({ type: 'stopping' });
    this.stopTaking.abort();
    this.flushTimer.stop();
    this.kafka.pause(); // not running yet: nothing to pause
    await this.batchesDone();
    await this.assignments.recoveriesSettled();
    if (!this.fatal) for (const pw of this.assignments.writers.values()) this.checkpoints.checkpoint(pw, RollReason.STOP);
    await this.checkpoints.drained(() => this.assignments.writers.values());
    await this.kafka.disconnect();
    this.emit({ type: 'stopped' });
    if (this.fatal) this.settle.reject(this.fatal);
    else this.settle.resolve();
  }

  private fail(e: unknown): void {
    if (e instanceof WriterStoppedError) return;
    if (this.fatal) return;
    this.fatal = e instanceof Error ? e : new Error(String(e));
    this.emit({ type: 'fatal', error: this.fatal.message });
    this.abort.abort();
    for (const pw of this.assignments.writers.values()) pw.invalidate();
    void this.stop();
  }

  private emit(e: WriterEvent): void {
    if (e.type === 'file-committed') {
      this.counters.filesCommitted++;
      this.counters.rowsLanded += e.rows;
      this.counters.bytesCommitted += e.bytes;
      this.counters.lastCommitAt = new Date().toISOString();
    }
    try {
      this.config.onEvent?.(e);
    } catch {
      // a faulty listener must not break the writer
    }
  }

  private async onBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    if (this.stopping || batch.messages.length === 0) return;
    this.batchesRunning++;
    try {
      const p = batch.partition;
      let pw: PartitionWriter | undefined = this.assignments.writers.get(p);
      if (!pw || pw.invalidated) pw = await this.assignments.recovery(p);
      if (pw.invalidated) return;
      const seek = this.assignments.takeSeekTarget(p);
      if (seek !== undefined && BigInt(batch.messages[0]!.offset) !== seek) {
        // kafkajs fetched from the group offset; resume exactly where the landed data ends.
        this.kafka.consumer.seek({ topic: batch.topic, partition: p, offset: seek.toString() });
        return;
      }
      for (const message of batch.messages) {
        if (!isRunning() || isStale() || pw.invalidated || this.stopping) break;
        const offset = BigInt(message.offset);
        if (offset < pw.nextOffset) {
          resolveOffset(message.offset); // already landed, dead-lettered or dropped
          continue;
        }
        if (offset > pw.nextOffset)
          this.emit({ type: 'offset-gap', partition: p, expected: pw.nextOffset.toString(), got: message.offset });
        this.counters.recordsConsumed++;
        const outcome = await takeRecord(pw, offset, message.value, {
          assigner: this.assigner,
          nowMs: this.config.now(),
          deadLetter: (reason) => this.deadLetter({ topic: batch.topic, partition: p, message }, reason, heartbeat),
        }).catch((e: unknown) => {
          // stop() gave up a waiting dead-letter retry: the record stays unprocessed, consumed again later.
          if (e instanceof WriterStoppedError) return undefined;
          throw e;
        });
        if (!outcome) break;
        resolveOffset(message.offset);
        if (outcome.kind === 'dead-lettered') {
          this.counters.dlqRecords++;
          this.emit({ type: 'dead-lettered', partition: p, offset: message.offset, reason: outcome.reason });
        } else if (outcome.kind === 'duplicate') {
          this.counters.duplicatesDropped++;
          this.emit({
            type: 'duplicate-dropped',
            partition: p,
            offset: message.offset,
            eventId: outcome.record.event_id,
            verdict: outcome.verdict,
          });
        } else {
          if (outcome.late) this.counters.lateRecords++;
          if (this.policy.shouldRollOnEvent(outcome.part)) this.checkpoints.checkpoint(pw, RollReason.SIZE);
        }
      }
      this.applyBackpressure();
      await heartbeat();
    } finally {
      this.batchesRunning--;
      if (this.batchesRunning === 0) for (const wake of this.batchesIdle.splice(0)) wake();
    }
  }

  private async deadLetter(source: DeadLetterSource, reason: string, heartbeat: () => Promise<void>): Promise<void> {
    const outcome = await this.dlq.publish(source, reason, heartbeat);
    if (outcome.kind === 'topic') return;
    this.counters.dlqStoredInS3++;
    this.emit({
      type: 'dead-letter-stored',
      partition: source.partition,
      offset: source.message.offset,
      uri: outcome.uri,
      pointerSent: outcome.kind === 's3-pointer',
      rejectedBecause: outcome.rejectedBecause,
    });
  }

  private async logEnd(partition: number): Promise<bigint> {
    const offsets = await this.kafka.admin.fetchTopicOffsets(this.config.topic);
    const high = offsets.find((o) => o.partition === partition)?.high;
    if (high === undefined) throw new Error(`topic ${this.config.topic} has no partition ${partition}`);
    return BigInt(high);
  }

  private applyBackpressure(): void {
    if (!this.stopping) this.memory.apply();
  }

  private batchesDone(): Promise<void> {
    if (this.batchesRunning === 0) return Promise.resolve();
    return new Promise((resolve) => this.batchesIdle.push(resolve));
  }
}
