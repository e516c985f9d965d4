import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { DeleteObjectsCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { After, AfterStep, type DataTable, Given, Then, When } from '@cucumber/cucumber';
import { changeRecord } from '../fixtures/changeRecords.ts';
import { awsClientConfigFromEnv } from '../pipeline/aws/index.ts';
import { athenaSymlinkKey, type DayManifest } from '../pipeline/consolidation/index.ts';
import { formatPartFileName, writeParquetFile } from '../pipeline/parquet-writer/index.ts';
import { type Chargeback, type ChangeRecord, toParquetRow } from '../pipeline/schema/index.ts';
import { currentPipeline, LANDING_TIMEOUT_MS, TEST_ROLLOVER_MS } from './support/pipeline.ts';
import type { ChargebackWorld } from './support/world.ts';

/**
 * `chargeback-cdc query` as an analyst runs it: the real CLI as a child process against the
 * running pipeline's landing zone. The chargebacks are filed, changed and deleted by the shared
 * steps of chargeback.steps.ts; this file only watches what they did.
 */

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

function runQuery(args: string[]): Promise<CliRun> {
  return runCli(['query', ...args]);
}

function runCli(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile('node', ['bin/chargeback-cdc.js', ...args], { timeout: 120_000, env }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Every chargeback the scenario filed, by reason (the shared steps keep only the latest in the World). */
const filed = new WeakMap<ChargebackWorld, Map<string, Chargeback>>();
AfterStep(function (this: ChargebackWorld) {
  const cb = this.chargeback;
  if (!cb) return;
  if (!filed.has(this)) filed.set(this, new Map());
  filed.get(this)!.set(cb.reason, cb);
});

function merchantOf(world: ChargebackWorld): string {
  assert.ok(world.chargeback, 'no chargeback was filed by an earlier step');
  return world.chargeback.merchant_id;
}

/** Runs a query with --json; `{merchant}` in the SQL is this scenario's merchant. */
async function queryJson(world: ChargebackWorld, sql: string, extra: string[] = []): Promise<Record<string, unknown>[]> {
  const text = sql.includes('{merchant}') ? sql.replaceAll('{merchant}', merchantOf(world)) : sql;
  const run = await runQuery(['--json', ...extra, text]);
  assert.equal(run.code, 0, `query exited ${run.code}: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

/** A result cell as the feature writes it: text, with NULL as an empty cell. */
const asCell = (v: unknown) => (v === null ? '' : String(v));
const sortedLines = (rows: string[][]) => rows.map((r) => JSON.stringify(r)).sort();

When('all {int} changes of the merchant have landed', async function (this: ChargebackWorld, count: number) {
  const merchant = merchantOf(this);
  const { landing } = currentPipeline();
  const mine = (r: { merchant_id: string }) => r.merchant_id === merchant;
  const first = await landing.waitForRows(mine, count, LANDING_TIMEOUT_MS);
  assert.equal(
    first.length,
    count,
    `expected ${count} landed change(s) of ${merchant} within ${LANDING_TIMEOUT_MS} ms, found ${first.length}`,
  );
  // One more rollover, so a late duplicate would be in the landing zone too (and in the query).
  await new Promise((r) => setTimeout(r, TEST_ROLLOVER_MS * 2));
});

async function assertRows(world: ChargebackWorld, sql: string, table: DataTable, extra: string[] = []): Promise<void> {
  const [header, ...expected] = table.raw() as [string[], ...string[][]];
  const rows = await queryJson(world, sql, extra);
  if (rows.length > 0) assert.deepEqual(Object.keys(rows[0]!), header, 'the result has the columns the table names, in order');
  // Row order is not part of these queries (no ORDER BY): compare as multisets.
  assert.deepEqual(sortedLines(rows.map((r) => header.map((h) => asCell(r[h])))), sortedLines(expected), `rows of: ${sql}`);
}

Then('querying {string} gives exactly:', async function (this: ChargebackWorld, sql: string, table: DataTable) {
  await assertRows(this, sql, table);
});

Then(
  'querying {string} with {string} gives exactly:',
  async function (this: ChargebackWorld, sql: string, flags: string, table: DataTable) {
    await assertRows(this, sql, table, flags.split(' '));
  },
);

Then(
  'querying {string} on the landing hour {string} gives no rows in every output format',
  async function (this: ChargebackWorld, sql: string, hour: string) {
    const from = `s3://${process.env.LANDING_BUCKET}/landing/chargebacks/${hour}/`;
    const table = await runQuery(['--from', from, sql]);
    assert.equal(table.code, 0, `query exited ${table.code}: ${table.stderr}`);
    assert.match(table.stdout, /\n\(0 rows\)\n$/, `table output:\n${table.stdout}`);
    assert.match(table.stderr, /no committed files under .*: the views are empty/);
    const json = await runQuery(['--from', from, '--json', sql]);
    assert.equal(json.code, 0, json.stderr);
    assert.equal(json.stdout, '[]\n');
    const csv = await runQuery(['--from', from, '--csv', sql]);
    assert.equal(csv.code, 0, csv.stderr);
    assert.equal(csv.stdout.split('\r\n').length, 2, `a header line and nothing else:\n${csv.stdout}`);
    assert.ok(csv.stdout.startsWith('schema_version,event_id,event_type,sequence_number,event_time,'), csv.stdout);
  },
);

Then(
  'every row of chargebacks_current for the merchant has the chargeback id and timestamps the API gave',
  async function (this: ChargebackWorld) {
    const rows = await queryJson(
      this,
      "SELECT chargeback_id, reason, created_at, updated_at FROM chargebacks_current WHERE merchant_id = '{merchant}'",
    );
    const byReason = filed.get(this) ?? new Map<string, Chargeback>();
    assert.ok(rows.length > 0, 'chargebacks_current has rows for the merchant');
    for (const row of rows) {
      const cb = byReason.get(String(row.reason));
      assert.ok(cb, `no chargeback filed in this scenario has the reason ${JSON.stringify(row.reason)}`);
      // Timestamps print as ISO-8601 UTC, exactly as the API answered them.
      assert.deepEqual(row, {
        chargeback_id: cb.chargeback_id,
        reason: cb.reason,
        created_at: cb.created_at,
        updated_at: cb.updated_at,
      });
    }
  },
);

Then(
  'querying {string} fails with exit code {int} and the one-line error {string}',
  async function (this: ChargebackWorld, sql: string, code: number, message: string) {
    const run = await runQuery([sql]);
    assert.equal(run.code, code, `exit code; stderr: ${run.stderr}`);
    assert.equal(run.stdout, '', 'nothing on stdout');
    // Besides the progress lines (fetching …), the error is one line.
    const lines = run.stderr
      .trimEnd()
      .split('\n')
      .filter((l) => !/^(fetching|fetched|no committed files|reading \d+ day\(s\)) /.test(l));
    assert.equal(lines.length, 1, `one error line on stderr:\n${run.stderr}`);
    assert.ok(lines[0]!.startsWith(`chargeback-cdc: ${message}`), lines[0]);
  },
);

/*
 * A consolidated day on the real stack. The day the pipeline lands in (today) cannot be complete
 * before it has ended, and `consolidate --force` writes complete: false, which readers do not use;
 * so the consolidated day is a past day in which nothing has landed yet (the newest such day, so
 * a scenario run twice on one stack never adds files to a day already closed), whose part files
 * come from a fixture (the writers only write the current hour). Its 24 hour markers are written
 * by the real `close-hours` on the real clock — the day's hours have ended and the writer group
 * has committed past the log end — and the day by the real `consolidate` without --force.
 */
const LANDING = 'landing/chargebacks/';
const CONSOLIDATED = 'consolidated/chargebacks/';
const DAY_MS = 86_400_000;
const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The newest day before today with no object at all under its landing folder (no part file, no marker). */
async function untouchedPastDay(): Promise<string> {
  const s3 = new S3Client(awsClientConfigFromEnv());
  try {
    for (let back = 1; back <= 30; back++) {
      const day = utcDay(Date.now() - back * DAY_MS);
      const page = await s3.send(
        new ListObjectsV2Command({ Bucket: process.env.LANDING_BUCKET, Prefix: `${LANDING}${day}/`, MaxKeys: 1 }),
      );
      if (!page.Contents?.length) return day;
    }
  } finally {
    s3.destroy();
  }
  throw new Error('every one of the last 30 days has landed objects: reset the stack (chargeback-cdc stack reset)');
}

interface PastDay {
  day: string;
  records: ChangeRecord[];
}
const pastDays = new WeakMap<ChargebackWorld, PastDay>();
/** The past day a step of this scenario landed and consolidated (catalog.steps.ts checks its Athena pointer). */
export function pastDayOf(world: ChargebackWorld): PastDay {
  const d = pastDays.get(world);
  assert.ok(d, 'no past day was landed by an earlier step');
  return d;
}

/*
 * The past day's fixture part files, its hour markers, its consolidated copy and its Athena pointer
 * are not changes the pipeline made: left in the shared landing zone, every later `reconcile`
 * would report the fixture rows as unexpected. So a scenario that built a past day removes it.
 */
After(async function (this: ChargebackWorld) {
  const past = pastDays.get(this);
  if (!past) return;
  const bucket = process.env.LANDING_BUCKET;
  const s3 = new S3Client(awsClientConfigFromEnv());
  try {
    const keys = [athenaSymlinkKey(CONSOLIDATED, past.day), `_state/completeness/${this.marker}/query-closer.json`];
    for (const prefix of [`${LANDING}${past.day}/`, `${CONSOLIDATED}${past.day}/`]) {
      let token: string | undefined;
      do {
        const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
        keys.push(...(page.Contents ?? []).map((o) => o.Key!));
        token = page.NextContinuationToken;
      } while (token);
    }
    for (let i = 0; i < keys.length; i += 1000) {
      const r = await s3.send(
        new DeleteObjectsCommand({
          Bucket: bucket,
          Delete: { Objects: keys.slice(i, i + 1000).map((Key) => ({ Key })), Quiet: true },
        }),
      );
      assert.ok(!r.Errors?.length, `removing the past day ${past.day}: ${JSON.stringify(r.Errors)}`);
    }
  } finally {
    s3.destroy();
  }
});

async function put(key: string, body: Uint8Array | string): Promise<void> {
  const s3 = new S3Client(awsClientConfigFromEnv());
  try {
    await s3.send(new PutObjectCommand({ Bucket: process.env.LANDING_BUCKET, Key: key, Body: body }));
  } finally {
    s3.destroy();
  }
}

Given(
  'a past day in which nothing has landed gets these changes of the merchant in its hours, as part files from a fixture:',
  async function (this: ChargebackWorld, table: DataTable) {
    const merchant = merchantOf(this);
    const day = await untouchedPastDay();
    const records = table.hashes().map((row, i) =>
      changeRecord(i, {
        event_id: `evt-${this.marker}-${i}`,
        chargeback_id: `cb_${this.marker.slice(9, 21)}_${i}`,
        merchant_id: merchant,
        amount: row.amount!,
        currency: row.currency!,
        event_time: `${day}T${row.hour}:30:00.000Z`,
        created_at: `${day}T${row.hour}:29:00.000Z`,
        updated_at: `${day}T${row.hour}:30:00.000Z`,
      }),
    );
    const hours = [...new Set(table.hashes().map((row) => row.hour!))];
    for (const [n, hour] of hours.entries()) {
      const rows = records.filter((_, i) => table.hashes()[i]!.hour === hour);
      const name = formatPartFileName({
        partition: 7,
        firstOffset: BigInt(n * 100),
        lastOffset: BigInt(n * 100 + rows.length - 1),
      });
      await put(`${LANDING}${day}/${hour}/${name}`, writeParquetFile(rows.map(toParquetRow)));
    }
    pastDays.set(this, { day, records });
  },
);

When(
  "the hour closer, started at the past day's first hour, closes every hour that has ended",
  async function (this: ChargebackWorld) {
    const { day } = pastDayOf(this);
    // The closer's own state object, saying where it starts: the hour before the past day's first
    // (a cold closer would start after the newest marker, which an earlier scenario may have left).
    const stateKey = `_state/completeness/${this.marker}/query-closer.json`;
    const before = `${utcDay(Date.parse(`${day}T00:00:00Z`) - DAY_MS)}/23`;
    await put(stateKey, JSON.stringify({ version: 1, closedThrough: before, snapshot: null }));
    const env = { ...process.env, CLOSER_STATE_KEY: stateKey };
    const closed: string[] = [];
    // The writer group may be a rollover behind the log end the first pass snapshots.
    for (let attempt = 0; attempt < 20 && !closed.includes(`${day}/23`); attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, 3_000));
      const run = await runCli(['close-hours', '--json'], env);
      assert.equal(run.code, 0, `close-hours exited ${run.code}: ${run.stderr}`);
      closed.push(...(JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { closed: string[] }).closed);
    }
    for (let h = 0; h < 24; h++) {
      const hour = `${day}/${String(h).padStart(2, '0')}`;
      assert.ok(closed.includes(hour), `close-hours closed ${hour} (closed: ${closed.join(', ')})`);
    }
  },
);

When('the past day is consolidated, complete', async function (this: ChargebackWorld) {
  const past = pastDayOf(this);
  const run = await runCli(['consolidate', '--day', past.day, '--json']);
  assert.equal(run.code, 0, `consolidate exited ${run.code}: ${run.stderr}`);
  const { manifest } = JSON.parse(run.stdout) as { manifest: DayManifest };
  assert.equal(manifest.complete, true, 'the manifest says complete: true');
  assert.ok(manifest.outputs.length > 0, 'the day has outputs');
});

When(
  "an orphan Parquet file holding the merchant's changes of the past day is put in that day's consolidated folder",
  async function (this: ChargebackWorld) {
    const past = pastDayOf(this);
    // What a run that crashed before its manifest leaves: a real part file under a part-… name.
    await put(`${CONSOLIDATED}${past.day}/part-00000000deadbeef-00000.parquet`, writeParquetFile(past.records.map(toParquetRow)));
  },
);

Then(
  'the query read the past day from its consolidated copy and today from the landing zone',
  async function (this: ChargebackWorld) {
    const past = pastDayOf(this);
    const run = await runQuery(['SELECT 1']);
    assert.equal(run.code, 0, run.stderr);
    const line = run.stderr.split('\n').find((l) => l.startsWith('reading '));
    assert.ok(line, `a line saying which days come from where:\n${run.stderr}`);
    assert.match(line, new RegExp(`from the consolidated copy \\([^)]*${past.day}`), line);
    const consolidatedPart = /from the consolidated copy \(([^)]*)\)/.exec(line)![1]!;
    assert.ok(!consolidatedPart.includes(utcDay(Date.now())), `today is not read from a consolidated copy: ${line}`);
    assert.match(line, /, [1-9]\d* from the landing zone/, line);
  },
);
