import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { ensureFlinkJarBuilt, flinkJarPath } from '../../pipeline/flink-job/index.ts';
import {
  createPorts,
  processStreamBatch,
  type KafkaMessage,
  type StreamProcessorPorts,
} from '../../pipeline/stream-processor/index.ts';
import type { BenchStack } from '../BenchStack.ts';
import { streamRecordAt, type Workload } from '../changeRecords.ts';
import { progress } from '../progress.ts';
import { ratePerSecond, STREAM_BATCH_SIZES, type StreamProcessorRun } from '../summary.ts';

const run = promisify(execFile);

/** MSK Serverless's fixed maximum message (record batch) size; the local broker's default is 1 MiB. */
export const MSK_SERVERLESS_MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

/**
 * The stream-processor Lambda's batch logic at the event source mapping's batch sizes, one batch
 * at a time as Lambda invokes it per shard: `processStreamBatch` with the real ports
 * (`createPorts`: idempotent kafkajs producer, acks=all, one request in flight) on a topic of
 * this run. Next to it, the same batches with a publish port that does nothing (the handler's
 * own ceiling) and the same messages pre-encoded straight to the producer (Kafka's ceiling).
 *
 * The topic allows 8 MiB record batches like MSK Serverless: processStreamBatch sends a whole
 * batch in one produce call, and 10 000 records (~3 300 per partition, ~1.9 MB) exceed the 1 MiB
 * that a broker with default settings (our local stack's) accepts — `probeDefaultTopic` checks that.
 */
export async function measureStreamProcessor(
  stack: BenchStack,
  o: {
    recordsPerBatchSize: (batchSize: number) => number;
    batchSizes?: readonly number[];
    variant?: string;
    /** Skip the Java-client reference (it does not depend on the handler). */
    withoutJava?: boolean;
  },
): Promise<StreamProcessorRun[]> {
  const { createPorts, processStreamBatch } = await import('../../pipeline/stream-processor/index.ts');
  const sizes = o.batchSizes ?? STREAM_BATCH_SIZES;
  const topic = await stack.createTopic(o.variant ?? 'stream-processor', [
    { name: 'max.message.bytes', value: String(MSK_SERVERLESS_MAX_MESSAGE_BYTES) },
  ]);
  const dlqQueueUrl = await stack.createQueue(`${o.variant ?? 'stream'}-dlq`);
  const ports = createPorts({ ...process.env, KAFKA_TOPIC: topic, DLQ_QUEUE_URL: dlqQueueUrl });
  const workload: Workload = { total: Math.max(...sizes.map(o.recordsPerBatchSize)), runId: `${stack.runId}sp` };
  const runs: StreamProcessorRun[] = [];
  try {
    // Connect and warm the JIT on a small batch first (a Lambda's first invocation is a cold start; we measure warm ones).
    await processStreamBatch(events(workload, 0, 500, 500)[0]!, ports);
    for (const batchSize of sizes) {
      const records = o.recordsPerBatchSize(batchSize);
      const batches = events(workload, 0, records, batchSize);
      const noKafka: StreamProcessorPorts = { ...ports, publish: async () => undefined };
      const handlerMs = await timed(async () => {
        for (const e of batches) check(await processStreamBatch(e, noKafka), e);
      });
      const ms = await timed(async () => {
        for (const e of batches) check(await processStreamBatch(e, ports), e);
      });
      const messages = await Promise.all(batches.map((e) => toMessages(e)));
      const kafkaMs = await timed(async () => {
        for (const m of messages) await ports.publish(m);
      });
      const javaRecordsPerS = o.withoutJava
        ? undefined
        : await javaProducerCeiling(stack, topic, batchSize, messages.flat()).catch((e: Error) => {
            progress(`  Java producer reference not measured: ${e.message}`);
            return undefined;
          });
      runs.push({
        batchSize,
        batches: batches.length,
        records,
        ms,
        recordsPerS: ratePerSecond(records, ms)!,
        withoutKafkaRecordsPerS: ratePerSecond(records, handlerMs),
        kafkaOnlyRecordsPerS: ratePerSecond(records, kafkaMs),
        ...(javaRecordsPerS ? { javaProducerRecordsPerS: javaRecordsPerS } : {}),
      });
      const r = runs.at(-1)!;
      progress(
        `  batch ${batchSize}: ${r.recordsPerS.toLocaleString('en-US')} records/s (handler alone ${r.withoutKafkaRecordsPerS?.toLocaleString('en-US')}, kafkajs producer alone ${r.kafkaOnlyRecordsPerS?.toLocaleString('en-US')}, Java producer ${r.javaProducerRecordsPerS?.toLocaleString('en-US') ?? '—'})`,
      );
    }
  } finally {
    await ports.producer.disconnect().catch(() => undefined);
  }
  return runs;
}

