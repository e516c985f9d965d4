import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Then, When } from '@cucumber/cucumber';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { CopyObjectCommand, DeleteObjectCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { awsClientConfigFromEnv } from '../pipeline/aws/index.ts';
import { listLandedFiles } from '../pipeline/parquet-writer/index.ts';
import {
  formatMoneyReconciliation,
  readLandedMoneyFile,
  reconcileMoney,
  utcHourOf,
  type MoneyGrouping,
  type MoneyReconciliation,
} from '../pipeline/reconcile/index.ts';
import { eventually } from '../fixtures/eventually.ts';
import type { ChargebackWorld } from './support/world.ts';

const run = promisify(execFile);
const PREFIX = 'landing/chargebacks/';

function inProcess(by: MoneyGrouping): Promise<MoneyReconciliation> {
  const aws = awsClientConfigFromEnv();
  return reconcileMoney({
    by,
    ddb: new DynamoDBClient(aws),
    streams: new DynamoDBStreamsClient(aws),
    s3: new S3Client(aws),
    tableName: process.env.TABLE_NAME!,
    bucket: process.env.LANDING_BUCKET!,
  });
}

/** Waits until the pipeline has drained (lost rows may still be on their way; nothing else goes away). */
async function drained(by: MoneyGrouping): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (!(await inProcess(by)).ok && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2_000));
}

/** The real command line, as an operator runs it: its exit code and its JSON report. */
async function cli(by: MoneyGrouping): Promise<{ code: number; report: MoneyReconciliation }> {
  try {
    const { stdout } = await run('node', ['bin/chargeback-cdc.js', 'reconcile', '--by', by, '--json'], {
      env: process.env,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, report: JSON.parse(stdout) };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    if (typeof err.code !== 'number' || !err.stdout) throw new Error(`reconcile --by ${by} failed: ${err.stderr ?? e}`);
    return { code: err.code, report: JSON.parse(err.stdout) };
  }
}

Then(
  "`chargeback-cdc reconcile --by hour` reports every hour's count and sum matching the stream",
  async function (this: ChargebackWorld) {
    await drained('hour');
    const { code, report } = await cli('hour');
    this.attach(formatMoneyReconciliation(report).join('\n'), 'text/plain');
    assert.equal(report.by, 'hour');
    if (report.by !== 'hour') return;
    assert.ok(report.streamChanges > 0, 'the stream holds no changes at all');
    assert.deepEqual(report.problems, [], 'landed rows reconcile could not read');
    assert.deepEqual(
      report.report.cells.filter((c) => !c.match),
      [],
      `first hour that differs: ${report.report.firstDifferentHour}`,
    );
    assert.deepEqual(report.report.totals.landed, report.report.totals.stream);
    assert.equal(report.report.firstDifferentHour, null);
    assert.equal(code, 0, 'reconcile --by hour exit code');
  },
);

Then(
  "`chargeback-cdc reconcile --by chargeback` reports every chargeback's count and latest amount matching the stream",
  async function (this: ChargebackWorld) {
    const { code, report } = await cli('chargeback');
    assert.equal(report.by, 'chargeback');
    if (report.by !== 'chargeback') return;
    this.attach(`${report.report.chargebacks.length} chargebacks, ${report.report.differentChargebacks} differ`, 'text/plain');
    assert.ok(report.report.chargebacks.length > 0, 'no chargebacks at all');
    assert.deepEqual(
      report.report.chargebacks.filter((c) => !c.match),
      [],
      `first chargeback that differs: ${report.report.firstDifferentChargeback}`,
    );
    assert.equal(code, 0, 'reconcile --by chargeback exit code');
  },
);

When('every change has landed in money terms', async () => {
  await eventually(
    'every change to land (reconcile --by hour to match)',
    90_000,
    async () => ((await inProcess('hour')).ok ? true : undefined),
    { intervalMs: 2_000 },
  );
});

When(
  'a copy of one landed part file appears under another part name',
  async function (this: ChargebackWorld & { copiedKey?: string; copiedHour?: string }) {
    const s3 = new S3Client(awsClientConfigFromEnv());
    const bucket = process.env.LANDING_BUCKET!;
    const files = await listLandedFiles(s3, bucket, PREFIX);
    assert.ok(files.length > 0, 'nothing has landed');
    const source = files[files.length - 1]!.key;
    const obj = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: source }));
    const { changes } = await readLandedMoneyFile(await obj.Body!.transformToByteArray(), source);
    assert.ok(changes.length > 0, `${source} holds no rows`);
    this.copiedHour = changes.map((c) => utcHourOf(c.event_time)).sort()[0];
    this.copiedKey = source.replace(/\.parquet$/, '-copy.parquet');
    await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: this.copiedKey, CopySource: `${bucket}/${source}` }));
  },
);

Then(
  '`chargeback-cdc reconcile --by hour` exits 2 naming the earliest hour of that file as the first that differs',
  async function (this: ChargebackWorld & { copiedKey?: string; copiedHour?: string }) {
    const s3 = new S3Client(awsClientConfigFromEnv());
    try {
      const { code, report } = await cli('hour');
      this.attach(formatMoneyReconciliation(report).join('\n'), 'text/plain');
      assert.equal(code, 2, 'reconcile --by hour exit code');
      assert.equal(report.by === 'hour' && report.report.firstDifferentHour, this.copiedHour);
    } finally {
      // The copy is this scenario's own fault: later scenarios reconcile the same landing zone.
      await s3.send(new DeleteObjectCommand({ Bucket: process.env.LANDING_BUCKET!, Key: this.copiedKey! }));
    }
  },
);
