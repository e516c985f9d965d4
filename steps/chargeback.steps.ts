import assert from 'node:assert/strict';
import { Given, Then, When } from '@cucumber/cucumber';
import {
  CHANGE_RECORD_FIELDS,
  SCHEMA_VERSION,
  canonicalAmount,
  type Chargeback,
  type ChangeRecord,
} from '../pipeline/schema/index.ts';
import { assertNothingLands } from './support/assertNothingLands.ts';
import { currentPipeline, currentTarget, LANDING_TIMEOUT_MS, TEST_ROLLOVER_MS } from './support/pipeline.ts';
import { streamRecordsOf } from './support/streamRecordsOf.ts';
import type { ChargebackWorld } from './support/world.ts';

async function call(world: ChargebackWorld, method: string, path: string, body?: unknown): Promise<void> {
  const sentAt = Date.now();
  const res = await fetch(`${currentTarget().apiUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  world.response = { status: res.status, body: text ? JSON.parse(text) : {}, sentAt };
}

/** POSTs a chargeback for this scenario's merchant; remembers it when the API accepted it. */
async function postChargeback(world: ChargebackWorld, amount: string, currency: string, reason: string): Promise<void> {
  await call(world, 'POST', '/chargebacks', { merchant_id: `merch_${world.marker.slice(9, 17)}`, amount, currency, reason });
  if (world.response!.status === 201) {
    world.chargeback = world.response!.body as unknown as Chargeback;
    world.lastChange = { event_type: 'INSERT', chargeback: world.chargeback, previous_status: null };
  }
}

async function fileChargeback(world: ChargebackWorld, amount: string, currency: string, reason: string): Promise<void> {
  await postChargeback(world, amount, currency, reason);
  assert.equal(
    world.response!.status,
    201,
    `POST /chargebacks answered ${world.response!.status}: ${JSON.stringify(world.response!.body)}`,
  );
}

const forChargeback = (id: string, type?: string) => (r: ChangeRecord) =>
  r.chargeback_id === id && (!type || r.event_type === type);

/** Waits for the expected rows, then one more rollover, so a late duplicate would be seen too. */
async function landedExactly(pred: (r: ChangeRecord) => boolean, count: number) {
  const { landing } = currentTarget();
  const first = await landing.waitForRows(pred, count, LANDING_TIMEOUT_MS);
  assert.equal(first.length, count, `expected ${count} landed row(s) within ${LANDING_TIMEOUT_MS} ms, found ${first.length}`);
  await new Promise((r) => setTimeout(r, TEST_ROLLOVER_MS * 2));
  const settled = await landing.rowsWhere(pred);
  assert.equal(
    settled.length,
    count,
    `expected exactly ${count} row(s); ${settled.length} landed: ${settled.map((s) => s.key).join(', ')}`,
  );
  return settled;
}

Given('the pipeline is running on the local stack', function (this: ChargebackWorld) {
  // Against CDC_TARGET the components are not ours: startPipeline checked that the target's API answers.
  if (currentTarget().target) return;
  const p = currentPipeline();
  for (const c of [p.api, p.poller, p.writer])
    assert.ok(c.running, `the ${c.name} process is not running; its output:\n${c.recentOutput()}`);
});

When(
  'a merchant files a chargeback of {string} {string} for {string}',
  async function (this: ChargebackWorld, amount: string, currency: string, reason: string) {
    await postChargeback(this, amount, currency, reason);
  },
);

Given(
  'a merchant has filed a chargeback of {string} {string} for {string}',
  async function (this: ChargebackWorld, amount: string, currency: string, reason: string) {
    await fileChargeback(this, amount, currency, reason);
    await landedExactly(forChargeback(this.chargeback!.chargeback_id, 'INSERT'), 1);
  },
);

When('the chargeback moves to {string}', async function (this: ChargebackWorld, status: string) {
  const before = this.chargeback!;
  await call(this, 'PATCH', `/chargebacks/${before.chargeback_id}`, { status });
  if (this.response!.status === 200) {
    this.chargeback = this.response!.body as unknown as Chargeback;
    this.lastChange = { event_type: 'MODIFY', chargeback: this.chargeback, previous_status: before.status };
  }
});

When('the chargeback is deleted', async function (this: ChargebackWorld) {
  await call(this, 'DELETE', `/chargebacks/${this.chargeback!.chargeback_id}`);
  assert.equal(this.response!.status, 200, JSON.stringify(this.response!.body));
  // The API answers with the deleted chargeback: what the REMOVE record's old image holds.
  const deleted = this.response!.body as unknown as Chargeback;
  this.lastChange = { event_type: 'REMOVE', chargeback: deleted, previous_status: deleted.status };
});

Then(
  'the API answers {int} with status {string} and a chargeback id',
  function (this: ChargebackWorld, code: number, status: string) {
    assert.equal(this.response!.status, code, JSON.stringify(this.response!.body));
    assert.equal(this.response!.body.status, status);
    assert.match(String(this.response!.body.chargeback_id), /^cb_[0-9a-f-]{36}$/);
  },
);

Then('the API answers {int} with status {string}', function (this: ChargebackWorld, code: number, status: string) {
  assert.equal(this.response!.status, code, JSON.stringify(this.response!.body));
  assert.equal(this.response!.body.status, status);
});

Then('the API answers {int} naming the allowed next statuses', function (this: ChargebackWorld, code: number) {
  assert.equal(this.response!.status, code, JSON.stringify(this.response!.body));
  assert.match(String(this.response!.body.message), /allowed next: UNDER_REVIEW, ACCEPTED/);
});

Then(
  'exactly one {string} row for that chargeback lands under the UTC date and hour it was processed',
  async function (this: ChargebackWorld, type: string) {
    const before = new Date(this.response!.sentAt);
    const [landed] = await landedExactly(forChargeback(this.chargeback!.chargeback_id, type), 1);
    const after = new Date();
    const m = /^landing\/chargebacks\/(\d{4}-\d{2}-\d{2})\/(\d{2})\/[^/]+\.parquet$/.exec(landed!.key);
    assert.ok(m, `landed key ${landed!.key} is not landing/chargebacks/YYYY-MM-DD/HH/<part>.parquet`);
    const bucketOf = (d: Date) => `${d.toISOString().slice(0, 10)}/${d.toISOString().slice(11, 13)}`;
    assert.ok(
      [bucketOf(before), bucketOf(after)].includes(`${m[1]}/${m[2]}`),
      `bucket ${m[1]}/${m[2]} is not the UTC hour of processing (${bucketOf(before)}..${bucketOf(after)})`,
    );
    this.lastLanded = landed!.row;
  },
);

/**
 * Every column of the schema, each against what the scenario did: the chargeback's fields, status and
 * previous status from the API's answers, the CDC metadata (event_id, sequence_number, event_time)
 * from the chargeback's record in the table's stream, schema_version from the schema. The columns
 * come from CHANGE_RECORD_FIELDS, so a column the schema gains fails here until it is given an
 * expected value.
 */
Then("the landed row has the chargeback's exact values", async function (this: ChargebackWorld) {
  const change = this.lastChange;
  const row = this.lastLanded;
  assert.ok(change, 'no change was made through the API by an earlier step');
  assert.ok(row, 'no landed row was found by an earlier step');
  const id = change.chargeback.chargeback_id;
  // The scenario's last change to this chargeback is the last record of it in the stream.
  const streamed = (await streamRecordsOf(id)).at(-1);
  assert.ok(streamed, `the table's stream holds no record of ${id}`);
  assert.equal(
    streamed.eventName,
    change.event_type,
    `the last stream record of ${id} is ${streamed.eventName}; the scenario's last change was ${change.event_type}`,
  );
  const created = streamed.dynamodb?.ApproximateCreationDateTime;
  assert.ok(created instanceof Date, `stream record ${streamed.eventID} has no ApproximateCreationDateTime`);
  const expected: Record<string, unknown> = {
    ...change.chargeback,
    previous_status: change.previous_status,
    event_type: change.event_type,
    schema_version: SCHEMA_VERSION,
    event_id: streamed.eventID,
    sequence_number: streamed.dynamodb?.SequenceNumber,
    event_time: created.toISOString(),
  };
  const landed = row as unknown as Record<string, unknown>;
  const columns = CHANGE_RECORD_FIELDS as readonly string[];
  const unchecked = columns.filter((c) => expected[c] === undefined);
  assert.deepEqual(unchecked, [], `no expected value for column(s) ${unchecked.join(', ')}: this step must check every column`);
  assert.deepEqual(Object.keys(landed).sort(), [...columns].sort(), "the landed row has exactly the schema's columns");
  const wrong = columns.filter((c) =>
    // Amounts land in canonical form, exactly (never through a float).
    c === 'amount' ? landed[c] !== canonicalAmount(String(expected[c])) : landed[c] !== expected[c],
  );
  assert.deepEqual(
    wrong.map((c) => `${c}: landed ${JSON.stringify(landed[c])}, expected ${JSON.stringify(expected[c])}`),
    [],
    'every column must land exactly as the scenario made it',
  );
});

Then(
  'exactly one {string} row for that chargeback lands with status {string} and previous status {string}',
  async function (this: ChargebackWorld, type: string, status: string, previous: string) {
    const [landed] = await landedExactly(forChargeback(this.chargeback!.chargeback_id, type), 1);
    assert.equal(landed!.row.status, status);
    assert.equal(landed!.row.previous_status, previous);
    this.lastLanded = landed!.row;
  },
);

Then('no {string} row for that chargeback lands', async function (this: ChargebackWorld, type: string) {
  const id = this.chargeback!.chargeback_id;
  const caughtUp = await assertNothingLands(forChargeback(id, type), `a ${type} row of ${id}`);
  this.log(`landing caught up in ${caughtUp.waitedMs} ms (sentinel ${caughtUp.sentinelId})`);
});
