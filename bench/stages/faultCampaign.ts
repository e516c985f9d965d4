import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { BenchStack } from '../BenchStack.ts';
import { progress } from '../progress.ts';
import { percentile } from '../summary.ts';
import { runLoad } from '../../cli/commands/load.ts';
import { stackStatus, startKafka, stopKafka } from '../../localstack/index.ts';
import { awsClientConfigFromEnv } from '../../pipeline/aws/index.ts';
import { resolveWriterConfig, writerConfigFromEnv } from '../../pipeline/parquet-writer/index.ts';
import { LandingZone, readStreamHistory, reconcile, type ReconcileReport } from '../../pipeline/reconcile/index.ts';
import { ComponentProcess } from '../../steps/support/ComponentProcess.ts';
import { newWriter } from '../../steps/support/pipeline.ts';

/** The faults the campaign injects, in the proportions of the first campaign (mostly writer kills). */
export const FaultKind = {
  WRITER_KILL: 'writer-sigkill',
  POLLER_KILL: 'poller-sigkill',
  BROKER_STOP: 'broker-stop',
  MOTO_PAUSE: 'moto-sigstop',
} as const;
export type FaultKind = (typeof FaultKind)[keyof typeof FaultKind];
const ROTATION: readonly FaultKind[] = [
  FaultKind.WRITER_KILL,
  FaultKind.WRITER_KILL,
  FaultKind.POLLER_KILL,
  FaultKind.WRITER_KILL,
  FaultKind.BROKER_STOP,
  FaultKind.WRITER_KILL,
  FaultKind.MOTO_PAUSE,
  FaultKind.WRITER_KILL,
];

export interface CampaignRun {
  requests: number;
  loadErrors: number;
  durationMs: number;
  faults: Record<FaultKind, number>;
  /** The reconcile report after the pipeline drained (examples left out). */
  changes: number;
  lost: number;
  duplicated: number;
  mismatched: number;
  unexpected: number;
  /** Per writer kill: restart until every partition's committed offset reached the log end read at the restart. */
  writerCatchUpMs: number[];
  writerCatchUpMedianMs: number | null;
  writerCatchUpMaxMs: number | null;
  /** Writer kills whose restart had not caught up when the next fault came (or within 120 s). */
  writerCatchUpUnfinished: number;
  /** Faults asked for; fewer are injected when the load ends first. */
  faultsPlanned: number;
  /** The writer's consumer session timeout (its default unless KAFKA_SESSION_TIMEOUT_MS is set). */
  sessionTimeoutMs: number;
}

