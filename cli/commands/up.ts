import { stackDown, stackUp } from '../../localstack/index.ts';
import { applyLocalEnv, resolveDlqQueueUrl } from '../localEnv.ts';
import { startApi } from '../components/apiComponent.ts';
import { startPoller } from '../components/pollerComponent.ts';
import { startWriterComponent, type WriterEngine } from '../components/writerComponent.ts';
import { startCloserComponent } from '../components/closerComponent.ts';
import { startStatusLine } from '../statusLine.ts';
import { onShutdown } from '../shutdown.ts';
import { processRegistry } from '../../pipeline/metrics/index.ts';
import { publishSnapshots } from '../dashboard/snapshotFiles.ts';

/**
 * `npm start` = `chargeback-cdc up`: the local stack, then API → poller (event source mapping +
 * stream processor) → writer → hour closer, with one live status line; Ctrl-C stops the components, then the
 * stack it started.
 */
export async function runUp(o: { rolloverMs: number; engine: WriterEngine; backend: string; json: boolean }): Promise<void> {
  if (o.backend === 'external') process.env.LOCAL_STACK = 'external';
  applyLocalEnv();
  const log = (line: string) => console.error(line);
  const info = await stackUp({ backend: o.backend as never, onProgress: log });
  // Stop the stack on Ctrl-C only if this command started it; a stack that was already up stays up.
  onShutdown(async () => {
    if (o.backend !== 'external' && !info.reused) {
      log('stopping the local stack…');
      await stackDown();
    }
  });
  await resolveDlqQueueUrl();

  // The three components share this process's registry, which the API here serves on /metrics
  // and /dashboard; like every component process, `up` also leaves a snapshot for other readers.
  const snapshots = publishSnapshots({
    registry: processRegistry,
    component: 'up',
    onError: (e) => log(`[metrics] ${e.message}`),
  });
  onShutdown(() => snapshots.stop());
  const port = Number(process.env.API_PORT ?? 3000);
  const api = await startApi({ port });
  onShutdown(() => api.stop());
  const poller = await startPoller({ onEvent: (e) => e.type !== 'batch' && log(`[poller] ${JSON.stringify(e)}`) });
  onShutdown(() => poller.stop());
  const writer = await startWriterComponent({
    engine: o.engine,
    rolloverMs: o.rolloverMs,
    onEvent: (e, line) => e.type !== 'file-committed' && log(`[writer] ${line}`),
  });
  onShutdown(() => writer.stop());
  writer.done.catch((e: Error) => {
    log(`[writer] failed: ${e.message} — stopping`);
    process.kill(process.pid, 'SIGTERM');
  });
  const closer = await startCloserComponent({ onEvent: (_e, line) => log(`[closer] ${line}`) });
  onShutdown(() => closer.stop());
  closer.done.catch((e: Error) => {
    log(`[closer] failed: ${e.message} — stopping`);
    process.kill(process.pid, 'SIGTERM');
  });

  log(
    `pipeline is up on the ${info.backend} stack: POST http://127.0.0.1:${port}/chargebacks · dashboard http://127.0.0.1:${port}/dashboard · metrics http://127.0.0.1:${port}/metrics · landing s3://${process.env.LANDING_BUCKET}/landing/chargebacks/ · rollover ${o.rolloverMs} ms · Ctrl-C to stop`,
  );
  const status = () => {
    const a = api.stats();
    const p = poller.stats();
    const w = writer.stats();
    return {
      accepted: a.created,
      rejected: a.rejected,
      streamRecords: p.records,
      kafkaWritten: p.published,
      streamDlq: p.deadLettered,
      files: w?.filesCommitted,
      rows: w?.rowsLanded,
      topicDlq: w?.dlqRecords,
    };
  };
  if (o.json) {
    const timer = setInterval(() => console.log(JSON.stringify({ at: new Date().toISOString(), ...status() })), 5000);
    onShutdown(async () => clearInterval(timer));
  } else {
    const line = startStatusLine(() => {
      const s = status();
      return `api ${s.accepted} accepted / ${s.rejected} rejected · stream ${s.streamRecords} records (${s.streamDlq} dlq) · kafka ${s.kafkaWritten} written · landed ${s.files ?? '–'} files, ${s.rows ?? '–'} rows (${s.topicDlq ?? '–'} dlq)`;
    });
    onShutdown(async () => line.stop());
  }
}
