import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Admin, Consumer, EachBatchPayload, Producer } from 'kafkajs';
import { createKafka } from '../kafka/index.ts';
import { Backpressure } from './Backpressure.ts';
import { createBucketAssigner, type BucketAssigner } from './BucketAssigner.ts';
import { commitCheckpoint, type CommitterDeps } from './CheckpointCommitter.ts';
import { DeadLetterPublisher } from './DeadLetterPublisher.ts';
import { WriterStoppedError } from './errors.ts';
import { LandingStore, s3ClientFor } from './LandingStore.ts';
import { ProgressStore } from './PartitionProgress.ts';
import { recoverPartition, type RecoveryDeps } from './PartitionRecovery.ts';
import { PartitionWriter } from './PartitionWriter.ts';
import type { RetryInfo } from './retryForever.ts';
import { takeRecord } from './takeRecord.ts';
import { RollingPolicy, RollReason } from './RollingPolicy.ts';
import type { ResolvedWriterConfig } from './WriterConfig.ts';
import type { WriterEvent } from './WriterEvent.ts';
import { collectStats, emptyCounters, type WriterStats } from './WriterStats.ts';

/**
 * Kafka `chargebacks` → Parquet part files in S3, exactly once per Kafka record.
 *
 * The consumer (group `flink-parquet-writer`, auto-commit off) decodes each record; good ones
 * are appended to the open part of their bucket, poison ones dead-lettered, upstream duplicates
 * dropped. Parts roll per partition by size, interval and inactivity (a flush timer catches idle
 * partitions); each roll is a checkpoint committed by `commitCheckpoint`. When buffered bytes
 * reach `maxBufferedBytes` the biggest partition is rolled early and the consumer paused until
 * uploads drain. See README.md for the protocol.
 */
export class LandingWriter {
  readonly writerId = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  private readonly counters = emptyCounters();
  private readonly partitions = new Map<number, PartitionWriter>();
  /** Partition writers with checkpoints still running (includes revoked ones until they finish). */
  private readonly draining = new Set<PartitionWriter>();
  private readonly committed = new Map<number, bigint>();
  private readonly policy: RollingPolicy;
  private readonly assigner: BucketAssigner;
  private readonly abort = new AbortController();
  private readonly store: LandingStore;
  private readonly progress: ProgressStore;
  private readonly consumer: Consumer;
  private readonly producer: Producer;
  private readonly admin: Admin;
  private readonly dlq: DeadLetterPublisher;
  private readonly committerDeps: CommitterDeps;
  private readonly recoveryDeps: RecoveryDeps;
  private timer: NodeJS.Timeout | undefined;
  private readonly backpressure: Backpressure;
  /** Offsets to seek to on the next batch of a freshly recovered partition. */
  private readonly seekTarget = new Map<number, bigint>();
  private readonly recovering = new Map<number, Promise<PartitionWriter>>();
  private assigned = new Set<number>();
  private stopping: Promise<void> | undefined;
  private batchesRunning = 0;
  private batchesIdle: Array<() => void> = [];
  private settle!: { resolve: () => void; reject: (e: Error) => void };
  private fatal: Error | undefined;
  readonly done: Promise<void>;

  constructor(private readonly config: ResolvedWriterConfig) {
    this.done = new Promise((resolve, reject) => (this.settle = { resolve, reject }));
    this.done.catch(() => undefined); // a rejection is reported through `done`; never an unhandled rejection
    this.policy = new RollingPolicy({
      rolloverMs: config.rolloverMs,
      maxPartBytes: config.maxPartBytes,
      inactivityMs: config.inactivityMs,
    });
    this.assigner = createBucketAssigner(config.bucketBy);
    this.backpressure = new Backpressure(config.maxBufferedBytes);
    const onRetry = (i: RetryInfo) =>
      this.emit({
        type: 'retrying',
        operation: i.operation,
        attempt: i.attempt,
        delayMs: i.delayMs,
        error: `${i.error.name}: ${i.error.message}`,
      });
    this.store = new LandingStore(s3ClientFor(config.s3), {
      bucket: config.bucket,
      backoff: config.retry,
      onRetry,
      signal: this.abort.signal,
    });
    this.progress = new ProgressStore(this.store, config.statePrefix, config.topic);
    const kafka = createKafka({
      brokers: config.brokers,
      clientId: config.clientId,
      auth: config.kafkaAuth,
      region: config.region,
    });
    this.consumer = kafka.consumer({
      groupId: config.groupId,
      sessionTimeout: config.sessionTimeoutMs,
      rebalanceTimeout: 60_000,
      heartbeatInterval: Math.min(3_000, Math.floor(config.sessionTimeoutMs / 3)),
      // Shorter fetch long-poll than kafkajs' 5 s: a graceful stop waits for the fetch in flight.
      maxWaitTimeInMs: 1_000,
    });
    this.producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
    this.admin = kafka.admin();
    this.dlq = new DeadLetterPublisher(this.producer, config.dlqTopic, {
      backoff: config.retry,
      onRetry,
      signal: this.abort.signal,
    });
    const emit = (e: WriterEvent) => this.emit(e);
    this.committerDeps = {
      store: this.store,
      progress: this.progress,
      prefix: config.prefix,
      topic: config.topic,
      commitKafkaOffset: (p, next) => this.commitKafkaOffset(p, next),
      emit,
    };
    this.recoveryDeps = {
      store: this.store,
      progress: this.progress,
      prefix: config.prefix,
      topic: config.topic,
      writerId: this.writerId,
      dedupWindow: config.dedupWindow,
      emit,
    };
  }

