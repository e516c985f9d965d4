import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import type { Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import {
  CreateTableCommand,
  DeleteTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import fc from 'fast-check';
import { parse as parseLossless } from 'lossless-json';
import { loadStackConfig, localAwsClientConfig } from '../../localstack/index.ts';
import { ChargebackRepository } from './ChargebackRepository.ts';
import { createApiHandler } from './handler.ts';
import { serveApiHandler } from './httpAdapter.ts';
import { ChargebackRoutes } from './routes.ts';

/*
 * Fuzz of the real API: the HTTP adapter and the Lambda handler on an ephemeral port, storing in
 * the local stack's moto DynamoDB (which is what answered a lone surrogate with a 500). Requests
 * are written byte for byte on a raw socket, so paths, headers and bodies can be malformed in ways
 * fetch would refuse to send. Whatever arrives: never a 5xx, never a reset, every 4xx says what is
 * wrong, and a 201 stores exactly what was sent.
 *
 * The table is the test's own (same key as `chargebacks`), so a pipeline running on the shared
 * stack never sees the fuzz's chargebacks. Needs the stack: `node bin/chargeback-cdc.js stack up`.
 */
const TABLE = `chargebacks-api-fuzz-${process.pid}`;
const RUNS = Number(process.env.API_FUZZ_RUNS ?? 800);
const TIME_LIMIT_MS = 45_000;
const MAX_BODY_BYTES = 1024 * 1024;

interface RawRequest {
  method: string;
  path: string;
  headers: Array<[string, string]>;
  body: Buffer;
}
type RawResponse = { status: number; headers: Record<string, string>; body: string } | { failure: string };

/** One HTTP/1.1 request on a fresh connection, read until the server closes it. */
function exchange(port: number, r: RawRequest): Promise<RawResponse> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ failure: 'no answer within 15 s' });
    }, 15_000);
    socket.on('connect', () => {
      const head = [
        `${r.method} ${r.path} HTTP/1.1`,
        'host: 127.0.0.1',
        ...r.headers.map(([k, v]) => `${k}: ${v}`),
        `content-length: ${r.body.length}`,
        'connection: close',
      ].join('\r\n');
      socket.write(Buffer.concat([Buffer.from(`${head}\r\n\r\n`, 'latin1'), r.body]));
    });
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve({ failure: `connection error ${e.code ?? e.message}` });
    });
    socket.on('end', () => {
      clearTimeout(timer);
      const raw = Buffer.concat(chunks);
      const headEnd = raw.indexOf('\r\n\r\n');
      const head = raw.subarray(0, Math.max(headEnd, 0)).toString('latin1');
      const m = /^HTTP\/1\.1 (\d{3}) /.exec(head);
      if (!m || headEnd < 0)
        return resolve({ failure: `not an HTTP response: ${JSON.stringify(raw.subarray(0, 200).toString('latin1'))}` });
      const headers = Object.fromEntries(
        head
          .split('\r\n')
          .slice(1)
          .map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
      );
      const rest = raw.subarray(headEnd + 4);
      const body = headers['transfer-encoding'] === 'chunked' ? dechunk(rest) : rest;
      resolve({ status: Number(m[1]), headers, body: body.toString('utf8') });
    });
  });
}

/** The payload of a chunked body (chunk extensions and trailers are not expected from our server). */
function dechunk(bytes: Buffer): Buffer {
  const out: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = bytes.indexOf('\r\n', at);
    const size = Number.parseInt(bytes.subarray(at, lineEnd).toString('latin1'), 16);
    if (!(size > 0)) return Buffer.concat(out);
    out.push(bytes.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
}

// ── what the fuzz sends ────────────────────────────────────────────────────────────────────────

const currency = fc.constantFrom('USD', 'JPY', 'KWD', 'EUR', 'usd', 'ZZZ', '');
const amountText = fc.oneof(
  fc.constantFrom('99.99', '1', '125000', '12.345', '0', '-5', '1e3', '1.2345', '00.1', ' 1', '99999999999999.99'),
  fc.bigInt({ min: 1n, max: 10n ** 16n }).map((n) => `${n / 100n}.${String(n % 100n).padStart(2, '0')}`),
);
/** JSON text of a string value: ordinary text, lone or paired surrogate escapes, control escapes. */
const jsonStringText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }).map((s) => JSON.stringify(s)),
  fc.constantFrom(
    String.raw`"\udfff x"`,
    String.raw`"a\ud800"`,
    String.raw`"\ud83d\ude00 ok"`,
    String.raw`"\u0000"`,
    '"   "',
    '""',
    `"${'r'.repeat(2001)}"`,
  ),
);
/** JSON text of any value that a field might wrongly hold. */
const wrongValueText = fc.oneof(
  fc.constantFrom('123', '1.5', '-0', '1e999', 'true', 'null', '[]', '{}', '["a"]', '{"x":1}'),
  fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v) ?? 'null'),
);
const fieldText = (valid: fc.Arbitrary<string>) => fc.oneof({ weight: 3, arbitrary: valid }, jsonStringText, wrongValueText);

