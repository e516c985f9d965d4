import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { parquetReadObjects } from 'hyparquet';
import { CheckpointStore, EventSourceMapping } from '../../localstack/event-source-mapping/index.ts';
import { toItem } from '../../pipeline/api/index.ts';
import { awsClientConfigFromEnv } from '../../pipeline/aws/index.ts';
import { DEFAULT_LANDING_PREFIX, isLandedPartKey, type WriterEvent } from '../../pipeline/parquet-writer/index.ts';
import { createPorts, processStreamBatch } from '../../pipeline/stream-processor/index.ts';
import type { BenchStack } from '../BenchStack.ts';
import { chargebackOfRecord, changeRecordAt, type Workload } from '../changeRecords.ts';
import { REPO_ROOT } from '../childProcess.ts';
import { progress } from '../progress.ts';
import type { EndToEndRun } from '../summary.ts';

export interface EndToEndOptions {
  rolloverMs: number;
  /** Chargebacks written per second, and for how long. */
  ratePerS: number;
  durationMs: number;
  /** How often the bucket is listed for new files (the resolution of the measurement). */
  pollMs: number;
}

/**
 * DynamoDB write → row visible in S3, through the whole local pipeline on resources of this run:
 * a table with a NEW_AND_OLD_IMAGES stream, the local event source mapping (batch 100, window 0,
 * 4 polls/s — AWS's defaults) invoking processStreamBatch with the real ports, a Kafka topic, and
 * the embedded writer as its own process (main.ts, as deployed) with the given rollover, landing
 * in a bucket of this run. Chargebacks are PutItem'd at a steady rate; a reader lists the bucket
 * every `pollMs` and reads each new file's chargeback_id column. Latency = first listing that
 * shows the row − the moment the PutItem was sent.
 */
export async function measureEndToEnd(stack: BenchStack, o: EndToEndOptions): Promise<EndToEndRun> {
  const table = await stack.createTable('e2e');
  const topic = await stack.createTopic('e2e');
  const dlqTopic = await stack.createTopic('e2e-dlq');
  const bucket = await stack.createBucket('e2e');
  const dlqQueueUrl = await stack.createQueue('e2e-stream-dlq');
  const stateDir = mkdtempSync(join(tmpdir(), 'bench-e2e-'));
  const ports = createPorts({ ...process.env, KAFKA_TOPIC: topic, DLQ_QUEUE_URL: dlqQueueUrl });
  const esm = new EventSourceMapping({
    ddb: stack.ddb,
    streams: new DynamoDBStreamsClient(awsClientConfigFromEnv()),
    sqs: stack.sqs,
    tableName: table.name,
    region: stack.region,
    checkpoints: new CheckpointStore(join(stateDir, 'esm-checkpoints.json')),
    invoke: async (event) => (await processStreamBatch(event, ports)).response,
  });
  const writer = spawn(process.execPath, ['--import', 'tsx', 'pipeline/parquet-writer/main.ts'], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      KAFKA_TOPIC: topic,
      DLQ_TOPIC: dlqTopic,
      WRITER_GROUP_ID: stack.name('e2e'),
      LANDING_BUCKET: bucket,
      ROLLOVER_MS: String(o.rolloverMs),
      WRITER_LOG: 'json',
    },
  });
  let writerErr = '';
  writer.stderr.on('data', (d: Buffer) => (writerErr = (writerErr + d.toString()).slice(-2000)));
  const writerExited = new Promise<number | null>((resolve) => writer.on('exit', resolve));
  const watcher = new LandedChargebacks(stack, bucket);
  try {
    await writerStarted(writer, writerExited, () => writerErr);
    esm.start();
    const w: Workload = { total: 1_000_000, runId: `${stack.runId}e2e` };
    // Warm-up: a few chargebacks through every stage (stream found, consumer joined, JIT warm), not counted.
    const warmIds = await writeChargebacks(stack, table.name, w, 0, 5, 10);
    await watcher.waitFor(
      warmIds.map((x) => x.id),
      60_000,
      o.pollMs,
      true,
    );
    progress(`  pipeline warm; writing ${Math.round((o.ratePerS * o.durationMs) / 1000)} chargebacks at ${o.ratePerS}/s`);

    const polling = watcher.pollUntilStopped(o.pollMs);
    const count = Math.round((o.ratePerS * o.durationMs) / 1000);
    const sent = await writeChargebacks(stack, table.name, w, 1_000, count, o.ratePerS);
    // The polling loop keeps reading; give the last rows rollover + 30 s, then count what never showed as lost.
    await watcher
      .waitFor(
        sent.map((x) => x.id),
        o.rolloverMs + 30_000,
        o.pollMs,
        false,
      )
      .catch(() => undefined);
    watcher.stop();
    await polling;
    const latenciesMs: number[] = [];
    let lost = 0;
    for (const s of sent) {
      const seen = watcher.seenAt.get(s.id);
      if (seen === undefined) lost++;
      else latenciesMs.push(seen - s.sentAt);
    }
    return { rolloverMs: o.rolloverMs, samples: latenciesMs.length, lost, latenciesMs };
  } finally {
    watcher.stop();
    await esm.stop();
    writer.kill('SIGTERM');
    const killer = setTimeout(() => writer.kill('SIGKILL'), 30_000);
    await writerExited;
    clearTimeout(killer);
    await ports.producer.disconnect().catch(() => undefined);
    rmSync(stateDir, { recursive: true, force: true });
  }
}

