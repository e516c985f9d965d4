import { describeWriterEvent, startWriter, writerConfigFromEnv, type WriterEvent, type WriterStats } from '../../pipeline/parquet-writer/index.ts';
import { startFlinkWriter } from '../../pipeline/flink-job/index.ts';

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
 */
export async function startWriterComponent(opts: {
  engine: WriterEngine;
  rolloverMs: number;
  onEvent?: (e: WriterEvent, line: string) => void;
}): Promise<WriterComponent> {
  const bucket = process.env.LANDING_BUCKET ?? 'chargeback-cdc-landing';
  if (opts.engine === WriterEngine.FLINK) {
    const flink = await startFlinkWriter({
      brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
      bucket,
      ...(process.env.AWS_ENDPOINT_URL ? { s3Endpoint: process.env.AWS_ENDPOINT_URL } : {}),
      checkpointIntervalMs: opts.rolloverMs,
    });
    return { engine: opts.engine, stop: () => flink.stop(), stats: () => undefined, done: flink.exited };
  }
  const writer = await startWriter({
    ...writerConfigFromEnv(),
    bucket,
    rolloverMs: opts.rolloverMs,
    ...(opts.onEvent ? { onEvent: (e: WriterEvent) => opts.onEvent!(e, describeWriterEvent(e)) } : {}),
  });
  return { engine: opts.engine, stop: () => writer.stop(), stats: () => writer.stats(), done: writer.done };
}
