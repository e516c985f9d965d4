import assert from 'node:assert/strict';
import { Then, When } from '@cucumber/cucumber';
import { assertNothingLands } from './support/assertNothingLands.ts';
import { currentPipeline } from './support/pipeline.ts';
import type { ChargebackWorld } from './support/world.ts';

/** Request bodies for each invalid case; the reason carries the scenario's marker so "nothing lands" can be checked. */
const INVALID: Record<string, (marker: string) => string> = {
  'a negative amount': (m) => JSON.stringify({ merchant_id: 'merch_neg', amount: '-5.00', currency: 'USD', reason: m }),
  'an unknown currency': (m) => JSON.stringify({ merchant_id: 'merch_cur', amount: '5.00', currency: 'XYZ', reason: m }),
  'too many decimals for JPY': (m) => JSON.stringify({ merchant_id: 'merch_jpy', amount: '100.5', currency: 'JPY', reason: m }),
  'too many decimals for USD': (m) => `{"merchant_id":"merch_usd","amount":10.999,"currency":"USD","reason":"${m}"}`,
  'no merchant': (m) => JSON.stringify({ amount: '5.00', currency: 'USD', reason: m }),
  'the amount as a float string': (m) => JSON.stringify({ merchant_id: 'merch_exp', amount: '1e3', currency: 'USD', reason: m }),
};

When('a merchant posts a chargeback with {}', async function (this: ChargebackWorld, problem: string) {
  const body = INVALID[problem];
  assert.ok(body, `no request body defined for "${problem}"`);
  const sentAt = Date.now();
  const res = await fetch(`${currentPipeline().apiUrl}/chargebacks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: body(this.marker),
  });
  this.response = { status: res.status, body: (await res.json()) as Record<string, unknown>, sentAt };
});

Then(
  'the API answers {int} naming the field {string} with {string}',
  function (this: ChargebackWorld, code: number, field: string, message: string) {
    assert.equal(this.response!.status, code, JSON.stringify(this.response!.body));
    const errors = this.response!.body.errors as Array<{ field: string; problem: string }>;
    assert.ok(Array.isArray(errors), `400 body has no errors list: ${JSON.stringify(this.response!.body)}`);
    const hit = errors.find((e) => e.field === field && e.problem.includes(message));
    assert.ok(hit, `no error on "${field}" mentioning "${message}": ${JSON.stringify(errors)}`);
  },
);

Then('nothing from that request lands', async function (this: ChargebackWorld) {
  const caughtUp = await assertNothingLands((r) => r.reason === this.marker, 'a refused request');
  this.log(`landing caught up in ${caughtUp.waitedMs} ms (sentinel ${caughtUp.sentinelId})`);
});
