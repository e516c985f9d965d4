import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { After, type DataTable, Then, When, Given } from '@cucumber/cucumber';
import { awsClientConfigFromEnv } from '../pipeline/aws/index.ts';
import type { PassResult } from '../pipeline/completeness/index.ts';
import {
  athenaSymlinkKey,
  CSV_COLUMNS,
  compareSequenceNumbers,
  type DayManifest,
  parseDayManifest,
} from '../pipeline/consolidation/index.ts';
import { listLandedFiles } from '../pipeline/parquet-writer/index.ts';
import { LandingZone } from '../pipeline/reconcile/index.ts';
import { canonicalAmount, type Chargeback } from '../pipeline/schema/index.ts';
import type { ComponentProcess } from './support/ComponentProcess.ts';
import {
  getBytes,
  getText,
  listObjects,
  type ObjectVersion,
  pyarrowRows,
  readCsvWithPython,
  totalsOf,
} from '../fixtures/consolidationReaders.ts';
import { S3PutTap } from '../fixtures/consolidationS3Tap.ts';
import { currentPipeline, LANDING_TIMEOUT_MS, newWriter } from './support/pipeline.ts';
import type { ChargebackWorld } from './support/world.ts';

/**
 * The daily consolidation as the schedule runs it: `chargeback-cdc consolidate` as a child process
 * against moto, over a day landed by a real writer from the real topic. The writer is the
 * scenario's own (own consumer group, own landing and consolidated prefixes), so a day closed
 * here holds exactly what it landed, whatever other scenarios do to the shared landing zone.
 */

const run = promisify(execFile);
const GRACE_MS = 30_000;

interface ConsolidateRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  result?: { status: string; manifest: DayManifest; athenaSymlink: { key: string; action: string } };
}

interface ConsolidationState {
  id: string;
  landingPrefix: string;
  consolidatedPrefix: string;
  groupId: string;
  writer: ComponentProcess;
  merchant: string;
  filed: Chargeback[];
  /** Changes the merchant's calls cause: one row each. */
  changes: number;
  day: string;
  runs: ConsolidateRun[];
  /** The CSV's records as Python's csv module read them. */
  csvRecords?: string[][];
  /** The consolidated objects and the manifest's bytes after the first successful run. */
  afterFirst?: { objects: ObjectVersion[]; manifest: string };
}

const states = new WeakMap<ChargebackWorld, ConsolidationState>();
function stateOf(world: ChargebackWorld): ConsolidationState {
  const s = states.get(world);
  assert.ok(s, 'the scenario must start its writer first ("a writer of the scenario lands the topic …")');
  return s;
}

const s3 = () => new S3Client(awsClientConfigFromEnv());
const bucket = () => process.env.LANDING_BUCKET!;
const dayPrefixOf = (s: ConsolidationState) => `${s.consolidatedPrefix}${s.day}/`;
const manifestKeyOf = (s: ConsolidationState) => `${dayPrefixOf(s)}_manifest.json`;

Given('a writer of the scenario lands the topic under a landing prefix of its own', async function (this: ChargebackWorld) {
  const id = this.marker.slice(9, 17);
  const base = `scenario-${id}/`;
  const landingPrefix = `${base}landing/chargebacks/`;
  const groupId = `consolidation-${id}`;
  const writer = newWriter(`writer-consolidation-${id}`, {
    ...currentPipeline().writerEnv,
    LANDING_PREFIX: landingPrefix,
    WRITER_GROUP_ID: groupId,
  });
  states.set(this, {
    id,
    landingPrefix,
    consolidatedPrefix: `${base}consolidated/chargebacks/`,
    groupId,
    writer,
    merchant: `merch_${id}`,
    filed: [],
    changes: 0,
    day: new Date().toISOString().slice(0, 10),
    runs: [],
  });
  await writer.start();
});

After(async function (this: ChargebackWorld) {
  await states.get(this)?.writer.stop();
});

