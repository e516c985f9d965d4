import { startWriter, type RunningWriter } from '../../pipeline/parquet-writer/index.ts';
import { startFlinkWriter } from '../../pipeline/flink-job/index.ts';

export const WriterEngine = { EMBEDDED: 'embedded', FLINK: 'flink' } as const;
export type WriterEngine = (typeof WriterEngine)[keyof typeof WriterEngine];

export interface WriterComponent {
  engine: WriterEngine;
  stop(): Promise<void>;
  /** Live counters; the Flink engine runs in its own JVM and reports through its log instead. */
  stats(): { filesCommitted: number; rowsLanded: number; dlqRecords: number } | undefined;
}

/** Starts the Kafka → Parquet writer: the embedded TypeScript writer or the real Flink job in a MiniCluster. */
export async function startWriterComponent(opts: { engine: WriterEngine; rolloverMs: number; onLine?: (line: string) => void }): Promise<WriterComponent> {
  const bucket = process.env.LANDING_BUCKET ?? 'chargeback-cdc-landing';
  if (opts.engine === WriterEngine.FLINK) {
    const flink = await startFlinkWriter({
      brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
      bucket,
      ...(process.env.AWS_ENDPOINT_URL ? { s3Endpoint: process.env.AWS_ENDPOINT_URL } : {}),
      checkpointIntervalMs: opts.rolloverMs,
    });
    return { engine: opts.engine, stop: () => flink.stop(), stats: () => undefined };
  }
  const writer: RunningWriter = await startWriter({
    bucket,
    rolloverMs: opts.rolloverMs,
    ...(opts.onLine ? { onEvent: (e: unknown) => opts.onLine!(describe(e)) } : {}),
  });
  return {
    engine: opts.engine,
    stop: () => writer.stop(),
    stats: () => {
      const s = writer.stats();
      return { filesCommitted: s.filesCommitted, rowsLanded: s.rowsLanded, dlqRecords: s.dlqRecords };
    },
  };
}

function describe(e: unknown): string {
  if (e && typeof e === 'object' && 'message' in e) return String((e as { message: unknown }).message);
  return JSON.stringify(e);
}
