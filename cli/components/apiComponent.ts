import type { Server } from 'node:http';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { handler, serveApiHandler, type ExtraRoute } from '../../pipeline/api/index.ts';

export interface ApiComponent {
  stop(): Promise<void>;
  stats(): { requests: number; created: number; rejected: number };
  server: Server;
}

/** The API Lambda handler served on 127.0.0.1:API_PORT, counting what it accepted and rejected. */
export async function startApi(opts: { port: number; extra?: ExtraRoute[] }): Promise<ApiComponent> {
  const stats = { requests: 0, created: 0, rejected: 0 };
  const server = await serveApiHandler(
    async (event: APIGatewayProxyEventV2) => {
      stats.requests++;
      const r = await handler(event);
      if (r.statusCode === 201) stats.created++;
      if ((r.statusCode ?? 200) >= 400) stats.rejected++;
      return r;
    },
    { port: opts.port, ...(opts.extra ? { extra: opts.extra } : {}) },
  );
  return {
    server,
    stats: () => ({ ...stats }),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
