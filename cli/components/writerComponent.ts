import {
  describeWriterEvent,
  startWriter,
  writerConfigFromEnv,
  type WriterEvent,
  type WriterStats,
} from '../../pipeline/parquet-writer/index.ts';
import { startFlinkWriter } from '../../pipeline/flink-job/index.ts';
import { processRegistry, type MetricsRegistry } from '../../pipeline/metrics/index.ts';

export const WriterEngine = { EMBEDDED: 'embedded', FLINK: 'flink' } as const;
export type WriterEngine = (typeof WriterEngine)[keyof typeof WriterEngine];

export interface WriterComponent {
  engine: WriterEngine;
  stop(): Promise<void>;
  /** Live counters; the Flink engine runs in its own JVM and reports through its log instead. */
  stats(): WriterStats | undefined;
  /** Settles when the writer stops; rejects when it fails for good (the process should then exit non-zero). */
  done: Promise<unknown>;
}

/**
 * Starts the Kafka → Parquet writer: the embedded TypeScript writer (configured from the same
 * environment as `pipeline/parquet-writer/main.ts`) or the real Flink job in a MiniCluster.
 * The embedded writer's numbers go to the metrics registry (the Flink job reports its own).
 */
export async function startWriterComponent(opts: {
  engine: WriterEngine;
  rolloverMs: number;
  onEvent?: (e: WriterEvent, line: string) => void;
  registry?: MetricsRegistry;
}): Promise<WriterComponent> {
  const bucket = process.env.LANDING_BUCKET ?? 'chargeback-cdc-landing';
  const registry = opts.registry ?? processRegistry;
  registry.components.add('writer');
  if (opts.engine === WriterEngine.FLINK) {
    const flink = await startFlinkWriter({
      brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
      bucket,
      ...(process.env.AWS_ENDPOINT_URL ? { s3Endpoint: process.env.AWS_ENDPOINT_URL } : {}),
      checkpointIntervalMs: opts.rolloverMs,
    });
    return { engine: opts.engine, stop: () => flink.stop(), stats: () => undefined, done: flink.exited };
  }
  const measure = writerEventMetrics(registry);
  const writer = await startWriter({
    ...writerConfigFromEnv(),
    bucket,
    rolloverMs: opts.rolloverMs,
    onEvent: (e: WriterEvent) => {
      measure(e);
      opts.onEvent?.(e, describeWriterEvent(e));
    },
  });
  const stopCollecting = registry.onCollect(() => recordWriterStats(registry, writer.stats()));
  const stop = async () => {
    await writer.stop();
    recordWriterStats(registry, writer.stats());
    stopCollecting();
  };
  return { engine: opts.engine, stop, stats: () => writer.stats(), done: writer.done };
}

/** WriterStats (running totals of this process) as catalogue metrics. */
function recordWriterStats(registry: MetricsRegistry, s: WriterStats): void {
  registry.set('WriterRecordsConsumed', s.recordsConsumed);
  registry.set('RowsLanded', s.rowsLanded);
  registry.set('FilesCommitted', s.filesCommitted);
  registry.set('BytesCommitted', s.bytesCommitted);
  registry.set('WriterDeadLetters', s.dlqRecords);
  registry.set('DuplicatesDropped', s.duplicatesDropped);
  registry.set('OpenBuckets', s.openBuckets);
  registry.set('BufferedBytes', s.bufferedBytes);
}

/**
 * What WriterStats does not hold, derived from the events: checkpoints, failed checkpoint steps
 * (retries, fencing) and the commit phase of each checkpoint — from its first part file made
 * visible (`file-committed`) to `checkpoint-committed`, after the Kafka offset commit.
 */
function writerEventMetrics(registry: MetricsRegistry): (e: WriterEvent) => void {
  registry.add('Checkpoints', 0);
  registry.add('CheckpointFailures', 0);
  const commitStarted = new Map<number, number>();
  return (e) => {
    switch (e.type) {
      case 'file-committed':
        if (!commitStarted.has(e.partition)) commitStarted.set(e.partition, performance.now());
        break;
      case 'checkpoint-committed': {
        registry.add('Checkpoints', 1);
        const started = commitStarted.get(e.partition);
        commitStarted.delete(e.partition);
        if (started !== undefined) registry.observe('CommitDuration', performance.now() - started);
        break;
      }
      case 'retrying':
      case 'fenced':
        registry.add('CheckpointFailures', 1);
        break;
      case 'partitions-revoked':
        for (const p of e.partitions) commitStarted.delete(p);
        break;
    }
  };
}
