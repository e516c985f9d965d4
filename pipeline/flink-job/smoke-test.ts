/**
 * Hand-run integration smoke test of the Flink writer against a running local stack (not part of npm test:
 * it needs Kafka and S3 up and takes about a minute).
 *
 *   npx tsx pipeline/flink-job/smoke-test.ts
 *
 * Environment: KAFKA_BROKERS (127.0.0.1:9092), S3_ENDPOINT (http://127.0.0.1:4566), LANDING_BUCKET
 * (chargeback-cdc-flink-smoke, created if missing), SMOKE_TOPIC / SMOKE_DLQ_TOPIC (a fresh pair of topics per
 * run by default), CHECKPOINT_INTERVAL_MS (5000): the stack's own topics and landing bucket are untouched.
 *
 * It writes records before the job starts (they must land: committedOffsets(EARLIEST), not latest()) and
 * after, plus two poison records, then checks: every valid record is in a committed .parquet part file under
 * landing/chargebacks/YYYY-MM-DD/HH/ with the expected Parquet schema, once even when re-published upstream
 * (same event_id). It then SIGKILLs the writer, writes
 * more while it is down, restarts it on the same local.state.dir and checks every record landed exactly once;
 * the poison records are on the DLQ with their original bytes and dlq.* headers; SIGTERM stops the job cleanly.
 */
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { Kafka, logLevel, type IHeaders, type Producer } from 'kafkajs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isLandedPartKey } from '../parquet-writer/index.ts';
import { startFlinkWriter } from './index.ts';

const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const s3Endpoint = process.env.S3_ENDPOINT ?? 'http://127.0.0.1:4566';
// Its own bucket by default, so smoke rows never reach the landing zone that `reconcile` checks.
const bucket = process.env.LANDING_BUCKET ?? 'chargeback-cdc-flink-smoke';
const runId = Date.now().toString(36);
const topic = process.env.SMOKE_TOPIC ?? `flink-smoke-${runId}`;
const dlqTopic = process.env.SMOKE_DLQ_TOPIC ?? `flink-smoke-${runId}-dlq`;
const checkpointIntervalMs = Number(process.env.CHECKPOINT_INTERVAL_MS ?? 5000);
const prefix = 'landing/chargebacks/';

