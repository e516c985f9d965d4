import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { REPO_ROOT } from '../childProcess.ts';
import type { BenchStack } from '../BenchStack.ts';
import { LandedRowCounter, waitForRows } from '../LandedRowCounter.ts';
import { samplePeakMemory } from '../processMemory.ts';
import { progress } from '../progress.ts';
import { ratePerSecond, type WriterRun } from '../summary.ts';
import { startFlinkWriter } from '../../pipeline/flink-job/index.ts';
import type { WriterEvent } from '../../pipeline/parquet-writer/index.ts';

export interface WriterBenchOptions {
  topic: string;
  dlqTopic: string;
  records: number;
  rolloverMs: number;
  timeoutMs: number;
  /** Write a V8 CPU profile of the writer process into this folder. */
  cpuProfileDir?: string;
  /** Name of the bucket/group (default `writer`), so several variants can run in one benchmark. */
  variant?: string;
}

/**
 * The embedded writer exactly as deployed — `tsx pipeline/parquet-writer/main.ts` in its own
 * process, configured from the environment — landing the pre-loaded topic into a bucket of its
 * own. Timed from its `started` event (consumer in the group) until every record is visible as a
 * committed row in S3 (listing + footers); peak RSS is the process's VmHWM.
 */
export async function measureEmbeddedWriter(stack: BenchStack, o: WriterBenchOptions): Promise<WriterRun> {
  const bucket = await stack.createBucket(o.variant ?? 'writer');
  const counter = new LandedRowCounter(stack.s3, bucket);
  const spawnedAt = Date.now();
  const nodeArgs = o.cpuProfileDir ? [`--cpu-prof`, `--cpu-prof-dir=${o.cpuProfileDir}`] : [];
  if (o.cpuProfileDir) mkdirSync(o.cpuProfileDir, { recursive: true });
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'pipeline/parquet-writer/main.ts'], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      KAFKA_TOPIC: o.topic,
      DLQ_TOPIC: o.dlqTopic,
      WRITER_GROUP_ID: stack.name(o.variant ?? 'writer'),
      LANDING_BUCKET: bucket,
      ROLLOVER_MS: String(o.rolloverMs),
      WRITER_LOG: 'json',
    },
  });
  const memory = samplePeakMemory(child.pid!);
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const started = new Promise<number>((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        if (line.startsWith('{') && (JSON.parse(line) as WriterEvent).type === 'started') resolve(Date.now());
      }
    });
    void exited.then((code) => reject(new Error(`the writer exited (${code}) before it started: ${stderr.trim().slice(-1000)}`)));
  });
  try {
    const t0 = await started;
    progress(`  writer consuming after ${((t0 - spawnedAt) / 1000).toFixed(1)} s`);
    const t1 = await Promise.race([
      waitForRows(counter, o.records, {
        timeoutMs: o.timeoutMs,
        onProgress: (rows) => progress(`  writer: ${rows.toLocaleString('en-US')} rows committed`),
      }),
      exited.then((code) =>
        Promise.reject(new Error(`the writer exited (${code}) before landing everything: ${stderr.trim().slice(-1000)}`)),
      ),
    ]);
    return {
      records: o.records,
      ms: t1 - t0,
      recordsPerS: ratePerSecond(o.records, t1 - t0)!,
      startupMs: t0 - spawnedAt,
      files: counter.files,
      bytes: counter.bytes,
      peakRssMb: Math.round(memory.peakMb() ?? NaN),
    };
  } finally {
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    await exited;
    clearTimeout(killer);
    memory.stop();
  }
}

/**
 * The real Flink job (pipeline/flink-job, parallelism = cores) in a local MiniCluster on the same
 * topic, from the beginning, in its own consumer group and bucket; checkpoint interval = the
 * writer's rollover. Timed from "RUNNING" until every record is visible, like the writer.
 */
export async function measureFlinkJob(
  stack: BenchStack,
  o: WriterBenchOptions & { logFile: string; stateDir: string },
): Promise<WriterRun> {
  const bucket = await stack.createBucket('flink');
  const counter = new LandedRowCounter(stack.s3, bucket);
  const spawnedAt = Date.now();
  const flink = await startFlinkWriter({
    brokers: stack.brokers,
    bucket,
    ...(stack.awsEndpoint ? { s3Endpoint: stack.awsEndpoint } : {}),
    checkpointIntervalMs: o.rolloverMs,
    topic: o.topic,
    dlqTopic: o.dlqTopic,
    groupId: stack.name('flink'),
    stateDir: o.stateDir,
    logFile: o.logFile,
  });
  const memory = samplePeakMemory(flink.pid);
  try {
    const t0 = Date.now();
    progress(`  Flink job RUNNING after ${((t0 - spawnedAt) / 1000).toFixed(1)} s`);
    const t1 = await Promise.race([
      waitForRows(counter, o.records, {
        timeoutMs: o.timeoutMs,
        onProgress: (rows) => progress(`  Flink: ${rows.toLocaleString('en-US')} rows committed`),
      }),
      flink.exited.then((code) =>
        Promise.reject(new Error(`the Flink job exited (${code}) before landing everything; see ${o.logFile}`)),
      ),
    ]);
    return {
      records: o.records,
      ms: t1 - t0,
      recordsPerS: ratePerSecond(o.records, t1 - t0)!,
      startupMs: t0 - spawnedAt,
      files: counter.files,
      bytes: counter.bytes,
      peakRssMb: Math.round(memory.peakMb() ?? NaN),
    };
  } finally {
    await flink.stop();
    memory.stop();
  }
}
