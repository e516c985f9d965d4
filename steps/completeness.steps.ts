import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { type DataTable, Then, When } from '@cucumber/cucumber';
import { Kafka, logLevel } from 'kafkajs';
import { awsClientConfigFromEnv } from '../pipeline/aws/index.ts';
import type { HourManifest, PassResult } from '../pipeline/completeness/index.ts';
import { Topics } from '../pipeline/kafka/index.ts';
import { bucketStartMs, listLandedFiles } from '../pipeline/parquet-writer/index.ts';
import { canonicalAmount, type Chargeback } from '../pipeline/schema/index.ts';
import { currentPipeline, LANDING_TIMEOUT_MS } from './support/pipeline.ts';
import type { ChargebackWorld } from './support/world.ts';

/**
 * The hour closer as an operator runs it — `chargeback-cdc close-hours` as a child process against
 * the running pipeline — with `--now` set just past the end of the hour the scenario's rows
 * landed in, so the scenario need not wait for the real hour to end. Its state object is the
 * scenario's own (CLOSER_STATE_KEY), so it starts cold like a first deployment.
 */

const PREFIX = 'landing/chargebacks/';
const GRACE_MS = 30_000;
const HOUR_MS = 3_600_000;

interface CloserRun {
  code: number;
  stdout: string;
  stderr: string;
  result: PassResult | undefined;
}

interface CompletenessState {
  filed: Chargeback[];
  /** How many of them have landed so far (the late one lands only after the writer is back). */
  landed: number;
  stateKey: string;
  lastRun?: CloserRun;
  markerVersion?: { etag: string | undefined; lastModified: string | undefined };
}

const states = new WeakMap<ChargebackWorld, CompletenessState>();
function stateOf(world: ChargebackWorld): CompletenessState {
  let s = states.get(world);
  if (!s) {
    s = { filed: [], landed: 0, stateKey: `_state/completeness/${world.marker}/closer.json` };
    states.set(world, s);
  }
  return s;
}

const merchantOf = (world: ChargebackWorld) => `merch_${world.marker.slice(9, 17)}`;
const s3 = () => new S3Client(awsClientConfigFromEnv());
const bucket = () => process.env.LANDING_BUCKET!;
const markerKey = (hour: string) => `${PREFIX}${hour}/_manifest.json`;
const nextHourOf = (hour: string) => new Date(bucketStartMs(hour) + HOUR_MS).toISOString().slice(0, 13).replace('T', '/');