/** Whether one batch of `batchSize` records publishes on a topic with the broker's default settings (like `chargebacks` locally). */
export async function probeDefaultTopic(stack: BenchStack, batchSize: number): Promise<{ ok: boolean; error?: string }> {
  const topic = await stack.createTopic(`stream-processor-default-${batchSize}`);
  const ports = {
    ...createPorts({ ...process.env, KAFKA_TOPIC: topic, DLQ_QUEUE_URL: 'http://unused.invalid/' }),
    log: undefined,
  };
  try {
    const [e] = events({ total: batchSize, runId: `${stack.runId}probe` }, 0, batchSize, batchSize);
    const outcome = await processStreamBatch(e!, ports).catch((err: Error) => err);
    if (outcome instanceof Error) {
      // Powertools' FullBatchFailureError carries each record's error; they are all the same publish failure.
      const cause = (outcome as Error & { recordErrors?: Error[] }).recordErrors?.[0]?.message ?? outcome.message;
      return { ok: false, error: cause };
    }
    return outcome.published === batchSize
      ? { ok: true }
      : { ok: false, error: `${outcome.failed} of ${batchSize} records failed` };
  } finally {
    await ports.producer.disconnect().catch(() => undefined);
  }
}

function events(w: Workload, from: number, to: number, batchSize: number): DynamoDBStreamEvent[] {
  const out: DynamoDBStreamEvent[] = [];
  for (let i = from; i < to; i += batchSize) {
    const Records = [];
    for (let j = i; j < Math.min(to, i + batchSize); j++) Records.push(streamRecordAt(w, j));
    out.push({ Records });
  }
  return out;
}

/** The benchmark's records are all valid: any failure is a broken measurement, not a data point. */
function check(outcome: Awaited<ReturnType<typeof processStreamBatch>>, e: DynamoDBStreamEvent): void {
  if (outcome.failed || outcome.deadLettered || outcome.published !== e.Records.length) {
    throw new Error(
      `stream-processor batch of ${e.Records.length}: ${outcome.published} published, ${outcome.deadLettered} dead-lettered, ${outcome.failed} failed`,
    );
  }
}

/** The messages processStreamBatch would send for an all-valid batch (for the producer-only ceiling). */
async function toMessages(e: DynamoDBStreamEvent): Promise<KafkaMessage[]> {
  const sent: KafkaMessage[] = [];
  await processStreamBatch(e, { publish: async (m) => void sent.push(...m), deadLetter: async () => undefined });
  return sent;
}

/** bench/java/ProducerCeiling.java on the same messages (key TAB value per line; our JSON has no raw tabs or newlines). */
async function javaProducerCeiling(
  stack: BenchStack,
  topic: string,
  batchSize: number,
  messages: KafkaMessage[],
): Promise<number | undefined> {
  await ensureFlinkJarBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'bench-java-producer-'));
  try {
    const file = join(dir, 'messages.tsv');
    writeFileSync(file, messages.map((m) => `${m.key}\t${m.value.toString('utf8')}`).join('\n'));
    const jar = flinkJarPath();
    const classpath = `${jar}:${readFileSync(join(dirname(jar), 'provided-classpath.txt'), 'utf8').trim()}`;
    const source = fileURLToPath(new URL('../java/ProducerCeiling.java', import.meta.url));
    const { stdout } = await run('java', ['-cp', classpath, source, stack.brokers.join(','), topic, String(batchSize), file], {
      maxBuffer: 16 * 1024 * 1024,
      timeout: 10 * 60_000,
    }).catch((e: Error & { stderr?: string }) => {
      throw new Error(
        `bench/java/ProducerCeiling.java failed: ${(e.stderr ?? e.message).trim().split('\n').slice(-3).join(' ')}`,
      );
    });
    const r = JSON.parse(stdout.trim().split('\n').pop()!) as { records: number; ms: number };
    return ratePerSecond(r.records, r.ms);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function timed(fn: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}