/** A POST body in JSON text: mostly chargeback-shaped, each field possibly missing, mistyped or odd. */
const chargebackText = fc
  .record(
    {
      merchant_id: fieldText(fc.stringMatching(/^merch_[a-z0-9]{1,12}$/).map((s) => JSON.stringify(s))),
      amount: fc.oneof(
        amountText.map((a) => JSON.stringify(a)),
        amountText.filter((a) => /^[0-9.]+$/.test(a) && !/^0\d|\.$/.test(a)),
        wrongValueText,
      ),
      currency: fieldText(currency.map((c) => JSON.stringify(c))),
      reason: fieldText(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }).map((s) => JSON.stringify(s))),
      status: wrongValueText,
    },
    { requiredKeys: [] },
  )
  .map((o) => `{${Object.entries(o).map(([k, v]) => `${JSON.stringify(k)}:${v}`)}}`);

/** A chargeback every rule accepts, with text that is easy to corrupt on the way (emoji, escapes, non-Latin scripts). */
const validChargebackText = fc
  .record({
    merchant_id: fc.stringMatching(/^merch_[a-z0-9]{1,12}$/),
    money: fc.constantFrom<[string, number]>(['USD', 2], ['JPY', 0], ['KWD', 3], ['EUR', 2]).chain(([c, digits]) =>
      fc.bigInt({ min: 1n, max: 10n ** 12n }).map((n) => {
        const text = n.toString().padStart(digits + 1, '0');
        return { currency: c, amount: digits ? `${text.slice(0, -digits)}.${text.slice(-digits)}` : text };
      }),
    ),
    amountAsNumber: fc.boolean(),
    reason: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 80 }).filter((r) => r.trim().length > 0),
  })
  .map(
    (c) =>
      `{"merchant_id":${JSON.stringify(c.merchant_id)},"amount":${c.amountAsNumber ? c.money.amount : JSON.stringify(c.money.amount)},` +
      `"currency":"${c.money.currency}","reason":${JSON.stringify(c.reason)}}`,
  );

const statusText = fc
  .oneof(
    fc.constantFrom('UNDER_REVIEW', 'WON', 'RECEIVED', 'nope', '').map((s) => JSON.stringify(s)),
    jsonStringText,
    wrongValueText,
  )
  .map((v) => `{"status":${v}}`);

/** Bytes of a body: JSON text, then possibly broken (truncated, bad UTF-8, nesting, duplicates) or not JSON at all. */
const body: fc.Arbitrary<Buffer> = fc.oneof(
  { weight: 4, arbitrary: validChargebackText.map((t) => Buffer.from(t)) },
  { weight: 6, arbitrary: chargebackText.map((t) => Buffer.from(t)) },
  { weight: 2, arbitrary: statusText.map((t) => Buffer.from(t)) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(chargebackText, fc.nat(), fc.constantFrom([0xc3, 0x28], [0xff], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xc0, 0xaf]))
      .map(([t, at, bad]) => {
        const b = Buffer.from(t);
        const i = at % (b.length + 1);
        return Buffer.concat([b.subarray(0, i), Buffer.from(bad), b.subarray(i)]);
      }),
  },
  { weight: 1, arbitrary: fc.tuple(chargebackText, fc.nat()).map(([t, n]) => Buffer.from(t.slice(0, n % t.length))) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a)) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(
        '',
        '[]',
        'null',
        '"text"',
        '{"merchant_id":"a","merchant_id":"b"}',
        '{"__proto__":{"x":1},"merchant_id":"m","amount":"1","currency":"USD","reason":"r"}',
        '\ufeff{"merchant_id":"m","amount":"1","currency":"USD","reason":"r"}',
        'merchant_id=m&amount=1&currency=USD&reason=r',
        '<chargeback><amount>1</amount></chargeback>',
        '['.repeat(20_000),
        `{"reason":${'['.repeat(5_000)}`,
      )
      .map((t) => Buffer.from(t)),
  },
  // Over the adapter's limit: the clean 413 that used to be a reset from about 5 MB up.
  { weight: 1, arbitrary: fc.integer({ min: MAX_BODY_BYTES + 1, max: 12e6 }).map((n) => Buffer.alloc(n, 0x20)) },
);