  async start(): Promise<void> {
    const { topic } = this.config;
    const brokers = this.config.brokers.join(',');
    await Promise.all([this.consumer.connect(), this.producer.connect(), this.admin.connect()]).catch((e: Error) => {
      throw new Error(`cannot connect to Kafka at ${brokers}: ${e.message} (is the stack up? check KAFKA_BROKERS)`, { cause: e });
    });
    const existing = new Set(await this.admin.listTopics());
    const missing = [topic, this.config.dlqTopic].filter((t) => !existing.has(t));
    if (missing.length)
      throw new Error(
        `Kafka at ${brokers} has no topic ${missing.join(' or ')}; create it (\`chargeback-cdc stack up\` does) or set KAFKA_TOPIC / DLQ_TOPIC`,
      );
    await this.consumer.subscribe({ topics: [topic], fromBeginning: true });
    this.consumer.on(this.consumer.events.GROUP_JOIN, ({ payload }) => this.onAssignment(payload.memberAssignment[topic] ?? []));
    this.consumer.on(this.consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart)
        this.fail(new Error(`Kafka consumer crashed and will not restart: ${payload.error.message}`, { cause: payload.error }));
    });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: (payload) => this.onBatch(payload),
    });
    const tickMs = Math.max(20, Math.min(1_000, Math.floor(Math.min(this.config.rolloverMs, this.config.inactivityMs) / 4)));
    this.timer = setInterval(() => this.tick(), tickMs);
    const { groupId, bucket, prefix, statePrefix } = this.config;
    this.emit({ type: 'started', groupId, topic, bucket, prefix, statePrefix });
  }

  stats(): WriterStats {
    return collectStats(this.counters, this.partitions, {
      bufferedBytes: this.bufferedBytes(),
      paused: this.backpressure.paused,
      committed: this.committed,
    });
  }

  /** Graceful stop (SIGTERM): stop taking records, checkpoint every open part, commit, disconnect. */
  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private async shutdown(): Promise<void> {
    this.emit({ type: 'stopping' });
    clearInterval(this.timer);
    try {
      this.consumer.pause([{ topic: this.config.topic }]);
    } catch {
      // not running yet: nothing to pause
    }
    await this.batchesDone();
    await Promise.allSettled(this.recovering.values());
    if (!this.fatal) for (const pw of this.partitions.values()) this.checkpoint(pw, RollReason.STOP);
    await this.drained();
    await Promise.allSettled([this.consumer.disconnect(), this.producer.disconnect(), this.admin.disconnect()]);
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
    for (const pw of this.partitions.values()) pw.invalidate();
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

  private onAssignment(assigned: number[]): void {
    this.assigned = new Set(assigned);
    const revoked = [...this.partitions.keys()].filter((p) => !this.assigned.has(p));
    for (const p of revoked) {
      // Its buffered records are consumed again by the new owner from the last checkpoint.
      this.partitions.get(p)!.invalidate();
      this.partitions.delete(p);
      this.committed.delete(p);
    }
    if (revoked.length) this.emit({ type: 'partitions-revoked', partitions: revoked });
    this.emit({ type: 'partitions-assigned', partitions: [...assigned].sort((a, b) => a - b) });
    // Recover at once, not at the partition's first record: an interrupted checkpoint's pending
    // files become visible even if no new record ever arrives.
    for (const p of assigned) if (!this.partitions.has(p)) this.recovery(p);
  }

  /** The partition's recovery, started once and shared by whoever needs the partition writer. */
  private recovery(partition: number): Promise<PartitionWriter> {
    let run = this.recovering.get(partition);
    if (!run) {
      run = this.recover(partition).finally(() => this.recovering.delete(partition));
      this.recovering.set(partition, run);
      run.catch((e: unknown) => this.fail(e));
    }
    return run;
  }

  private async onBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    if (this.stopping || batch.messages.length === 0) return;
    this.batchesRunning++;
    try {
      const p = batch.partition;
      let pw = this.partitions.get(p);
      if (!pw || pw.invalidated) pw = await this.recovery(p);
      if (pw.invalidated) return;
      const seek = this.seekTarget.get(p);
      if (seek !== undefined) {
        this.seekTarget.delete(p);
        if (BigInt(batch.messages[0]!.offset) !== seek) {
          // kafkajs fetched from the group offset; resume exactly where the landed data ends.
          this.consumer.seek({ topic: batch.topic, partition: p, offset: seek.toString() });
          return;
        }
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
          deadLetter: (reason) => this.dlq.publish({ topic: batch.topic, partition: p, message }, reason),
        });
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
          if (this.policy.shouldRollOnEvent(outcome.part)) this.checkpoint(pw, RollReason.SIZE);
        }
      }
      this.applyBackpressure();
      await heartbeat();
    } finally {
      this.batchesRunning--;
      if (this.batchesRunning === 0) for (const wake of this.batchesIdle.splice(0)) wake();
    }
  }

  private async recover(partition: number): Promise<PartitionWriter> {
    const recovered = await recoverPartition(partition, this.recoveryDeps);
    let through = recovered.through;
    // Our own group commits never run ahead of the progress object; if the group offset is ahead,
    // another engine (the Flink job) consumed this partition meanwhile and landed those records.
    const group = await this.groupOffset(partition);
    if (group !== undefined && group - 1n > through) through = group - 1n;
    const pw = new PartitionWriter(partition, { ...recovered, through }, this.config.rowGroupMaxBytes, this.config.now());
    if (!this.assigned.has(partition)) {
      pw.invalidate(); // revoked while recovering
      return pw;
    }
    this.partitions.set(partition, pw);
    this.seekTarget.set(partition, pw.nextOffset);
    this.committed.set(partition, through + 1n);
    await this.commitKafkaOffset(partition, through + 1n);
    return pw;
  }

  private async groupOffset(partition: number): Promise<bigint | undefined> {
    try {
      const [t] = await this.admin.fetchOffsets({ groupId: this.config.groupId, topics: [this.config.topic] });
      const o = t?.partitions.find((x) => x.partition === partition)?.offset;
      return o === undefined || Number(o) < 0 ? undefined : BigInt(o);
    } catch {
      return undefined; // the progress object alone is enough to resume safely
    }
  }

  private async commitKafkaOffset(partition: number, next: bigint): Promise<void> {
    const pw = this.partitions.get(partition);
    if (pw && !pw.invalidated && next > (this.committed.get(partition) ?? -1n)) this.committed.set(partition, next);
    try {
      await this.consumer.commitOffsets([{ topic: this.config.topic, partition, offset: next.toString() }]);
    } catch (e) {
      this.emit({ type: 'kafka-commit-failed', partition, offset: next.toString(), error: (e as Error).message });
    }
  }

  private checkpoint(pw: PartitionWriter, reason: string): void {
    const snap = pw.takeCheckpoint(reason);
    if (!snap) return;
    this.draining.add(pw);
    const run = pw.chain.then(async () => {
      await commitCheckpoint(pw, snap, this.committerDeps);
      this.applyBackpressure();
    });
    pw.chain = run.catch((e: unknown) => this.fail(e));
    const chain = pw.chain;
    void chain.then(() => {
      if (pw.chain === chain) this.draining.delete(pw);
    });
  }

  private tick(): void {
    if (this.stopping) return;
    const now = this.config.now();
    for (const pw of this.partitions.values()) {
      if (pw.invalidated) continue;
      const reason = pw.rollReason(this.policy, now);
      if (reason) this.checkpoint(pw, reason);
    }
    this.applyBackpressure();
  }

  private bufferedBytes(): number {
    let n = 0;
    const all = new Set([...this.partitions.values(), ...this.draining]);
    for (const pw of all) n += pw.bufferedBytes;
    return n;
  }

  private applyBackpressure(): void {
    if (this.stopping) return;
    const used = this.bufferedBytes();
    const decision = this.backpressure.decide(used);
    if (decision.rollBiggest) {
      let biggest: PartitionWriter | undefined;
      let biggestOpen = 0;
      for (const pw of this.partitions.values()) {
        const open = pw.bufferedBytes - pw.inFlightBytes;
        if (open > biggestOpen) [biggest, biggestOpen] = [pw, open];
      }
      if (biggest) this.checkpoint(biggest, RollReason.MEMORY);
    }
    if (decision.pause === undefined) return;
    try {
      if (decision.pause) this.consumer.pause([{ topic: this.config.topic }]);
      else this.consumer.resume([{ topic: this.config.topic }]);
      this.backpressure.paused = decision.pause;
      this.emit({
        type: 'backpressure',
        paused: decision.pause,
        bufferedBytes: used,
        maxBufferedBytes: this.config.maxBufferedBytes,
      });
    } catch {
      // consumer not running (starting or stopping): the next evaluation retries
    }
  }

  private batchesDone(): Promise<void> {
    if (this.batchesRunning === 0) return Promise.resolve();
    return new Promise((resolve) => this.batchesIdle.push(resolve));
  }

  private async drained(): Promise<void> {
    for (;;) {
      const pending = [...this.partitions.values(), ...this.draining].map((pw) => pw.chain);
      await Promise.all(pending);
      if ([...this.partitions.values(), ...this.draining].every((pw) => pending.includes(pw.chain))) return;
    }
  }
}