async function file(world: ChargebackWorld, amount: string, currency: string, reason: string): Promise<Chargeback> {
  const res = await fetch(`${currentPipeline().apiUrl}/chargebacks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ merchant_id: merchantOf(world), amount, currency, reason }),
  });
  const body = await res.text();
  assert.equal(res.status, 201, `POST /chargebacks answered ${res.status}: ${body}`);
  const cb = JSON.parse(body) as Chargeback;
  stateOf(world).filed.push(cb);
  return cb;
}

/** The landing hours (processing-time folders) holding the merchant's rows, oldest first. */
async function landingHoursOf(world: ChargebackWorld, count: number): Promise<string[]> {
  const merchant = merchantOf(world);
  const rows = await currentPipeline().landing.waitForRows((r) => r.merchant_id === merchant, count, LANDING_TIMEOUT_MS);
  assert.equal(
    rows.length,
    count,
    `expected ${count} landed row(s) of ${merchant} within ${LANDING_TIMEOUT_MS} ms, found ${rows.length}`,
  );
  return [...new Set(rows.map((r) => r.key.slice(PREFIX.length, PREFIX.length + 13)))].sort();
}

/** The newest hour the scenario landed in; "as if it had ended" is just past its end plus the grace. */
async function landingHour(world: ChargebackWorld): Promise<string> {
  const hours = await landingHoursOf(world, stateOf(world).landed);
  return hours.at(-1)!;
}

function runCloseHours(world: ChargebackWorld, nowMs: number): Promise<CloserRun> {
  const env = { ...process.env, CLOSER_STATE_KEY: stateOf(world).stateKey };
  const args = [
    'bin/chargeback-cdc.js',
    'close-hours',
    '--json',
    '--grace',
    `${GRACE_MS}ms`,
    '--now',
    new Date(nowMs).toISOString(),
  ];
  return new Promise((resolve) => {
    execFile('node', args, { timeout: 120_000, env }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      const last = stdout.trim().split('\n').at(-1);
      resolve({ code, stdout, stderr, result: code === 0 && last ? (JSON.parse(last) as PassResult) : undefined });
    });
  });
}

async function closeAsIfEnded(world: ChargebackWorld): Promise<{ hour: string; run: CloserRun }> {
  const hour = await landingHour(world);
  const run = await runCloseHours(world, bucketStartMs(hour) + HOUR_MS + GRACE_MS + 1_000);
  assert.equal(run.code, 0, `close-hours exited ${run.code}: ${run.stderr}`);
  stateOf(world).lastRun = run;
  return { hour, run };
}

async function manifestOf(hour: string): Promise<HourManifest | undefined> {
  try {
    const o = await s3().send(new GetObjectCommand({ Bucket: bucket(), Key: markerKey(hour) }));
    return JSON.parse(await o.Body!.transformToString()) as HourManifest;
  } catch (e) {
    if ((e as { name?: string }).name === 'NoSuchKey') return undefined;
    throw e;
  }
}

async function markerVersion(hour: string) {
  const h = await s3().send(new HeadObjectCommand({ Bucket: bucket(), Key: markerKey(hour) }));
  return { etag: h.ETag, lastModified: h.LastModified?.toISOString() };
}

When('the merchant files these chargebacks and they land:', async function (this: ChargebackWorld, table: DataTable) {
  for (const row of table.hashes()) await file(this, row.amount!, row.currency!, row.reason!);
  await landingHoursOf(this, stateOf(this).filed.length);
  stateOf(this).landed = stateOf(this).filed.length;
});

When('the writer is stopped', async () => {
  await currentPipeline().writer.stop();
});

When('the writer is started again', async () => {
  await currentPipeline().writer.start();
});

When(
  'the merchant files a chargeback of {string} {string} that reaches Kafka but not the landing zone',
  async function (this: ChargebackWorld, amount: string, currency: string) {
    assert.equal(currentPipeline().writer.running, false, 'the writer must be stopped for this step');
    const admin = new Kafka({
      clientId: 'completeness-steps',
      brokers: process.env.KAFKA_BROKERS!.split(','),
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    try {
      const total = async () => (await admin.fetchTopicOffsets(Topics.CHANGES)).reduce((n, p) => n + BigInt(p.high), 0n);
      const before = await total();
      await file(this, amount, currency, 'Late one');
      // The closer's snapshot must include the record: wait until the poller has published it.
      const deadline = Date.now() + LANDING_TIMEOUT_MS;
      while ((await total()) <= before) {
        assert.ok(Date.now() < deadline, 'the chargeback did not reach Kafka');
        await new Promise((r) => setTimeout(r, 250));
      }
    } finally {
      await admin.disconnect();
    }
  },
);

When('the late chargeback has landed', async function (this: ChargebackWorld) {
  await landingHoursOf(this, stateOf(this).filed.length);
  stateOf(this).landed = stateOf(this).filed.length;
});

When('the hour closer runs once as if the landing hour had ended', async function (this: ChargebackWorld) {
  await closeAsIfEnded(this);
});

When('the hour closer closes the landing hour as if it had ended', async function (this: ChargebackWorld) {
  // The writer commits its group offsets just after its files become visible: poll as `run closer` does.
  const deadline = Date.now() + LANDING_TIMEOUT_MS;
  for (;;) {
    const { hour, run } = await closeAsIfEnded(this);
    if (run.result?.closed.includes(hour)) return;
    assert.ok(
      Date.now() < deadline,
      `hour ${hour} was not closed within ${LANDING_TIMEOUT_MS} ms; last run:\n${run.stdout}\n${run.stderr}`,
    );
    await new Promise((r) => setTimeout(r, 2_000));
  }
});

Then('the landing hour has no manifest', async function (this: ChargebackWorld) {
  const hour = await landingHour(this);
  assert.equal(await manifestOf(hour), undefined, `hour ${hour} must not be complete yet`);
});

Then('the closer said the hour waits for the writer group', function (this: ChargebackWorld) {
  const run = stateOf(this).lastRun!;
  assert.equal(run.result?.waitingFor, 'progress', `close-hours result: ${run.stdout}`);
  const waiting = run.stderr
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { type: string; behind?: unknown[] })
    .find((e) => e.type === 'waiting-for-progress');
  assert.ok(waiting?.behind?.length, `a waiting-for-progress event naming the partitions behind; stderr:\n${run.stderr}`);
});

Then('the landing hour has exactly one manifest', async function (this: ChargebackWorld) {
  const hour = await landingHour(this);
  const listed = await listAll(`${PREFIX}${hour}/`);
  assert.deepEqual(
    listed.filter((k) => k.endsWith('_manifest.json')),
    [markerKey(hour)],
  );
  stateOf(this).markerVersion = await markerVersion(hour);
});

Then(
  "the manifest's row count and count and sum per currency equal a SQL query over the hour's files",
  async function (this: ChargebackWorld) {
    for (const hour of await landingHoursOf(this, stateOf(this).landed)) {
      const m = (await manifestOf(hour))!;
      assert.ok(m, `hour ${hour} has a manifest`);
      const rows = await sql(
        `s3://${bucket()}/${PREFIX}${hour}/`,
        'SELECT currency, count(*)::INTEGER AS rows, sum(amount) AS amount FROM chargeback_changes GROUP BY currency',
      );
      const expected = Object.fromEntries(
        rows.map((r) => [String(r.currency), { rows: Number(r.rows), amount: canonicalAmount(String(r.amount)) }]),
      );
      const actual = Object.fromEntries(
        Object.entries(m.currencies).map(([c, t]) => [c, { rows: t.rows, amount: canonicalAmount(t.amount) }]),
      );
      assert.deepEqual(actual, expected, `hour ${hour}: manifest vs DuckDB over its files`);
      assert.equal(
        m.rows,
        rows.reduce((n, r) => n + Number(r.rows), 0),
      );
    }
  },
);

