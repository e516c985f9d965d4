import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { errorResponse } from './errorResponse.ts';
import { PayloadTooLargeError } from './errors.ts';

type Handler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;
export type ExtraRoute = (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;

/** 1 MiB, below API Gateway's 10 MB payload limit; a chargeback body is a few hundred bytes. */
const MAX_BODY_BYTES = 1024 * 1024;
/**
 * How much of an over-limit body is still read (and discarded) before the 413 goes out. Closing
 * a socket with unread input makes the kernel send a reset, and most clients only read the
 * response once they have sent their body, so they would see ECONNRESET instead of the 413.
 * Past this, the 413 is sent at once and the connection closed (the sender may then see a reset).
 */
const MAX_DRAINED_BYTES = 256 * 1024 * 1024;
/** How long a connection whose request the HTTP parser refused may go on sending before it is closed. */
const LINGER_MS = 5_000;

/**
 * Serves an API Gateway HTTP API (payload v2) handler over plain HTTP, so the exact Lambda
 * code runs locally on 127.0.0.1:3000. Only the event fields the handler reads are filled.
 * `extra` routes (e.g. /metrics) are tried first.
 */
export function serveApiHandler(handler: Handler, opts: { port: number; host?: string; extra?: ExtraRoute[] }): Promise<Server> {
  const server = createServer(async (req, res) => {
    try {
      for (const route of opts.extra ?? []) if (await route(req, res)) return;
      const body = await readBody(req);
      if (body === undefined) {
        const r = errorResponse(new PayloadTooLargeError(MAX_BODY_BYTES));
        return send(res, { ...r, headers: { ...r.headers, connection: 'close' } });
      }
      send(res, await handler(toEvent(req, body)));
    } catch (e) {
      if (!res.headersSent)
        send(res, { statusCode: 500, body: JSON.stringify({ error: 'INTERNAL', message: (e as Error).message }) });
    }
  });
  server.on('clientError', answerMalformedRequest);
  return new Promise((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        e.code === 'EADDRINUSE'
          ? new Error(`port ${opts.port} is already in use: stop whatever holds it, or the other 'chargeback-cdc run api'`)
          : e,
      ),
    );
    server.listen(opts.port, opts.host ?? '127.0.0.1', () => resolve(server));
  });
}

/** The body's bytes, or undefined when it is over MAX_BODY_BYTES (the rest is drained, see MAX_DRAINED_BYTES). */
function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    // Not `for await`: leaving that loop early destroys the request, and with it the socket.
    let chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY_BYTES) chunks.push(c);
      else chunks = [];
      if (size > MAX_DRAINED_BYTES) resolve(undefined);
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const answered = new WeakSet<Duplex>();

/**
 * Node's HTTP parser refuses a malformed request (bad bytes in the path or a header, headers too
 * large) before any handler runs; answer that with the API's JSON error shape instead of a bare 400.
 */
function answerMalformedRequest(err: NodeJS.ErrnoException, socket: Duplex): void {
  // Node's parser stays in error and reports every further chunk of the same request again.
  if (answered.has(socket)) return;
  answered.add(socket);
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const [status, code] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'REQUEST_HEADERS_TOO_LARGE']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'REQUEST_TIMEOUT']
        : [400, 'BAD_REQUEST'];
  const body = JSON.stringify({ error: code, message: `malformed HTTP request: ${err.message}` });
  // Whatever the client still sends (a body after a bad header) is still read and dropped, as in
  // readBody, so that closing does not reset the connection before the client has read the answer.
  // The socket closes when the client is done, or after LINGER_MS.
  socket.on('error', () => socket.destroy());
  socket.once('end', () => socket.destroy());
  setTimeout(() => socket.destroy(), LINGER_MS).unref();
  socket.resume();
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

function toEvent(req: IncomingMessage, bytes: Buffer): APIGatewayProxyEventV2 {
  const body = bodyOf(bytes);
  // The request target as sent, like API Gateway's rawPath: `new URL` would throw on `//` (no host)
  // and would normalise `..` and percent-encoding away.
  const target = req.url ?? '/';
  const queryAt = target.indexOf('?');
  const rawPath = queryAt < 0 ? target : target.slice(0, queryAt);
  const rawQueryString = queryAt < 0 ? '' : target.slice(queryAt + 1);
  const method = (req.method ?? 'GET').toUpperCase();
  const headers = Object.fromEntries(
    Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v ?? '')]),
  );
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString,
    headers,
    queryStringParameters: Object.fromEntries(new URLSearchParams(rawQueryString)),
    ...body,
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: '127.0.0.1',
      domainPrefix: 'local',
      requestId: crypto.randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
      http: {
        method,
        path: rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: req.socket.remoteAddress ?? '',
        userAgent: headers['user-agent'] ?? '',
      },
    },
  };
}

/**
 * Text when the bytes are valid UTF-8, else base64 with isBase64Encoded, as API Gateway does for a
 * body it does not pass as text: the handler then sees the exact bytes and can refuse them, where a
 * lenient decode would have replaced them with U+FFFD.
 */
function bodyOf(bytes: Buffer): Pick<APIGatewayProxyEventV2, 'body' | 'isBase64Encoded'> {
  if (bytes.length === 0) return { isBase64Encoded: false };
  try {
    return { body: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes), isBase64Encoded: false };
  } catch {
    return { body: bytes.toString('base64'), isBase64Encoded: true };
  }
}

/** With a content-length, as API Gateway answers, rather than Node's default chunked encoding. */
function send(res: ServerResponse, r: APIGatewayProxyStructuredResultV2): void {
  const body = r.body ?? '';
  res.writeHead(r.statusCode ?? 200, {
    'content-type': 'application/json',
    ...(r.headers as Record<string, string> | undefined),
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}