let passed = 0;
let failed = 0;
function check(what: string, ok: boolean, detail = ''): void {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}${detail ? ` — ${detail}` : ''}`);
}

function changeRecord(i: number): Record<string, unknown> {
  const now = new Date().toISOString();
  return {
    schema_version: 1,
    event_id: `smoke-${runId}-${i}`,
    event_type: i % 3 === 2 ? 'MODIFY' : 'INSERT',
    sequence_number: `${1000 + i}`,
    event_time: now,
    chargeback_id: `cb_smoke_${runId}_${i}`,
    merchant_id: 'merch_smoke',
    amount:
      i === 0
        ? '1000'
        : `${i}.${String(i * 7)
            .padStart(2, '0')
            .slice(-2)}`,
    currency: i === 0 ? 'JPY' : 'USD',
    reason: i === 1 ? 'Käufer — 未着 📦' : 'Product not received',
    status: i % 3 === 2 ? 'UNDER_REVIEW' : 'RECEIVED',
    previous_status: i % 3 === 2 ? 'RECEIVED' : null,
    created_at: now,
    updated_at: now,
  };
}

async function main(): Promise<void> {
  const s3 = new S3Client({
    endpoint: s3Endpoint,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  await s3.send(new CreateBucketCommand({ Bucket: bucket })).catch((e: Error) => {
    if (!/BucketAlready/.test(e.name)) throw e;
  });
  const kafka = new Kafka({ clientId: 'flink-smoke', brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [
      { topic, numPartitions: 3 },
      { topic: dlqTopic, numPartitions: 3 },
    ],
    waitForLeaders: true,
  });
  await admin.disconnect();

  const producer = kafka.producer({ idempotent: true });
  await producer.connect();
  try {
    await produceAndCheck(kafka, s3, producer);
  } finally {
    await producer.disconnect();
  }
  console.log(`smoke: ${passed} passed, ${failed} failed`);
  process.exitCode = failed === 0 ? 0 : 1;
}

async function produceAndCheck(kafka: Kafka, s3: S3Client, producer: Producer): Promise<void> {
  const send = (key: string, value: Buffer) => producer.send({ topic, acks: -1, messages: [{ key, value }] });
  const sendAll = async (records: Record<string, unknown>[]) => {
    for (const r of records) await send(String(r.chargeback_id), Buffer.from(JSON.stringify(r)));
  };
  const before = [0, 1, 2, 3, 4].map(changeRecord);
  await sendAll(before);
  const poison = [Buffer.from('this is not json'), Buffer.from(JSON.stringify({ ...changeRecord(99), schema_version: 2 }))];
  await send('poison-1', poison[0]!);
  await send('poison-2', poison[1]!);

  // Checkpoints retained here, so a killed writer resumes from its last completed checkpoint.
  const stateDir = mkdtempSync(path.join(tmpdir(), 'flink-smoke-state-'));
  const options = {
    brokers,
    bucket,
    s3Endpoint,
    checkpointIntervalMs,
    topic,
    dlqTopic,
    groupId: `flink-smoke-${runId}`,
    stateDir,
  };
  const started = Date.now();
  let writer = await startFlinkWriter(options);
  console.log(`writer up (pid ${writer.pid}) after ${Date.now() - started} ms`);
  try {
    const after = [5, 6, 7].map(changeRecord);
    await sendAll(after);
    // A Lambda retry re-publishes part of a batch: the same stream records (event_ids) again.
    await sendAll([before[1]!, before[2]!]);
    await checkLanded(s3, [...before, ...after], before, started);

    // Crash: SIGKILL at an arbitrary instant, more records while it is down, restart on the same state.
    process.kill(writer.pid, 'SIGKILL');
    await writer.exited;
    const whileDown = [8, 9, 10].map(changeRecord);
    await sendAll(whileDown);
    writer = await startFlinkWriter(options);
    console.log(`writer restarted (pid ${writer.pid})`);
    const { rows } = await waitForRows(s3, new Map([...before, ...after, ...whileDown].map((r) => [String(r.chargeback_id), r])));
    const counts = new Map<string, number>();
    for (const r of rows) counts.set(String(r.chargeback_id), (counts.get(String(r.chargeback_id)) ?? 0) + 1);
    check(
      'after SIGKILL and restart every record is landed exactly once',
      counts.size === 11 && [...counts.values()].every((n) => n === 1),
      JSON.stringify([...counts]),
    );

    await checkDeadLetters(kafka, poison);
  } finally {
    const stopStart = Date.now();
    await writer.stop();
    const code = await writer.exited;
    check('SIGTERM stops the job cleanly', code === 0 || code === 143, `exit ${code} after ${Date.now() - stopStart} ms`);
    rmSync(stateDir, { recursive: true, force: true });
  }
}

interface Landed {
  rows: Record<string, unknown>[];
  keys: string[];
  metadata: ReturnType<typeof parquetMetadata> | undefined;
}

/** Reads every committed part file until the expected records are all there (or 3 minutes pass). */
async function waitForRows(s3: S3Client, expected: Map<string, Record<string, unknown>>): Promise<Landed> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    const landed: Landed = { rows: [], keys: [], metadata: undefined };
    const listing = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
    // Committed part files only: not the hour closer's _manifest.json or any other hidden object.
    for (const o of (listing.Contents ?? []).filter((c) => c.Key && isLandedPartKey(c.Key, prefix))) {
      const body = await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: o.Key! }))).Body!.transformToByteArray();
      const file = body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer;
      const ours = ((await parquetReadObjects({ file })) as Record<string, unknown>[]).filter((r) =>
        expected.has(String(r.chargeback_id)),
      );
      if (ours.length > 0) {
        landed.keys.push(o.Key!);
        landed.rows.push(...ours);
        landed.metadata = parquetMetadata(file);
      }
    }
    const distinct = new Set(landed.rows.map((r) => String(r.chargeback_id))).size;
    if (distinct >= expected.size || Date.now() > deadline) return landed;
    await new Promise((r) => setTimeout(r, 2000));
  }
}

async function checkLanded(
  s3: S3Client,
  all: Record<string, unknown>[],
  before: Record<string, unknown>[],
  started: number,
): Promise<void> {
  const expected = new Map(all.map((r) => [String(r.chargeback_id), r]));
  const { rows, keys, metadata } = await waitForRows(s3, expected);
  console.log(
    `landed ${rows.length} rows in ${keys.length} part file(s) after ${Date.now() - started} ms:\n  ${keys.join('\n  ')}`,
  );

  check(
    'every valid record landed exactly once',
    rows.length === expected.size && new Set(rows.map((r) => r.chargeback_id)).size === expected.size,
    `${rows.length}/${expected.size}`,
  );
  check(
    'records written before the first start landed',
    before.every((b) => rows.some((r) => r.chargeback_id === b.chargeback_id)),
  );
  check(
    'part files are named landing/chargebacks/YYYY-MM-DD/HH/part-<uuid>-<n>.parquet',
    keys.length > 0 &&
      keys.every((k) => /^landing\/chargebacks\/\d{4}-\d{2}-\d{2}\/\d{2}\/part-[0-9a-f-]{36}-\d+\.parquet$/.test(k)),
    keys[0],
  );
  // Processing-time buckets: the UTC hour at which the record was written, between start and now.
  const utcHour = (ms: number) => new Date(ms).toISOString().slice(0, 13).replace('T', '/');
  const hours = new Set([utcHour(started), utcHour(Date.now())]);
  check(
    'the bucket is the UTC date and hour',
    keys.every((k) => [...hours].some((h) => k.startsWith(`${prefix}${h}/`))),
    [...hours].join(' or '),
  );
  for (const row of rows) {
    const want = expected.get(String(row.chargeback_id))!;
    const same =
      row.amount === Number(want.amount) &&
      row.currency === want.currency &&
      row.reason === want.reason &&
      row.previous_status === (want.previous_status ?? null) &&
      row.event_time instanceof Date &&
      row.event_time.toISOString() === want.event_time &&
      row.schema_version === 1;
    check(
      `row ${String(row.chargeback_id)} matches what was produced`,
      same,
      JSON.stringify(row, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)),
    );
  }

  if (metadata) {
    const el = (name: string) => metadata!.schema.find((e) => e.name === name);
    const amount = el('amount');
    check(
      'amount is BYTE_ARRAY DECIMAL(18,4), required',
      amount?.type === 'BYTE_ARRAY' &&
        amount.converted_type === 'DECIMAL' &&
        amount.precision === 18 &&
        amount.scale === 4 &&
        amount.repetition_type === 'REQUIRED',
      JSON.stringify(amount),
    );
    const ts = el('event_time');
    check(
      'event_time is INT64 TIMESTAMP(MILLIS, isAdjustedToUTC=true)',
      ts?.type === 'INT64' &&
        ts.logical_type?.type === 'TIMESTAMP' &&
        ts.logical_type.unit === 'MILLIS' &&
        ts.logical_type.isAdjustedToUTC === true,
      JSON.stringify(ts?.logical_type),
    );
    const prev = el('previous_status');
    check(
      'previous_status is the only OPTIONAL column',
      prev?.repetition_type === 'OPTIONAL' && metadata.schema.filter((e) => e.repetition_type === 'OPTIONAL').length === 1,
    );
    const codecs = new Set(metadata.row_groups.flatMap((g) => g.columns.map((c) => c.meta_data?.codec)));
    check('pages are SNAPPY-compressed', codecs.size === 1 && codecs.has('SNAPPY'), [...codecs].join(','));
  }
}

async function checkDeadLetters(kafka: Kafka, poison: Buffer[]): Promise<void> {
  // The poison records are on the DLQ, unchanged, with their reasons.
  const consumer = kafka.consumer({ groupId: `flink-smoke-dlq-${runId}` });
  await consumer.connect();
  await consumer.subscribe({ topic: dlqTopic, fromBeginning: true });
  const letters: { key: string; value: Buffer; headers: IHeaders }[] = [];
  await consumer.run({
    eachMessage: async ({ message }) =>
      void letters.push({ key: String(message.key), value: message.value!, headers: message.headers ?? {} }),
  });
  const dlqDeadline = Date.now() + 30_000;
  while (letters.length < poison.length && Date.now() < dlqDeadline) await new Promise((r) => setTimeout(r, 500));
  await consumer.disconnect();
  const header = (h: IHeaders, k: string) => String(h[k]);
  check('both poison records are on the DLQ (at least once)', letters.length >= 2, `${letters.length}`);
  const notJson = letters.find((l) => l.key === 'poison-1');
  check(
    'undecodable bytes are dead-lettered unchanged with a reason',
    !!notJson &&
      notJson.value.equals(poison[0]!) &&
      header(notJson.headers, 'dlq.reason').startsWith('value: is not JSON') &&
      header(notJson.headers, 'dlq.source.topic') === topic &&
      /^\d+$/.test(header(notJson.headers, 'dlq.source.offset')),
    notJson && header(notJson.headers, 'dlq.reason'),
  );
  const v2 = letters.find((l) => l.key === 'poison-2');
  check(
    'an unknown schema_version is dead-lettered',
    !!v2 && header(v2.headers, 'dlq.reason') === 'schema_version: unknown schema_version 2; this reader knows 1',
    v2 && header(v2.headers, 'dlq.reason'),
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