async function api(method: string, path: string, body: unknown): Promise<Chargeback> {
  const res = await fetch(`${currentPipeline().apiUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  assert.ok(res.status === 200 || res.status === 201, `${method} ${path} answered ${res.status}: ${text}`);
  return JSON.parse(text) as Chargeback;
}

async function file(s: ConsolidationState, amount: string, currency: string, reason: string): Promise<Chargeback> {
  const cb = await api('POST', '/chargebacks', { merchant_id: s.merchant, amount, currency, reason });
  s.filed.push(cb);
  s.changes++;
  return cb;
}

async function waitUntilLanded(s: ConsolidationState): Promise<void> {
  const zone = new LandingZone(bucket(), s.landingPrefix);
  const rows = await zone.waitForRows((r) => r.merchant_id === s.merchant, s.changes, LANDING_TIMEOUT_MS);
  assert.equal(rows.length, s.changes, `expected ${s.changes} rows of ${s.merchant} under ${s.landingPrefix}`);
  const days = new Set(rows.map((r) => r.key.slice(s.landingPrefix.length, s.landingPrefix.length + 10)));
  assert.deepEqual([...days], [s.day], 'all the rows landed in one UTC day (a scenario across midnight cannot close its day)');
}

When(
  "the merchant files {int} chargebacks in USD, JPY and KWD and they land under the scenario's prefix",
  async function (this: ChargebackWorld, n: number) {
    const s = stateOf(this);
    for (let i = 0; i < n; i++) {
      const [amount, currency] = [
        [`${i + 1}.${String(i).padStart(2, '0')}`, 'USD'],
        [`${(i + 1) * 1000}`, 'JPY'],
        [`${i + 1}.${String(i * 7).padStart(3, '0')}`, 'KWD'],
      ][i % 3]!;
      const cb = await file(s, amount!, currency!, `Consolidation ${i}`);
      // A few MODIFY and REMOVE changes too, so a chargeback has several rows to order by sequence number.
      if (i % 4 === 1) {
        await api('PATCH', `/chargebacks/${cb.chargeback_id}`, { status: 'UNDER_REVIEW' });
        s.changes++;
      }
      if (i % 7 === 2) {
        await api('DELETE', `/chargebacks/${cb.chargeback_id}`, undefined);
        s.changes++;
      }
    }
    await waitUntilLanded(s);
  },
);

When(
  "the merchant files these chargebacks and they land under the scenario's prefix:",
  async function (this: ChargebackWorld, table: DataTable) {
    const s = stateOf(this);
    for (const row of table.hashes()) await file(s, row.amount!, row.currency!, row.reason!);
    await waitUntilLanded(s);
  },
);

When('the hour closer closes all 24 hours of the day as if the day had ended', async function (this: ChargebackWorld) {
  const s = stateOf(this);
  // The closer's own state, as if it had run through the end of the day before: it starts at hour 00.
  const stateKey = `scenario-${s.id}/_state/closer.json`;
  const dayStart = Date.parse(`${s.day}T00:00:00Z`);
  const yesterday = new Date(dayStart - 86_400_000).toISOString().slice(0, 10);
  const seeded = { version: 1, closedThrough: `${yesterday}/23`, snapshot: null };
  await s3().send(new PutObjectCommand({ Bucket: bucket(), Key: stateKey, Body: JSON.stringify(seeded) }));
  const now = new Date(dayStart + 86_400_000 + GRACE_MS + 1_000).toISOString();
  const env = { ...process.env, LANDING_PREFIX: s.landingPrefix, WRITER_GROUP_ID: s.groupId, CLOSER_STATE_KEY: stateKey };
  const closed: string[] = [];
  const deadline = Date.now() + LANDING_TIMEOUT_MS;
  // The writer commits its offsets just after its files are visible: poll as `run closer` does.
  while (!closed.includes(`${s.day}/23`)) {
    const { stdout } = await run(
      'node',
      ['bin/chargeback-cdc.js', 'close-hours', '--json', '--grace', `${GRACE_MS}ms`, '--now', now],
      { env, timeout: 120_000 },
    );
    closed.push(...(JSON.parse(stdout.trim().split('\n').at(-1)!) as PassResult).closed);
    if (closed.includes(`${s.day}/23`)) break;
    assert.ok(Date.now() < deadline, `the closer closed only ${closed.join(', ') || 'nothing'} within ${LANDING_TIMEOUT_MS} ms`);
    await new Promise((r) => setTimeout(r, 2_000));
  }
  const markers = (await listObjects(`${s.landingPrefix}${s.day}/`)).filter((o) => o.key.endsWith('/_manifest.json'));
  assert.equal(markers.length, 24, `24 hour markers under ${s.landingPrefix}${s.day}/`);
});

function consolidateArgs(s: ConsolidationState, targetSize: string): { args: string[]; env: NodeJS.ProcessEnv } {
  return {
    args: ['bin/chargeback-cdc.js', 'consolidate', '--day', s.day, '--target-size', targetSize, '--json'],
    env: { ...process.env, LANDING_PREFIX: s.landingPrefix, CONSOLIDATED_PREFIX: s.consolidatedPrefix },
  };
}

function finished(child: ChildProcess): Promise<ConsolidateRun> {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  return new Promise((resolve) =>
    child.once('exit', (code, signal) => {
      const last = stdout.trim().split('\n').at(-1);
      resolve({ code, signal, stdout, stderr, ...(code === 0 && last ? { result: JSON.parse(last) } : {}) });
    }),
  );
}

async function consolidate(s: ConsolidationState, targetSize: string): Promise<ConsolidateRun> {
  const { args, env } = consolidateArgs(s, targetSize);
  const r = await finished(spawn('node', args, { env, stdio: ['ignore', 'pipe', 'pipe'] }));
  assert.equal(r.code, 0, `consolidate exited ${r.code ?? r.signal}: ${r.stderr}`);
  s.runs.push(r);
  s.afterFirst ??= { objects: await listObjects(s.consolidatedPrefix), manifest: await getText(manifestKeyOf(s)) };
  return r;
}

When(
  /^the day is consolidated(?: again)? with a target size of (\S+?)(?: byte)?$/,
  async function (this: ChargebackWorld, size: string) {
    await consolidate(stateOf(this), size);
  },
);

When(
  'the consolidation at a target size of 1 byte is killed with SIGKILL after its first part file reached the bucket',
  async function (this: ChargebackWorld) {
    const s = stateOf(this);
    const { args, env } = consolidateArgs(s, '1');
    let child: ChildProcess | undefined;
    let killedAfter: string | undefined;
    // The job reaches moto through a tap that kills it as soon as S3 has taken its first part file.
    const tap = new S3PutTap(
      new URL(process.env.AWS_ENDPOINT_URL!),
      (path) => /\/part-[0-9a-f]{16}-[0-9]{5}\.parquet(\?|$)/.test(path),
      (path) => {
        killedAfter ??= path;
        child?.kill('SIGKILL');
      },
    );
    await tap.start();
    try {
      child = spawn('node', args, { env: { ...env, AWS_ENDPOINT_URL: tap.endpoint }, stdio: ['ignore', 'pipe', 'pipe'] });
      const r = await finished(child);
      assert.equal(r.signal, 'SIGKILL', `the run was to be killed mid-way, but it ended with ${r.code}: ${r.stderr}`);
      assert.ok(killedAfter, 'killed after a part file PUT');
    } finally {
      await tap.close();
    }
  },
);

Then('the killed run left part files no manifest lists', async function (this: ChargebackWorld) {
  const s = stateOf(this);
  const m = await manifestOf(s);
  const listed = new Set(m.outputs.map((o) => o.key));
  const extra = (await listObjects(dayPrefixOf(s))).filter((o) => o.key.endsWith('.parquet') && !listed.has(o.key));
  assert.ok(extra.length > 0, 'the kill came after at least one new part file');
});

Then(
  'readers following the manifest see the previous day or the new one, every file whole',
  async function (this: ChargebackWorld) {
    const s = stateOf(this);
    const text = await getText(manifestKeyOf(s));
    const m = parseDayManifest(new TextEncoder().encode(text))!;
    assert.ok(m, 'the day has a manifest');
    const previous = text === s.afterFirst!.manifest;
    assert.ok(previous || m.outputs.length === m.rows, 'the manifest is the previous one, or the new run’s (a file per row)');
    await assertDayWhole(s, m);
  },
);

Then('the Athena symlink names only part files that exist', async function (this: ChargebackWorld) {
  const s = stateOf(this);
  const keys = new Set((await listObjects(s.consolidatedPrefix)).map((o) => o.key));
  for (const uri of await symlinkUris(s)) {
    assert.ok(keys.has(uri.slice(`s3://${bucket()}/`.length)), `${uri} named by the symlink exists`);
  }
});

