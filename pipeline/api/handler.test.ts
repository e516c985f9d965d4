import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { createApiHandler } from './handler.ts';
import { ChargebackRoutes } from './routes.ts';
import type { ChargebackRepository } from './ChargebackRepository.ts';
import type { Chargeback, ChargebackStatus } from '../schema/index.ts';

/** An in-memory repository: this is a unit test of the handler's HTTP behaviour, not of DynamoDB. */
function memoryRepo(): ChargebackRepository {
  const items = new Map<string, Chargeback>();
  return {
    create: async (cb: Chargeback) => void items.set(cb.chargeback_id, cb),
    get: async (id: string) => items.get(id),
    updateStatus: async (id: string, from: ChargebackStatus, to: ChargebackStatus, at: string) => {
      const cb = items.get(id);
      if (!cb || cb.status !== from) return false;
      const next = { ...cb, status: to, updated_at: at };
      items.set(id, next);
      return next;
    },
    delete: async (id: string) => {
      const cb = items.get(id);
      items.delete(id);
      return cb;
    },
  } as unknown as ChargebackRepository;
}

const JSON_TYPE = { 'content-type': 'application/json' };
const event = (
  method: string,
  path: string,
  body?: string,
  more: { headers?: Record<string, string>; isBase64Encoded?: boolean } = {},
): APIGatewayProxyEventV2 =>
  ({
    rawPath: path,
    body,
    isBase64Encoded: more.isBase64Encoded ?? false,
    headers: more.headers ?? JSON_TYPE,
    requestContext: { http: { method } },
  }) as unknown as APIGatewayProxyEventV2;

let n = 0;
const handler = createApiHandler(
  new ChargebackRoutes(
    memoryRepo(),
    () => new Date('2026-11-27T10:00:00.123Z'),
    () => `cb_${++n}`,
  ),
);
const post = (body: string) => handler(event('POST', '/chargebacks', body));

test('POST stores a RECEIVED chargeback and keeps a JSON-number amount exact', async () => {
  const r = await post('{"merchant_id":"m1","amount":1234567890123.45,"currency":"USD","reason":"Product not received"}');
  assert.equal(r.statusCode, 201);
  const cb = JSON.parse(r.body!);
  assert.equal(cb.amount, '1234567890123.45');
  assert.equal(cb.status, 'RECEIVED');
  assert.equal(cb.created_at, '2026-11-27T10:00:00.123Z');
});

test('POST with several problems answers 400 listing each field', async () => {
  const r = await post('{"amount":"-3","currency":"usd","extra":1}');
  assert.equal(r.statusCode, 400);
  const fields = JSON.parse(r.body!)
    .errors.map((e: { field: string }) => e.field)
    .sort();
  assert.deepEqual(fields, ['amount', 'body', 'currency', 'merchant_id', 'reason']);
});

test('POST with a body that is not JSON answers 400 naming the body', async () => {
  const r = await post('{"amount": 1,');
  assert.equal(r.statusCode, 400);
  assert.equal(JSON.parse(r.body!).errors[0].field, 'body');
});

test('PATCH follows the lifecycle and refuses an illegal transition with 409', async () => {
  const id = JSON.parse((await post('{"merchant_id":"m","amount":"5","currency":"EUR","reason":"r"}')).body!).chargeback_id;
  assert.equal((await handler(event('PATCH', `/chargebacks/${id}`, '{"status":"WON"}'))).statusCode, 409);
  assert.equal((await handler(event('PATCH', `/chargebacks/${id}`, '{"status":"UNDER_REVIEW"}'))).statusCode, 200);
  assert.equal((await handler(event('PATCH', `/chargebacks/${id}`, '{"status":"REPRESENTED"}'))).statusCode, 200);
  const won = await handler(event('PATCH', `/chargebacks/${id}`, '{"status":"WON"}'));
  assert.equal(JSON.parse(won.body!).status, 'WON');
  assert.equal((await handler(event('PATCH', `/chargebacks/${id}`, '{"status":"nope"}'))).statusCode, 400);
});

test('GET and DELETE answer 404 for an unknown id, and unknown routes/methods are 404/405', async () => {
  assert.equal((await handler(event('GET', '/chargebacks/none'))).statusCode, 404);
  assert.equal((await handler(event('DELETE', '/chargebacks/none'))).statusCode, 404);
  assert.equal((await handler(event('GET', '/chargebacks'))).statusCode, 405);
  assert.equal((await handler(event('GET', '/other'))).statusCode, 404);
});

const VALID = { merchant_id: 'm1', amount: '10.00', currency: 'USD', reason: 'Product not received' };
const errorsOf = (r: { body?: string }) => (JSON.parse(r.body!).errors ?? []) as Array<{ field: string; problem: string }>;

test('POST with a lone UTF-16 surrogate in a text field answers 400 naming the field, as the writer would refuse it', async () => {
  for (const [field, raw] of [
    ['reason', String.raw`"\udfff x"`],
    ['merchant_id', String.raw`"m\ud800"`],
  ] as const) {
    const r = await post(JSON.stringify({ ...VALID, [field]: 'PLACEHOLDER' }).replace('"PLACEHOLDER"', raw));
    assert.equal(r.statusCode, 400, r.body);
    assert.deepEqual(errorsOf(r), [{ field, problem: 'contains a lone UTF-16 surrogate (not representable in UTF-8)' }]);
  }
  // A surrogate pair is one code point (an emoji) and stays accepted.
  assert.equal((await post(JSON.stringify({ ...VALID, reason: 'refund \u{1F600}' }))).statusCode, 201);
});