async function writerStarted(writer: ReturnType<typeof spawn>, exited: Promise<number | null>, err: () => string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    let buf = '';
    writer.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        if (line.startsWith('{') && (JSON.parse(line) as WriterEvent).type === 'started') resolve();
      }
    });
    void exited.then((code) => reject(new Error(`the writer exited (${code}) before it started: ${err().trim()}`)));
  });
}

/** PutItem (a new chargeback, so an INSERT) at a steady rate; returns each id with when its write was sent. */
async function writeChargebacks(
  stack: BenchStack,
  table: string,
  w: Workload,
  from: number,
  count: number,
  ratePerS: number,
): Promise<Array<{ id: string; sentAt: number }>> {
  const out: Array<{ id: string; sentAt: number }> = [];
  const started = Date.now();
  const inFlight: Array<Promise<unknown>> = [];
  for (let i = 0; i < count; i++) {
    const due = started + (i * 1000) / ratePerS;
    if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
    // Each change record i of the workload is a distinct chargeback when the workload is large.
    const cb = chargebackOfRecord(changeRecordAt(w, from + i));
    const sentAt = Date.now();
    out.push({ id: cb.chargeback_id, sentAt });
    inFlight.push(
      stack.ddb.send(
        new PutItemCommand({ TableName: table, Item: toItem(cb), ConditionExpression: 'attribute_not_exists(chargeback_id)' }),
      ),
    );
  }
  await Promise.all(inFlight);
  return out;
}

/** A reader of the landing zone: when each chargeback first became visible in a committed file. */
class LandedChargebacks {
  readonly seenAt = new Map<string, number>();
  private readonly files = new Set<string>();
  private stopped = false;

  constructor(
    private readonly stack: BenchStack,
    private readonly bucket: string,
  ) {}

  stop(): void {
    this.stopped = true;
  }

  async poll(): Promise<void> {
    const listed: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.stack.s3.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: DEFAULT_LANDING_PREFIX, ContinuationToken: token }),
      );
      for (const o of page.Contents ?? [])
        if (o.Key && !this.files.has(o.Key) && isLandedPartKey(o.Key, DEFAULT_LANDING_PREFIX)) listed.push(o.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    const at = Date.now();
    for (const key of listed) {
      this.files.add(key);
      const body = await (
        await this.stack.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }))
      ).Body!.transformToByteArray();
      const file = body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer;
      for (const row of await parquetReadObjects({ file, columns: ['chargeback_id'] })) {
        const id = String(row.chargeback_id);
        if (!this.seenAt.has(id)) this.seenAt.set(id, at);
      }
    }
  }

  async pollUntilStopped(everyMs: number): Promise<void> {
    this.stopped = false;
    while (!this.stopped) {
      const t = Date.now();
      await this.poll();
      await new Promise((r) => setTimeout(r, Math.max(0, everyMs - (Date.now() - t))));
    }
  }

  /** Until every id is visible; `poll` false when pollUntilStopped is already reading the bucket. */
  async waitFor(ids: string[], timeoutMs: number, everyMs: number, poll: boolean): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (ids.some((id) => !this.seenAt.has(id))) {
      if (Date.now() > deadline)
        throw new Error(
          `${ids.filter((id) => !this.seenAt.has(id)).length} of ${ids.length} chargebacks not visible after ${timeoutMs / 1000} s`,
        );
      if (poll) await this.poll();
      await new Promise((r) => setTimeout(r, everyMs));
    }
  }
}