Then('the manifest says the day is complete and lists more than one part file and a CSV', async function (this: ChargebackWorld) {
  const s = stateOf(this);
  const m = await manifestOf(s);
  assert.equal(m.complete, true);
  assert.deepEqual(m.missingHours, []);
  assert.ok(m.outputs.length > 1, `more than one part file at 2KB, got ${m.outputs.length}`);
  assert.equal(m.csv.key, `${dayPrefixOf(s)}chargebacks-${s.day}-${m.run}.csv`);
});

Then(
  "the part files' rows equal the landing zone's rows read with pyarrow, with equal count and exact sum per currency",
  async function (this: ChargebackWorld) {
    const s = stateOf(this);
    await assertRowsEqualLanding(s, await manifestOf(s));
  },
);

Then(
  "the manifest lists a part file per row, the day's folder holds only what it lists, and the rows equal the landing zone's",
  async function (this: ChargebackWorld) {
    const s = stateOf(this);
    const m = await manifestOf(s);
    assert.equal(m.outputs.length, m.rows, 'one part file per row at a 1-byte target');
    assert.deepEqual(
      (await listObjects(dayPrefixOf(s))).map((o) => o.key),
      [...m.outputs.map((o) => o.key), m.csv.key, manifestKeyOf(s)].sort(),
    );
    await assertRowsEqualLanding(s, m);
  },
);