test('POST with a JSON number where a string is required answers 400 with a type error; the amount may stay a number', async () => {
  const r = await post('{"merchant_id":123,"amount":10,"currency":"USD","reason":1.5}');
  assert.equal(r.statusCode, 400, r.body);
  assert.deepEqual(
    errorsOf(r).sort((a, b) => a.field.localeCompare(b.field)),
    [
      { field: 'merchant_id', problem: 'must be a string' },
      { field: 'reason', problem: 'must be a string' },
    ],
  );
  const patch = await handler(event('PATCH', '/chargebacks/cb_x', '{"status":1}'));
  assert.equal(patch.statusCode, 400, patch.body);
  assert.equal(errorsOf(patch)[0]?.field, 'status');
});

test('POST with a body that is not valid UTF-8 answers 400, whether API Gateway passes it base64-encoded or not', async () => {
  const bytes = Buffer.concat([
    Buffer.from('{"merchant_id":"m","amount":"1","currency":"USD","reason":"'),
    Buffer.from([0xc3, 0x28]),
    Buffer.from('"}'),
  ]);
  const r = await handler(event('POST', '/chargebacks', bytes.toString('base64'), { isBase64Encoded: true }));
  assert.equal(r.statusCode, 400, r.body);
  assert.deepEqual(errorsOf(r), [{ field: 'body', problem: 'is not valid UTF-8' }]);
  const ok = await handler(
    event('POST', '/chargebacks', Buffer.from(JSON.stringify(VALID)).toString('base64'), { isBase64Encoded: true }),
  );
  assert.equal(ok.statusCode, 201, ok.body);
  assert.equal(JSON.parse(ok.body!).reason, VALID.reason);
});

test('a body not declared as UTF-8 JSON answers 415 naming the content-type; application/json with parameters is accepted', async () => {
  const body = JSON.stringify(VALID);
  for (const type of [
    'text/plain',
    'application/xml',
    'application/x-www-form-urlencoded',
    'application/json; charset=iso-8859-1',
    'application/jsonx',
  ]) {
    const r = await handler(event('POST', '/chargebacks', body, { headers: { 'content-type': type } }));
    assert.equal(r.statusCode, 415, `${type}: ${r.body}`);
    assert.equal(JSON.parse(r.body!).error, 'UNSUPPORTED_MEDIA_TYPE');
    assert.equal(errorsOf(r)[0]?.field, 'content-type');
  }
  const missing = await handler(event('POST', '/chargebacks', body, { headers: {} }));
  assert.equal(missing.statusCode, 415, missing.body);
  assert.match(errorsOf(missing)[0]!.problem, /is missing/);
  const patch = await handler(
    event('PATCH', '/chargebacks/cb_1', '{"status":"UNDER_REVIEW"}', { headers: { 'content-type': 'text/plain' } }),
  );
  assert.equal(patch.statusCode, 415, patch.body);
  for (const type of ['application/json; charset=utf-8', 'Application/JSON;Charset="UTF-8"', 'application/json ; foo=bar']) {
    const r = await handler(event('POST', '/chargebacks', body, { headers: { 'content-type': type } }));
    assert.equal(r.statusCode, 201, `${type}: ${r.body}`);
  }
  const upper = await handler(event('POST', '/chargebacks', body, { headers: { 'Content-Type': 'application/json' } }));
  assert.equal(upper.statusCode, 201, upper.body);
});

test('a chargeback id with bad percent-encoding or over 128 characters answers 400 naming chargeback_id', async () => {
  for (const id of ['%E0%A4%A', '%zz', '%ED%B0%80', 'x'.repeat(129)]) {
    const r = await handler(event('GET', `/chargebacks/${id}`));
    assert.equal(r.statusCode, 400, `${id}: ${r.body}`);
    assert.equal(errorsOf(r)[0]?.field, 'chargeback_id');
  }
});

test('API errors share the one error root with stable static codes, and keep their HTTP status and JSON body', async () => {
  const { CdcError } = await import('../errors/index.ts');
  const { ValidationError, NotFoundError, ConcurrentChangeError } = await import('./errors.ts');
  const e = new ValidationError([{ field: 'amount', problem: 'must be greater than 0' }]);
  assert.ok(e instanceof CdcError);
  assert.equal(e.code, 'VALIDATION_FAILED');
  assert.equal(ValidationError.code, 'VALIDATION_FAILED');
  assert.equal(e.statusCode, 400);
  assert.equal(e.canRetry, false);
  assert.equal(new NotFoundError('x').statusCode, 404);
  assert.equal(new ConcurrentChangeError('x').canRetry, true);
  const notFound = await handler(event('GET', '/chargebacks/none'));
  assert.deepEqual(JSON.parse(notFound.body!), { error: 'NOT_FOUND', message: 'chargeback none does not exist' });
  const wrongMethod = await handler(event('PUT', '/chargebacks'));
  assert.equal(wrongMethod.headers?.allow, 'POST');
  assert.equal(JSON.parse(wrongMethod.body!).error, 'METHOD_NOT_ALLOWED');
});
