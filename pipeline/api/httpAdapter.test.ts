import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { serveApiHandler } from './httpAdapter.ts';

/** The adapter on an ephemeral port with a stub handler that records the events it is given. */
describe('local HTTP adapter', () => {
  const events: APIGatewayProxyEventV2[] = [];
  let base: string;
  let port: number;
  let close: () => Promise<void>;

  before(async () => {
    const server = await serveApiHandler(
      async (event) => {
        events.push(event);
        return { statusCode: 201, body: '{}' };
      },
      { port: 0 },
    );
    port = (server.address() as AddressInfo).port;
    base = `http://127.0.0.1:${port}`;
    close = () => new Promise((resolve) => server.close(() => resolve()));
  });
  after(() => close());

  /** Bytes as written, for requests fetch would refuse or rewrite; resolves with everything read until the server closes. */
  const rawExchange = (request: string | Buffer) =>
    new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => socket.write(request));
      let text = '';
      socket.on('data', (c) => {
        text += c;
      });
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });

  /** node:http writes the whole body before it reads, like curl and most clients. */
  const postWithNodeHttp = (body: Buffer) =>
    new Promise<{ status?: number; body: string } | { error: string }>((resolve) => {
      const req = request(
        {
          port,
          method: 'POST',
          path: '/chargebacks',
          headers: { 'content-type': 'application/json', 'content-length': body.length },
        },
        (res) => {
          let text = '';
          res.on('data', (c) => {
            text += c;
          });
          res.on('end', () => resolve({ status: res.statusCode, body: text }));
        },
      );
      req.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
      req.end(body);
    });

  it('answers 413 naming the body to every size over 1 MiB, without a connection reset', async () => {
    const before = events.length;
    for (const bytes of [1024 * 1024 + 1, 5e6, 10e6, 12e6, 30e6]) {
      const body = Buffer.alloc(bytes, 0x20);
      const viaFetch = await fetch(`${base}/chargebacks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      assert.equal(viaFetch.status, 413, `fetch, ${bytes} bytes`);
      const answer = (await viaFetch.json()) as { error: string; errors: Array<{ field: string }> };
      assert.equal(answer.error, 'PAYLOAD_TOO_LARGE');
      assert.equal(answer.errors[0]?.field, 'body');
      const viaNodeHttp = await postWithNodeHttp(body);
      assert.ok('status' in viaNodeHttp, `node:http, ${bytes} bytes: ${JSON.stringify(viaNodeHttp)}`);
      assert.equal(viaNodeHttp.status, 413, `node:http, ${bytes} bytes`);
    }
    assert.equal(events.length, before, 'an over-limit body reached the handler');
  });

  it('hands a body that is not valid UTF-8 to the handler base64-encoded, byte for byte, and valid UTF-8 as text', async () => {
    const bad = Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d]);
    assert.equal((await fetch(`${base}/chargebacks`, { method: 'POST', body: bad })).status, 201);
    const badEvent = events.at(-1)!;
    assert.equal(badEvent.isBase64Encoded, true);
    assert.deepEqual(Buffer.from(badEvent.body!, 'base64'), bad);
    const text = '{"reason":"Gebühr 💶"}';
    await fetch(`${base}/chargebacks`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: text });
    const goodEvent = events.at(-1)!;
    assert.equal(goodEvent.isBase64Encoded, false);
    assert.equal(goodEvent.body, text);
    assert.equal(goodEvent.headers['content-type'], 'application/json');
  });

  it('passes the request target as sent, like API Gateway rawPath, where `new URL` would throw or normalise', async () => {
    for (const [target, rawPath, query] of [
      ['//', '//', ''],
      ['/chargebacks/../x?a=%zz&b=1', '/chargebacks/../x', 'a=%zz&b=1'],
    ] as const) {
      const raw = await rawExchange(`GET ${target} HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n`);
      assert.match(raw, /^HTTP\/1\.1 201 /, target);
      assert.equal(events.at(-1)!.rawPath, rawPath);
      assert.equal(events.at(-1)!.rawQueryString, query);
    }
  });

  it('answers a request the HTTP parser refuses with the JSON error shape', async () => {
    // With a 5 MB body still coming after the bad header, the answer must arrive without a reset too.
    for (const size of [0, 5e6]) {
      const head = `POST /chargebacks HTTP/1.1\r\nhost: x\r\nbad header: 1\r\ncontent-length: ${size}\r\n\r\n`;
      const raw = await rawExchange(Buffer.concat([Buffer.from(head), Buffer.alloc(size, 0x20)]));
      assert.match(raw, /^HTTP\/1\.1 400 /);
      const body = JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4)) as { error: string; message: string };
      assert.equal(body.error, 'BAD_REQUEST');
      assert.match(body.message, /malformed HTTP request/);
    }
  });
});