Then("the Athena symlink lists the manifest's part files", async function (this: ChargebackWorld) {
  const s = stateOf(this);
  const m = await manifestOf(s);
  const body = await getText(athenaSymlinkKey(s.consolidatedPrefix, s.day));
  assert.equal(body, m.outputs.map((o) => `s3://${bucket()}/${o.key}\n`).join(''));
});

Then('the rerun said the day is up to date', function (this: ChargebackWorld) {
  const r = stateOf(this).runs.at(-1)!;
  assert.equal(r.result?.status, 'up-to-date', r.stdout);
  assert.equal(r.result?.athenaSymlink.action, 'unchanged');
});

Then(
  "the day's objects have the same keys, ETags and bytes as after the first run, and there are no new ones",
  async function (this: ChargebackWorld) {
    const s = stateOf(this);
    assert.deepEqual(await listObjects(s.consolidatedPrefix), s.afterFirst!.objects);
    assert.equal(await getText(manifestKeyOf(s)), s.afterFirst!.manifest);
  },
);

Then('the CSV is UTF-8 without a BOM with CRLF line ends', async function (this: ChargebackWorld) {
  const s = stateOf(this);
  const m = await manifestOf(s);
  const bytes = await getBytes(m.csv.key);
  assert.equal(bytes.length, m.csv.bytes);
  assert.notDeepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'no byte order mark');
  const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  // Outside quoted fields, every line ends CRLF: one per record, header included.
  const bare = text.replace(/"(?:[^"]|"")*"/g, '');
  assert.equal(bare.replace(/\r\n/g, '').search(/[\r\n]/), -1, 'no bare CR or LF outside quoted fields');
  assert.equal(bare.split('\r\n').length - 1, m.csv.rows + 1);
  assert.ok(text.endsWith('\r\n'));
});

