import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { AfterStep, type DataTable, Then, When } from '@cucumber/cucumber';
import type { Chargeback } from '../pipeline/schema/index.ts';
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
  return new Promise((resolve) => {
    execFile(
      'node',
      ['bin/chargeback-cdc.js', 'query', ...args],
      { timeout: 120_000, env: process.env },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
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

Then('querying {string} gives exactly:', async function (this: ChargebackWorld, sql: string, table: DataTable) {
  const [header, ...expected] = table.raw() as [string[], ...string[][]];
  const rows = await queryJson(this, sql);
  if (rows.length > 0) assert.deepEqual(Object.keys(rows[0]!), header, 'the result has the columns the table names, in order');
  // Row order is not part of these queries (no ORDER BY): compare as multisets.
  assert.deepEqual(sortedLines(rows.map((r) => header.map((h) => asCell(r[h])))), sortedLines(expected), `rows of: ${sql}`);
});

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
      .filter((l) => !/^(fetching|fetched|no committed files) /.test(l));
    assert.equal(lines.length, 1, `one error line on stderr:\n${run.stderr}`);
    assert.ok(lines[0]!.startsWith(`chargeback-cdc: ${message}`), lines[0]);
  },
);