export interface CampaignOptions {
  /** Requests through the API; each makes one change (create, status change or delete). */
  changes: number;
  faults: number;
  ratePerS: number;
  rolloverMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The fault campaign: `chargeback-cdc load` through the real API, stream poller and embedded writer
 * (each its own `chargeback-cdc run …` process, as an operator runs them, on a table, topic,
 * bucket and queue of this run) while faults are injected at even intervals — writer SIGKILL and
 * restart, poller SIGKILL and restart, broker stopped for 10 s, moto frozen (SIGSTOP) for 10 s —
 * then waits for the pipeline to drain and reconciles every stream change against the landed rows.
 */
export async function runFaultCampaign(stack: BenchStack, o: CampaignOptions): Promise<CampaignRun> {
  const topic = await stack.createTopic('campaign');
  const dlqTopic = await stack.createTopic('campaign-dlq');
  const table = await stack.createTable('campaign');
  const bucket = await stack.createBucket('campaign');
  const queueUrl = await stack.createQueue('campaign-dlq');
  const home = mkdtempSync(join(tmpdir(), 'bench-campaign-'));
  const groupId = stack.name('campaign');
  const apiPort = 3_100 + Math.floor(Math.random() * 800);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TABLE_NAME: table.name,
    KAFKA_TOPIC: topic,
    DLQ_TOPIC: dlqTopic,
    WRITER_GROUP_ID: groupId,
    LANDING_BUCKET: bucket,
    DLQ_QUEUE_URL: queueUrl,
    API_PORT: String(apiPort),
    // The poller's checkpoints, the load log and metric snapshots of this run, apart from any other.
    CHARGEBACK_CDC_HOME: home,
  };
  const api = new ComponentProcess('campaign-api', ['api'], /listening/, env);
  const poller = new ComponentProcess('campaign-poller', ['poller', '--json'], /"what":"polling"/, env);
  const writer = newWriter('campaign-writer', env);
  const faults = Object.fromEntries(Object.values(FaultKind).map((k) => [k, 0])) as Record<FaultKind, number>;
  const catchUps: number[] = [];
  let unfinished = 0;
  let motoPaused: number | undefined;
  const started = Date.now();
  try {
    await Promise.all([api.start(), poller.start(), writer.start()]);
    progress(`  campaign: ${o.changes.toLocaleString('en-US')} requests at ≤ ${o.ratePerS}/s, ${o.faults} faults`);
    let loadDone = false;
    const loading = runLoad({
      count: o.changes,
      rate: o.ratePerS,
      concurrency: 4,
      apiUrl: `http://127.0.0.1:${apiPort}`,
      json: true,
    }).finally(() => (loadDone = true));
    // Fault i is due at (i + 1) × gap from the start (± 20 %), whatever the earlier faults took, so
    // all of them fall within the load.
    const loadStart = Date.now();
    const gapMs = ((o.changes / o.ratePerS) * 1000) / (o.faults + 1);
    let pendingCatchUp: Promise<void> = Promise.resolve();
    for (let i = 0; i < o.faults && !loadDone; i++) {
      await sleep(loadStart + gapMs * (i + 0.8 + Math.random() * 0.4) - Date.now());
      if (loadDone) break;
      await pendingCatchUp; // a fault per recovered pipeline: catch-up times are not cut short by the next fault
      const kind = ROTATION[i % ROTATION.length]!;
      faults[kind]++;
      progress(`  fault ${i + 1}/${o.faults}: ${kind}`);
      switch (kind) {
        case FaultKind.WRITER_KILL: {
          await writer.kill();
          const restartAt = Date.now();
          const ends = await logEnds(stack, topic);
          await writer.start();
          pendingCatchUp = waitCommitted(stack, groupId, topic, ends, 120_000).then(
            (at) => {
              catchUps.push(at - restartAt);
              progress(`  writer caught up ${((at - restartAt) / 1000).toFixed(1)} s after its restart`);
            },
            () => void unfinished++,
          );
          break;
        }
        case FaultKind.POLLER_KILL:
          await poller.kill();
          await sleep(500);
          await poller.start();
          break;
        case FaultKind.BROKER_STOP:
          await stopKafka();
          await sleep(10_000);
          await startKafka();
          break;
        case FaultKind.MOTO_PAUSE: {
          const pid = (await stackStatus()).services.find((s) => s.service === 'moto')?.pid;
          if (!pid) throw new Error('moto has no pid in stack status (not the native backend?): cannot pause it');
          process.kill(pid, 'SIGSTOP');
          motoPaused = pid;
          await sleep(10_000);
          process.kill(pid, 'SIGCONT');
          motoPaused = undefined;
          break;
        }
      }
      // A component that died of the fault (not killed by us) is a finding: restart it and go on.
      for (const c of [api, poller, writer]) if (!c.running) await c.start();
    }
    const loadErrors = await loading;
    await pendingCatchUp;
    progress('  load done; waiting for the pipeline to drain, then reconciling');
    const report = await reconcileWhenDrained(stack, table.name, bucket);
    return {
      requests: o.changes,
      loadErrors,
      durationMs: Date.now() - started,
      faults,
      changes: report.expected,
      lost: report.lost,
      duplicated: report.duplicated,
      mismatched: report.mismatched,
      unexpected: report.unexpected,
      writerCatchUpMs: catchUps,
      writerCatchUpMedianMs: percentile(catchUps, 50) ?? null,
      writerCatchUpMaxMs: catchUps.length ? Math.max(...catchUps) : null,
      writerCatchUpUnfinished: unfinished,
      faultsPlanned: o.faults,
      sessionTimeoutMs: resolveWriterConfig(writerConfigFromEnv(env)).sessionTimeoutMs,
    };
  } finally {
    if (motoPaused) process.kill(motoPaused, 'SIGCONT');
    await Promise.all([api.stop(), poller.stop(), writer.stop()]);
    const kafka = (await stackStatus()).services.find((s) => s.service === 'kafka');
    if (kafka && kafka.state !== 'up') await startKafka();
    rmSync(home, { recursive: true, force: true });
  }
}

/** Per partition, the offset of the last record on the topic now (-1 for an empty partition). */
async function logEnds(stack: BenchStack, topic: string): Promise<Map<number, bigint>> {
  return new Map((await stack.admin.fetchTopicOffsets(topic)).map((p) => [p.partition, BigInt(p.high) - 1n]));
}

/** Resolves with the time the group's committed offsets passed `ends` on every partition. */
async function waitCommitted(
  stack: BenchStack,
  groupId: string,
  topic: string,
  ends: Map<number, bigint>,
  timeoutMs: number,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const committed = await stack.admin.fetchOffsets({ groupId, topics: [topic] }).catch(() => undefined);
    const parts = committed?.[0]?.partitions ?? [];
    const behind = [...ends].filter(([p, end]) => {
      const c = parts.find((x) => x.partition === p)?.offset;
      return end >= 0n && !(c !== undefined && BigInt(c) > end);
    });
    if (behind.length === 0) return Date.now();
    await sleep(250);
  }
  throw new Error('the writer did not catch up');
}

/** Reconciles until clean, or until nothing changed for 120 s (lost records may still be on their way; duplicates never leave). */
async function reconcileWhenDrained(stack: BenchStack, tableName: string, bucket: string): Promise<ReconcileReport> {
  const streams = new DynamoDBStreamsClient(awsClientConfigFromEnv());
  const landing = new LandingZone(bucket);
  const once = async () => {
    const history = await readStreamHistory(stack.ddb, streams, tableName, stack.region);
    return reconcile(history.changes, await landing.rows());
  };
  try {
    let report = await once();
    let lastChange = Date.now();
    while (!report.ok && report.duplicated === 0 && Date.now() - lastChange < 120_000) {
      await sleep(5_000);
      const next = await once();
      if (next.lost !== report.lost || next.expected !== report.expected) lastChange = Date.now();
      report = next;
    }
    return report;
  } finally {
    streams.destroy();
  }
}