const contentType = fc.option(
  fc.oneof(
    {
      weight: 6,
      arbitrary: fc.constantFrom('application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON;charset=UTF-8'),
    },
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        'text/plain',
        'application/xml',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/json; charset=latin1',
        'application/json, text/plain',
        '',
        ';',
        '*/*',
      ),
    },
    { weight: 1, arbitrary: fc.stringMatching(/^[ -~]{0,40}$/) },
  ),
  { freq: 8 },
);
const RESERVED = new Set(['host', 'content-length', 'transfer-encoding', 'connection', 'expect', 'content-type', 'upgrade']);
const extraHeaders = fc.array(
  fc.tuple(
    fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/).filter((n) => !RESERVED.has(n)),
    fc.stringMatching(/^[!-~]([ -~]{0,40}[!-~])?$/),
  ),
  { maxLength: 4 },
);
/** Occasionally a header the HTTP parser must refuse (a space or a control byte in the name). */
const brokenHeader = fc.oneof(
  { weight: 19, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.constantFrom<[string, string]>(['bad header', '1'], ['x\u0001y', '1'], ['', 'empty name']) },
);

const idSegment = fc.oneof(
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }).map(encodeURIComponent),
  fc
    .array(fc.constantFrom('%', '%E0', '%A4', '%zz', '%ED%B0%80', '%C3%28', '%00', '%2F', 'a', 'cb_', '%F0%9F%98%80', '..'), {
      minLength: 1,
      maxLength: 6,
    })
    .map((parts) => parts.join('')),
  fc.integer({ min: 100, max: 3000 }).map((n) => 'x'.repeat(n)),
);
const path = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom('/chargebacks', '/chargebacks/') },
  { weight: 4, arbitrary: idSegment.map((id) => `/chargebacks/${id}`) },
  { weight: 1, arbitrary: fc.stringMatching(/^\/[A-Za-z0-9._~%!$&'()*+,;=:@/-]{0,40}$/) },
  { weight: 1, arbitrary: fc.constantFrom('/chargebacks?x=%zz', '/chargebacks/a/b', '//chargebacks', '/chargebacks/%', '*') },
  // Bytes the request line may not hold: the parser refuses them before the handler runs.
  { weight: 1, arbitrary: fc.constantFrom('/charge backs', '/chargebacks/\u00e9', '/chargebacks/\u0007') },
);
const method = fc.oneof(
  { weight: 6, arbitrary: fc.constant('POST') },
  { weight: 3, arbitrary: fc.constantFrom('PATCH', 'GET', 'DELETE') },
  { weight: 1, arbitrary: fc.constantFrom('PUT', 'OPTIONS', 'TRACE', 'BREW') },
);

const anyRequest: fc.Arbitrary<RawRequest> = fc
  .record({ method, path, contentType, extraHeaders, brokenHeader, body })
  .map((r) => ({
    method: r.method,
    path: r.path,
    headers: [
      ...(r.contentType === null ? [] : [['content-type', r.contentType] as [string, string]]),
      ...r.extraHeaders,
      ...(r.brokenHeader ? [r.brokenHeader] : []),
    ],
    body: r.body,
  }));
/** Enough well-formed creates that "stored exactly as sent" is checked often, not by luck. */
const goodCreate: fc.Arbitrary<RawRequest> = validChargebackText.map((t) => ({
  method: 'POST',
  path: '/chargebacks',
  headers: [['content-type', 'application/json; charset=utf-8']],
  body: Buffer.from(t),
}));
const request = fc.oneof({ weight: 4, arbitrary: anyRequest }, { weight: 1, arbitrary: goodCreate });

// ── what every answer must be ─────────────────────────────────────────────────────────────────

function errorCodeOf(body: string): string {
  try {
    return String((JSON.parse(body) as { error?: unknown }).error);
  } catch {
    return '(not JSON)';
  }
}

/** Returns what is wrong with an answer, or undefined when it is acceptable. */
async function problemWith(port: number, req: RawRequest, res: RawResponse): Promise<string | undefined> {
  if ('failure' in res) return res.failure;
  if (res.status >= 500) return `answered ${res.status}: ${res.body.slice(0, 300)}`;
  let answer: Record<string, unknown>;
  try {
    answer = JSON.parse(res.body) as Record<string, unknown>;
  } catch {
    return `answered ${res.status} with a body that is not JSON: ${JSON.stringify(res.body.slice(0, 200))}`;
  }
  if (res.status >= 400) {
    if (typeof answer.error !== 'string' || !answer.error) return `${res.status} without an error code: ${res.body}`;
    if (typeof answer.message !== 'string' || !answer.message) return `${res.status} without a message: ${res.body}`;
    const errors = answer.errors as Array<{ field?: unknown; problem?: unknown }> | undefined;
    if ([400, 413, 415].includes(res.status) && answer.error !== 'BAD_REQUEST') {
      if (!Array.isArray(errors) || errors.length === 0) return `${res.status} names no field: ${res.body}`;
      const unnamed = errors.find((e) => typeof e.field !== 'string' || !e.field || typeof e.problem !== 'string' || !e.problem);
      if (unnamed) return `${res.status} has an error without field and problem: ${res.body}`;
    }
    if (res.status === 415 && errors?.[0]?.field !== 'content-type') return `415 does not name the content-type: ${res.body}`;
    if (res.status === 413 && req.body.length <= MAX_BODY_BYTES) return `413 for a ${req.body.length}-byte body`;
    return undefined;
  }
  if (req.body.length > MAX_BODY_BYTES) return `answered ${res.status} to a ${req.body.length}-byte body`;
  if (res.status === 201) {
    // Stored exactly as sent: the echo and a read back from DynamoDB both equal the request's values.
    const sent = parseLossless(req.body.toString('utf8')) as Record<string, unknown>;
    const back = await exchange(port, {
      method: 'GET',
      path: `/chargebacks/${encodeURIComponent(String(answer.chargeback_id))}`,
      headers: [],
      body: Buffer.alloc(0),
    });
    if ('failure' in back || back.status !== 200)
      return `created ${String(answer.chargeback_id)} but could not read it back: ${JSON.stringify(back)}`;
    const stored = JSON.parse(back.body) as Record<string, unknown>;
    for (const field of ['merchant_id', 'currency', 'reason']) {
      if (answer[field] !== sent[field] || stored[field] !== sent[field])
        return `${field} sent ${JSON.stringify(sent[field])}, answered ${JSON.stringify(answer[field])}, stored ${JSON.stringify(stored[field])}`;
    }
    if (stored.amount !== String(sent.amount))
      return `amount sent ${String(sent.amount)}, stored ${JSON.stringify(stored.amount)}`;
  }
  return undefined;
}

describe('API under malformed bodies, headers and paths (real adapter + handler + moto DynamoDB)', { timeout: 120_000 }, () => {
  const ddb = new DynamoDBClient({ ...localAwsClientConfig(loadStackConfig()), maxAttempts: 2 });
  let server: Server;
  let port: number;

  before(async () => {
    try {
      await ddb.send(
        new CreateTableCommand({
          TableName: TABLE,
          AttributeDefinitions: [{ AttributeName: 'chargeback_id', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'chargeback_id', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
    } catch (e) {
      throw new Error(
        `cannot create the fuzz table in the local stack's DynamoDB (${(e as Error).message}): start it with \`node bin/chargeback-cdc.js stack up\``,
      );
    }
    await waitUntilTableExists({ client: ddb, maxWaitTime: 30 }, { TableName: TABLE });
    const handler = createApiHandler(new ChargebackRoutes(new ChargebackRepository(ddb, TABLE)));
    server = await serveApiHandler(handler, { port: 0 });
    port = (server.address() as AddressInfo).port;
  });

  after(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await ddb.send(new DeleteTableCommand({ TableName: TABLE })).catch((e) => {
      if (!(e instanceof ResourceNotFoundException)) throw e;
    });
    ddb.destroy();
  });

  it('never answers 5xx or resets the connection, names the field or problem in every 4xx, and stores 201s exactly', async (t) => {
    const counts = new Map<string, number>();
    const started = performance.now();
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(request, async (req) => {
        runs++;
        const res = await exchange(port, req);
        const key = 'failure' in res ? 'reset/no answer' : `${res.status}${res.status >= 400 ? ` ${errorCodeOf(res.body)}` : ''}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
        const problem = await problemWith(port, req, res);
        assert.equal(
          problem,
          undefined,
          `${req.method} ${JSON.stringify(req.path)} headers ${JSON.stringify(req.headers)} body ${JSON.stringify(req.body.subarray(0, 300).toString('latin1'))} (${req.body.length} bytes)`,
        );
      }),
      {
        numRuns: RUNS,
        interruptAfterTimeLimit: TIME_LIMIT_MS,
        includeErrorInReport: true,
        ...(process.env.API_FUZZ_SEED ? { seed: Number(process.env.API_FUZZ_SEED) } : {}),
      },
    );
    const summary = [...counts]
      .sort(([a], [b]) => String(a).localeCompare(String(b)))
      .map(([k, n]) => `${k}: ${n}`)
      .join(', ');
    const line = `${runs} requests in ${Math.round(performance.now() - started)} ms — ${summary}`;
    t.diagnostic(line);
    console.log(`  [api fuzz] ${line}`);
    assert.ok(runs >= 100, `only ${runs} requests ran within ${TIME_LIMIT_MS} ms: the fuzz says too little`);
  });
});
