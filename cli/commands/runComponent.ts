import { startApi } from '../components/apiComponent.ts';
import { startPoller, type PollerPorts } from '../components/pollerComponent.ts';
import { startWriterComponent, type WriterEngine } from '../components/writerComponent.ts';
import { startCloserComponent } from '../components/closerComponent.ts';
import { onShutdown } from '../shutdown.ts';
import { processRegistry } from '../../pipeline/metrics/index.ts';
import { publishSnapshots } from '../dashboard/snapshotFiles.ts';

/**
 * `chargeback-cdc run api|poller|writer|closer`: one component in the foreground, printing one line
 * per event, stopped cleanly by SIGINT/SIGTERM (and safe to SIGKILL: nothing is acknowledged
 * before it is durable). Its metrics are published every second for the API process's
 * `/metrics` and `/dashboard` (run/metrics/<component>-<pid>.json, removed on a clean stop).
 */
export async function runComponent(
  component: string,
  o: { rolloverMs: number; engine: WriterEngine; json: boolean; pollerPorts?: PollerPorts },
): Promise<void> {
  const print = (what: string, data: Record<string, unknown>) =>
    console.log(
      o.json
        ? JSON.stringify({ component, what, ...data, at: new Date().toISOString() })
        : `[${component}] ${what} ${JSON.stringify(data)}`,
    );
  if (['api', 'poller', 'writer'].includes(component)) {
    const snapshots = publishSnapshots({
      registry: processRegistry,
      component,
      onError: (e) => print('metrics-error', { error: e.message }),
    });
    onShutdown(() => snapshots.stop());
  }
  switch (component) {
    case 'api': {
      const port = Number(process.env.API_PORT ?? 3000);
      const api = await startApi({ port });
      const url = `http://127.0.0.1:${port}`;
      print('listening', { url, dashboard: `${url}/dashboard`, metrics: `${url}/metrics` });
      onShutdown(() => api.stop());
      return;
    }
    case 'poller': {
      const poller = await startPoller({
        ...(o.pollerPorts ? { ports: o.pollerPorts } : {}),
        onEvent: (e) => {
          if (e.type !== 'batch' || e.result !== 'success') print(e.type, e as unknown as Record<string, unknown>);
        },
      });
      print('polling', { table: process.env.TABLE_NAME });
      onShutdown(() => poller.stop());
      return;
    }
    case 'writer': {
      const writer = await startWriterComponent({
        engine: o.engine,
        rolloverMs: o.rolloverMs,
        onEvent: (e, line) => (o.json ? print(e.type, e as unknown as Record<string, unknown>) : print('event', { line })),
      });
      print('started', { engine: o.engine, rolloverMs: o.rolloverMs });
      onShutdown(() => writer.stop());
      writer.done.catch((e: Error) => {
        print('failed', { error: e.message });
        process.exit(1);
      });
      return;
    }
    case 'closer': {
      const closer = await startCloserComponent({
        onEvent: (e, line) => (o.json ? print(e.type, e as unknown as Record<string, unknown>) : print('event', { line })),
      });
      print('started', { landing: `s3://${process.env.LANDING_BUCKET}/landing/chargebacks/` });
      onShutdown(() => closer.stop());
      closer.done.catch((e: Error) => {
        print('failed', { error: e.message });
        process.exit(1);
      });
      return;
    }
    default:
      throw new Error(`unknown component ${JSON.stringify(component)}: use api, poller, writer or closer`);
  }
}
