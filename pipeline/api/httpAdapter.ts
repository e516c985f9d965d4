import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

type Handler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;
export type ExtraRoute = (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;

/** 1 MiB, below API Gateway's 10 MB payload limit; a chargeback body is a few hundred bytes. */
const MAX_BODY_BYTES = 1024 * 1024;

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
      if (body === undefined)
        return send(res, {
          statusCode: 413,
          body: JSON.stringify({ error: 'PAYLOAD_TOO_LARGE', message: `body over ${MAX_BODY_BYTES} bytes` }),
        });
      send(res, await handler(toEvent(req, body)));
    } catch (e) {
      send(res, { statusCode: 500, body: JSON.stringify({ error: 'INTERNAL', message: (e as Error).message }) });
    }
  });
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

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function toEvent(req: IncomingMessage, body: string): APIGatewayProxyEventV2 {
  const url = new URL(req.url ?? '/', 'http://local');
  const method = (req.method ?? 'GET').toUpperCase();
  const headers = Object.fromEntries(
    Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v ?? '')]),
  );
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    queryStringParameters: Object.fromEntries(url.searchParams),
    isBase64Encoded: false,
    body: body || undefined,
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
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: req.socket.remoteAddress ?? '',
        userAgent: headers['user-agent'] ?? '',
      },
    },
  };
}

function send(res: ServerResponse, r: APIGatewayProxyStructuredResultV2): void {
  res.writeHead(r.statusCode ?? 200, {
    'content-type': 'application/json',
    ...(r.headers as Record<string, string> | undefined),
  });
  res.end(r.body ?? '');
}
