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

const event = (method: string, path: string, body?: string): APIGatewayProxyEventV2 =>
  ({ rawPath: path, body, isBase64Encoded: false, requestContext: { http: { method } } }) as unknown as APIGatewayProxyEventV2;

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
