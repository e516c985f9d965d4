/**
 * Writer throughput and memory on a backlog: `tsx pipeline/parquet-writer/benchmark.ts [records]`.
 *
 * Produces N realistic change records (default 100 000) to a fresh 3-partition topic, then runs
 * the writer as a child process (main.ts, exactly as deployed) until every offset is committed,
 * and reports records/s and the writer process's peak RSS (VmHWM). Needs the local stack.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { changeRecord } from './testFixtures.ts';
import { isolatedWriterSetup, messageOf, produce, requireStack } from './stackForTests.ts';
import type { WriterEvent } from './WriterEvent.ts';

export interface WriterBenchmarkResult {
  records: number;
  /** Process start until every offset is committed (includes ~2 s of tsx start-up and group join). */
  seconds: number;
  /** From the writer's 'started' event (consumer in the group) until every offset is committed. */
  consumingSeconds: number;
  recordsPerSecond: number;
  peakRssMiB: number;
  files: number;
  bytesLanded: number;
}

export async function runWriterBenchmark(options: { records?: number; rolloverMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<WriterBenchmarkResult> {
  const n = options.records ?? 100_000;
  const stack = await requireStack();
  try {
    const t = await isolatedWriterSetup(stack, 'bench');
    const producer = stack.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const reasons = ['Item not received', 'Fraudulent transaction — card not present', 'Duplicate charge', 'Goods not as described: ' + 'x'.repeat(200)];
    await produce(
      producer,
      t.topic,
      Array.from({ length: n }, (_, i) => messageOf(changeRecord(i, { reason: reasons[i % reasons.length]!, chargeback_id: `cb-${i % 20_000}` }))),
    );
    await producer.disconnect();
    const ends = Object.fromEntries((await stack.admin.fetchTopicOffsets(t.topic)).map((p) => [p.partition, BigInt(p.high)]));

    const main = fileURLToPath(new URL('./main.ts', import.meta.url));
    const started = Date.now();
    const child = spawn(process.execPath, ['--import', 'tsx', main], {
      cwd: fileURLToPath(new URL('../../', import.meta.url)),
      stdio: ['ignore', 'pipe', 'inherit'],
      env: {
        ...stack.env,
        KAFKA_TOPIC: t.topic,
        DLQ_TOPIC: t.dlqTopic,
        WRITER_GROUP_ID: t.groupId,
        LANDING_PREFIX: t.prefix,
        STATE_PREFIX: t.statePrefix,
        ROLLOVER_MS: String(options.rolloverMs ?? 5_000),
        WRITER_LOG: 'json',
        ...options.env,
      },
    });
    let peakKiB = 0;
    const sampler = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peakKiB = Math.max(peakKiB, Number(m[1]));
      } catch {
        // process gone
      }
    }, 100);
    const through = new Map<number, bigint>();
    let files = 0;
    let bytes = 0;
    let finishedAt = 0;
    let consumingAt = 0;
    await new Promise<void>((resolve, reject) => {
      let buf = '';
      child.stdout!.on('data', (d: Buffer) => {
        buf += d.toString();
        for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
          const line = buf.slice(0, i);
          buf = buf.slice(i + 1);
          if (!line.startsWith('{')) continue;
          const e = JSON.parse(line) as WriterEvent;
          if (e.type === 'started') consumingAt = Date.now();
          if (e.type === 'file-committed') [files, bytes] = [files + 1, bytes + e.bytes];
          if (e.type === 'checkpoint-committed') through.set(e.partition, BigInt(e.through));
          if (!finishedAt && Object.entries(ends).every(([p, end]) => (through.get(Number(p)) ?? -1n) + 1n >= end)) {
            finishedAt = Date.now();
            child.kill('SIGTERM');
          }
        }
      });
      child.on('exit', (code) => (finishedAt ? resolve() : reject(new Error(`writer exited with ${code} before landing everything`))));
    });
    clearInterval(sampler);
    const seconds = (finishedAt - started) / 1000;
    const consumingSeconds = (finishedAt - consumingAt) / 1000;
    return { records: n, seconds, consumingSeconds, recordsPerSecond: Math.round(n / consumingSeconds), peakRssMiB: Math.round(peakKiB / 1024), files, bytesLanded: bytes };
  } finally {
    await stack.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const result = await runWriterBenchmark({ records: Number(process.argv[2] ?? 100_000) });
  console.log(JSON.stringify(result));
}