Then("the manifest lists exactly the hour's committed files", async function (this: ChargebackWorld) {
  const hour = await landingHour(this);
  const m = (await manifestOf(hour))!;
  const files = await listLandedFiles(s3(), bucket(), `${PREFIX}${hour}/`);
  assert.deepEqual(
    m.files.map((f) => [f.key, f.bytes]),
    files.map((f) => [f.key, f.size]),
  );
});

Then(
  "the merchant's {int} chargebacks are in the hours the manifests cover",
  async function (this: ChargebackWorld, count: number) {
    const hours = await landingHoursOf(this, count);
    const merchant = merchantOf(this);
    let found = 0;
    for (const hour of hours) {
      assert.ok(await manifestOf(hour), `hour ${hour} holds the merchant's rows and has a manifest`);
      const [r] = await sql(
        `s3://${bucket()}/${PREFIX}${hour}/`,
        `SELECT count(*)::INTEGER AS n FROM chargeback_changes WHERE merchant_id = '${merchant}'`,
      );
      found += Number(r!.n);
    }
    assert.equal(found, count);
  },
);

Then('the hour after the landing hour has no manifest', async function (this: ChargebackWorld) {
  const next = nextHourOf(await landingHour(this));
  assert.equal(await manifestOf(next), undefined, `hour ${next} has not ended: no manifest`);
});

Then('the manifest was not written again', async function (this: ChargebackWorld) {
  const hour = await landingHour(this);
  assert.deepEqual(await markerVersion(hour), stateOf(this).markerVersion, 'same ETag and LastModified as the first write');
  assert.deepEqual(stateOf(this).lastRun?.result?.closed, [], 'the second pass closed nothing');
});

async function listAll(prefix: string): Promise<string[]> {
  const out = await s3().send(new ListObjectsV2Command({ Bucket: bucket(), Prefix: prefix }));
  return (out.Contents ?? []).map((o) => o.Key!).sort();
}

/** `chargeback-cdc query --json` over one hour's folder: DuckDB reading the files, independent of the closer's reader. */
function sql(from: string, text: string): Promise<Array<Record<string, unknown>>> {
  return new Promise((resolve, reject) => {
    execFile(
      'node',
      ['bin/chargeback-cdc.js', 'query', '--json', '--from', from, text],
      { timeout: 120_000 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`query failed: ${stderr}`));
        else resolve(JSON.parse(stdout));
      },
    );
  });
}