Then("Python's csv module reads the CSV back to the part files' rows, value for value", async function (this: ChargebackWorld) {
  const s = stateOf(this);
  const m = await manifestOf(s);
  const [header, ...records] = await readCsvWithPython(m.csv.key);
  assert.deepEqual(header, CSV_COLUMNS, "the header is the schema's column names");
  const parquet = await pyarrowRows(m.outputs.map((o) => o.key));
  assert.equal(records.length, parquet.length);
  records.forEach((rec, i) => {
    const want = parquet[i]!;
    for (const [c, name] of header!.entries()) {
      const v = want[name];
      const got = rec[c]!;
      if (name === 'amount') {
        assert.match(got, /^[0-9]+\.[0-9]{4}$/, 'amount at the schema scale');
        assert.equal(canonicalAmount(got), v, `row ${i} amount`);
      } else assert.equal(got, v === null ? '' : String(v), `row ${i} ${name}`);
    }
  });
  s.csvRecords = [header!, ...records];
});

Then('the reasons read back from the CSV are the ones filed', async function (this: ChargebackWorld) {
  const s = stateOf(this);
  const records = s.csvRecords!.slice(1);
  const [merchant, reason] = [CSV_COLUMNS.indexOf('merchant_id'), CSV_COLUMNS.indexOf('reason')];
  const mine = records.filter((r) => r[merchant] === s.merchant).map((r) => r[reason]);
  assert.deepEqual(mine.sort(), s.filed.map((c) => c.reason).sort());
  assert.ok(mine.some((r) => r!.includes('\n') && r!.includes('"') && r!.includes(',')));
});

async function assertRowsEqualLanding(s: ConsolidationState, m: DayManifest): Promise<void> {
  const landedKeys = (await listLandedFiles(s3(), bucket(), `${s.landingPrefix}${s.day}/`)).map((f) => f.key);
  const landed = await pyarrowRows(landedKeys);
  const consolidated = await pyarrowRows(m.outputs.map((o) => o.key));
  const canon = (rows: ReadonlyArray<Record<string, unknown>>) => rows.map((r) => JSON.stringify(r)).sort();
  assert.deepEqual(canon(consolidated), canon(landed), 'the same rows as the landing zone (as a multiset)');
  assert.ok(landed.filter((r) => r.merchant_id === s.merchant).length === s.changes, "the merchant's changes are among them");
  for (let i = 1; i < consolidated.length; i++) {
    const [a, b] = [consolidated[i - 1]!, consolidated[i]!];
    const inOrder =
      String(a.chargeback_id) < String(b.chargeback_id) ||
      (a.chargeback_id === b.chargeback_id && compareSequenceNumbers(String(a.sequence_number), String(b.sequence_number)) <= 0);
    assert.ok(inOrder, `row ${i} is in chargeback_id, sequence number order`);
  }
  const expected = totalsOf(landed);
  assert.deepEqual(totalsOf(consolidated), expected, 'count and exact sum per currency, part files vs landing zone');
  assert.deepEqual(m.currencies, expected, "the manifest's totals");
  assert.deepEqual(m.csv.currencies, expected, "the CSV's totals in the manifest");
  assert.equal(m.rows, landed.length);
}

/** Every file the manifest lists is there with its bytes; the part files hold its rows; the CSV its row count. */
async function assertDayWhole(s: ConsolidationState, m: DayManifest): Promise<void> {
  const sizes = new Map((await listObjects(dayPrefixOf(s))).map((o) => [o.key, o.size]));
  for (const f of [...m.outputs, m.csv]) assert.equal(sizes.get(f.key), f.bytes, `${f.key} listed by the manifest, whole`);
  assert.equal((await pyarrowRows(m.outputs.map((o) => o.key))).length, m.rows);
  assert.equal((await readCsvWithPython(m.csv.key)).length - 1, m.csv.rows);
}

async function symlinkUris(s: ConsolidationState): Promise<string[]> {
  const body = await getText(athenaSymlinkKey(s.consolidatedPrefix, s.day)).catch(() => '');
  return body.split('\n').slice(0, -1);
}

async function manifestOf(s: ConsolidationState): Promise<DayManifest> {
  const m = parseDayManifest(await getBytes(manifestKeyOf(s)));
  assert.ok(m, `${manifestKeyOf(s)} is a day manifest`);
  return m;
}
