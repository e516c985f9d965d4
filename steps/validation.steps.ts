import assert from 'node:assert/strict';
import { Then, When } from '@cucumber/cucumber';
import { assertNothingLands } from './support/assertNothingLands.ts';
import { currentTarget } from './support/pipeline.ts';
import type { ChargebackWorld } from './support/world.ts';

/** Request bodies for each invalid case; the reason carries the scenario's marker so "nothing lands" can be checked. */
const INVALID: Record<string, (marker: string) => string | Buffer> = {
  'a negative amount': (m) => JSON.stringify({ merchant_id: 'merch_neg', amount: '-5.00', currency: 'USD', reason: m }),
  'an unknown currency': (m) => JSON.stringify({ merchant_id: 'merch_cur', amount: '5.00', currency: 'XYZ', reason: m }),
  'too many decimals for JPY': (m) => JSON.stringify({ merchant_id: 'merch_jpy', amount: '100.5', currency: 'JPY', reason: m }),
  'too many decimals for USD': (m) => `{"merchant_id":"merch_usd","amount":10.999,"currency":"USD","reason":"${m}"}`,
  'no merchant': (m) => JSON.stringify({ amount: '5.00', currency: 'USD', reason: m }),
  'the amount as a float string': (m) => JSON.stringify({ merchant_id: 'merch_exp', amount: '1e3', currency: 'USD', reason: m }),
  // The JSON escape itself, as a client would send it: JSON.stringify of a lone surrogate writes the same.
  'a lone surrogate in the merchant': (m) => `{"merchant_id":"merch_\\udfff","amount":"5.00","currency":"USD","reason":"${m}"}`,
  'a number as the merchant': (m) => `{"merchant_id":123,"amount":"5.00","currency":"USD","reason":"${m}"}`,
  'the currency as its ISO number': (m) => `{"merchant_id":"merch_iso","amount":"5.00","currency":840,"reason":"${m}"}`,
  'invalid UTF-8 in the merchant': (m) =>
    Buffer.concat([
      Buffer.from('{"merchant_id":"merch_'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from(`","amount":"5.00","currency":"USD","reason":"${m}"}`),
    ]),
};

/** A chargeback the API would accept as JSON: only how it is sent is wrong. */
const validBody = (marker: string) =>
  JSON.stringify({ merchant_id: 'merch_ok', amount: '5.00', currency: 'USD', reason: marker });

async function postRaw(world: ChargebackWorld, headers: Record<string, string>, body: string | Buffer): Promise<void> {
  const sentAt = Date.now();
  // A byte body makes fetch add no content-type of its own (a string would get text/plain).
  const res = await fetch(`${currentTarget().apiUrl}/chargebacks`, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? new TextEncoder().encode(body) : new Uint8Array(body),
  });
  world.response = { status: res.status, body: (await res.json()) as Record<string, unknown>, sentAt };
}

When('a merchant posts a valid chargeback as {string}', async function (this: ChargebackWorld, contentType: string) {
  await postRaw(this, contentType === 'no content type' ? {} : { 'content-type': contentType }, validBody(this.marker));
});

When('a merchant posts a valid chargeback padded to {int} MB', async function (this: ChargebackWorld, megabytes: number) {
  // JSON allows any whitespace after the object, so without the size limit this would be a 201 that lands.
  const body = validBody(this.marker);
  await postRaw(this, { 'content-type': 'application/json' }, body.padEnd(megabytes * 1_000_000, ' '));
});

When('a merchant posts a chargeback with {}', async function (this: ChargebackWorld, problem: string) {
  const body = INVALID[problem];
  assert.ok(body, `no request body defined for "${problem}"`);
  await postRaw(this, { 'content-type': 'application/json' }, body(this.marker));
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
