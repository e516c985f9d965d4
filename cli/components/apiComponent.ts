import type { Server } from 'node:http';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { handler, serveApiHandler, type ExtraRoute } from '../../pipeline/api/index.ts';
import { processRegistry, type MetricsRegistry } from '../../pipeline/metrics/index.ts';
import { startDashboard } from '../dashboard/DashboardServer.ts';

export interface ApiComponent {
  stop(): Promise<void>;
  stats(): { requests: number; created: number; rejected: number };
  server: Server;
}

/**
 * The API Lambda handler served on 127.0.0.1:API_PORT, counting what it accepted and rejected,
 * with the local observability next to it: `/metrics` (Prometheus text) and `/dashboard`, which
 * merge the metrics of every component process (`dashboard: false` leaves them out).
 */
export async function startApi(opts: {
  port: number;
  extra?: ExtraRoute[];
  dashboard?: boolean;
  registry?: MetricsRegistry;
}): Promise<ApiComponent> {
  const stats = { requests: 0, created: 0, rejected: 0 };
  const registry = opts.registry ?? processRegistry;
  registry.components.add('api');
  const dashboard = opts.dashboard === false ? undefined : startDashboard({ registry });
  const extra = [...(opts.extra ?? []), ...(dashboard?.routes ?? [])];
  let server: Server;
  try {
    server = await serveApiHandler(
      async (event: APIGatewayProxyEventV2) => {
        stats.requests++;
        const r = await handler(event);
        if (r.statusCode === 201) stats.created++;
        if ((r.statusCode ?? 200) >= 400) stats.rejected++;
        return r;
      },
      { port: opts.port, ...(extra.length ? { extra } : {}) },
    );
  } catch (e) {
    await dashboard?.stop();
    throw e;
  }
  return {
    server,
    stats: () => ({ ...stats }),
    stop: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await dashboard?.stop();
    },
  };
}
