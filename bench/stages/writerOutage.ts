import type { BenchStack } from '../BenchStack.ts';
import { LandedRowCounter, waitForRows } from '../LandedRowCounter.ts';
import { preloadTopic } from '../preloadTopic.ts';
import { samplePeakMemory } from '../processMemory.ts';
import { progress } from '../progress.ts';
import { WriterProcess } from '../WriterProcess.ts';
import { S3FaultProxy } from '../../fixtures/S3FaultProxy.ts';
import { readLanded } from '../../fixtures/landedRows.ts';
import { DEFAULT_LANDING_PREFIX } from '../../pipeline/parquet-writer/index.ts';

/** The writer through an S3 outage: records arriving while S3 refuses connections, peak RSS, and whether each landed once. */
export interface OutageRun {
  records: number;
  outageMs: number;
  /** Peak resident set of the writer process (VmHWM) over the whole run, MiB. */
  peakRssMb?: number;
  /** From S3 coming back until every record was visible. */
  recoveryMs: number;
  lost: number;
  duplicated: number;
}

export interface OutageBenchOptions {
  records: number;
  outageMs: number;
  rolloverMs: number;
  timeoutMs: number;
}

/**
 * The writer process (bench/WriterProcess.ts), reaching S3 through a fault proxy
 * (fixtures/S3FaultProxy.ts). Once it consumes, S3 goes away (connections refused), the records
 * are produced, the outage lasts `outageMs`, then S3 comes back and the run waits until every
 * record landed; lost and duplicated are counted by event_id over every landed row.
 */
export async function measureWriterOutage(stack: BenchStack, o: OutageBenchOptions): Promise<OutageRun> {
  const topic = await stack.createTopic('outage');
  const dlqTopic = await stack.createTopic('outage-dlq');
  const bucket = await stack.createBucket('outage');
  const proxy = new S3FaultProxy(new URL(process.env.AWS_ENDPOINT_URL ?? 'http://127.0.0.1:4566'));
  await proxy.start();
  const writer = new WriterProcess({
    AWS_ENDPOINT_URL: proxy.endpoint,
    KAFKA_TOPIC: topic,
    DLQ_TOPIC: dlqTopic,
    WRITER_GROUP_ID: stack.name('outage'),
    LANDING_BUCKET: bucket,
    ROLLOVER_MS: String(o.rolloverMs),
  });
  const memory = samplePeakMemory(writer.pid);
  const died = writer.exited.then((code) =>
    Promise.reject(new Error(`the writer exited (${code}) during the outage run: ${writer.stderr().trim().slice(-1000)}`)),
  );
  died.catch(() => undefined);
  try {
    await writer.waitFor((e) => e.type === 'partition-recovered', o.timeoutMs, 'a recovered partition');
    await proxy.setMode('down');
    const outageStart = Date.now();
    progress(`  S3 down for ${o.outageMs / 1000} s; producing ${o.records.toLocaleString('en-US')} records`);
    await preloadTopic(stack.kafka, topic, { total: o.records, runId: stack.runId });
    await new Promise((r) => setTimeout(r, Math.max(0, o.outageMs - (Date.now() - outageStart))));
    await proxy.setMode('pass');
    const back = Date.now();
    const counter = new LandedRowCounter(stack.s3, bucket);
    const landedAt = await Promise.race([waitForRows(counter, o.records, { timeoutMs: o.timeoutMs }), died]);
    const rows = await readLanded(stack.s3, bucket, DEFAULT_LANDING_PREFIX);
    const seen = new Map<string, number>();
    for (const r of rows) seen.set(r.row.event_id, (seen.get(r.row.event_id) ?? 0) + 1);
    const duplicated = [...seen.values()].reduce((n, c) => n + c - 1, 0);
    return {
      records: o.records,
      outageMs: o.outageMs,
      ...(memory.peakMb() === undefined ? {} : { peakRssMb: memory.peakMb()! }),
      recoveryMs: landedAt - back,
      lost: Math.max(0, o.records - seen.size),
      duplicated,
    };
  } finally {
    memory.stop();
    await writer.stop(10_000);
    await proxy.close();
  }
}
