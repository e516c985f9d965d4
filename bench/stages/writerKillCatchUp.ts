import type { BenchStack } from '../BenchStack.ts';
import { progress } from '../progress.ts';
import { startSteadyLoad } from '../steadyLoad.ts';
import { percentile } from '../summary.ts';
import { WriterProcess } from '../WriterProcess.ts';
import { Topics } from '../../pipeline/kafka/index.ts';

/** One SIGKILL + immediate restart under steady load. */
export interface CatchUpKill {
  /** Restart (process spawned) until the group assigned it the partitions. */
  joinMs: number;
  /** Restart until every partition committed everything produced before the restart. */
  catchUpMs: number;
}

/** The "kills every 8–26 s" pattern of the fault campaign, replayed on one session timeout. */
export interface KillStorm {
  starts: number;
  /** Writer starts that were assigned at least one partition before they were killed. */
  gotPartitions: number;
  /** Writer starts that committed at least one checkpoint before they were killed. */
  landed: number;
  /** Longest time any partition went without a checkpoint during the storm. */
  longestPartitionSilenceMs: number;
  /** From the last restart until every partition caught up (the storm over). */
  settleMs: number | null;
}

export interface CatchUpVariant {
  sessionTimeoutMs: number;
  heartbeatIntervalMs: number;
  kills: CatchUpKill[];
  medianCatchUpMs: number | null;
  maxCatchUpMs: number | null;
  medianJoinMs: number | null;
  storm?: KillStorm;
  /** Kills whose restart did not catch up within the timeout. */
  timedOut: number;
}

export interface CatchUpRun {
  ratePerS: number;
  rolloverMs: number;
  /** The first variant is the baseline ("before"); ratios are each variant's median over its median. */
  variants: CatchUpVariant[];
}

export interface CatchUpOptions {
  /** Session timeouts to compare; the first is the baseline. */
  sessionTimeoutsMs: readonly number[];
  killsPerVariant: number;
  stormStarts: number;
  ratePerS: number;
  rolloverMs: number;
  timeoutMs: number;
}

/** Gaps between storm kills, 8–26 s like the campaign's, the same sequence for every variant. */
function stormGapsMs(n: number): number[] {
  let seed = 12;
  return Array.from({ length: n }, () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return 8_000 + (seed % 18_001);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Catch-up after a writer SIGKILL, per consumer session timeout. kafkajs 2.2.4 has no static
 * membership, so a restarted writer joins as a new member and the group's rebalance waits for the
 * killed member to expire: the session timeout bounds how long the partitions sit idle. For each
 * session timeout: a topic with steady load and one writer (embedded, own process, own group and
 * bucket); SIGKILL it at an arbitrary instant, restart it at once, and time the restart until
 * every partition has committed what was produced before the restart. Then the campaign's storm:
 * kills every 8–26 s, counting the starts that got partitions.
 */
export async function measureWriterKillCatchUp(stack: BenchStack, o: CatchUpOptions): Promise<CatchUpRun> {
  const dlqTopic = await stack.createTopic('catchup-dlq');
  const variants: CatchUpVariant[] = [];
  for (const sessionTimeoutMs of o.sessionTimeoutsMs) {
    const topic = await stack.createTopic(`catchup-${sessionTimeoutMs}`);
    const bucket = await stack.createBucket(`catchup-${sessionTimeoutMs}`);
    const env = {
      KAFKA_TOPIC: topic,
      DLQ_TOPIC: dlqTopic,
      WRITER_GROUP_ID: stack.name(`catchup-${sessionTimeoutMs}`),
      LANDING_BUCKET: bucket,
      ROLLOVER_MS: String(o.rolloverMs),
      KAFKA_SESSION_TIMEOUT_MS: String(sessionTimeoutMs),
    };
    const load = await startSteadyLoad(stack.kafka, topic, { ratePerS: o.ratePerS, runId: `${stack.runId}${sessionTimeoutMs}` });
    const variant: CatchUpVariant = {
      sessionTimeoutMs,
      // What WriterKafkaClients derives from the session timeout.
      heartbeatIntervalMs: Math.min(3_000, Math.floor(sessionTimeoutMs / 3)),
      kills: [],
      medianCatchUpMs: null,
      maxCatchUpMs: null,
      medianJoinMs: null,
      timedOut: 0,
    };
    let writer = new WriterProcess(env);
    try {
      await caughtUp(stack, topic, writer, o.timeoutMs);
      for (let k = 0; k < o.killsPerVariant; k++) {
        await sleep(1_000 + Math.floor(Math.random() * 2_000)); // an arbitrary instant of its cycle
        await writer.kill();
        writer = new WriterProcess(env);
        try {
          const r = await caughtUp(stack, topic, writer, o.timeoutMs);
          variant.kills.push(r);
          progress(
            `  session ${sessionTimeoutMs / 1000} s, kill ${k + 1}/${o.killsPerVariant}: assigned after ${(r.joinMs / 1000).toFixed(1)} s, caught up after ${(r.catchUpMs / 1000).toFixed(1)} s`,
          );
        } catch (e) {
          variant.timedOut++;
          progress(`  session ${sessionTimeoutMs / 1000} s, kill ${k + 1}: ${(e as Error).message}`);
          await writer.kill();
          writer = new WriterProcess(env);
          await caughtUp(stack, topic, writer, o.timeoutMs);
        }
      }
      if (o.stormStarts > 0) {
        const storm = await killStorm(stack, topic, env, writer, o);
        writer = storm.last;
        variant.storm = storm.result;
        progress(
          `  session ${sessionTimeoutMs / 1000} s, storm: ${storm.result.gotPartitions}/${storm.result.starts} starts got partitions, ${storm.result.landed} landed, longest partition silence ${(storm.result.longestPartitionSilenceMs / 1000).toFixed(0)} s`,
        );
      }
    } finally {
      await writer.stop();
      await load.stop();
    }
    const catchUps = variant.kills.map((k) => k.catchUpMs);
    variant.medianCatchUpMs = percentile(catchUps, 50) ?? null;
    variant.maxCatchUpMs = catchUps.length ? Math.max(...catchUps) : null;
    variant.medianJoinMs =
      percentile(
        variant.kills.map((k) => k.joinMs),
        50,
      ) ?? null;
    variants.push(variant);
  }
  return { ratePerS: o.ratePerS, rolloverMs: o.rolloverMs, variants };
}

/**
 * From the writer's spawn until it was assigned partitions (joinMs) and until every partition
 * committed a checkpoint through the log end read at the spawn (catchUpMs).
 */
async function caughtUp(stack: BenchStack, topic: string, writer: WriterProcess, timeoutMs: number): Promise<CatchUpKill> {
  const t0 = writer.startedAt;
  const ends = new Map((await stack.admin.fetchTopicOffsets(topic)).map((p) => [p.partition, BigInt(p.high) - 1n]));
  const pending = new Set([...ends.keys()]);
  const all = new Promise<number>((resolve) =>
    writer.onEvent((e, at) => {
      if (e.type === 'checkpoint-committed' && BigInt(e.through) >= ends.get(e.partition)!) pending.delete(e.partition);
      if (pending.size === 0) resolve(at);
    }),
  );
  const assigned = writer.waitFor((e) => e.type === 'partitions-assigned' && e.partitions.length > 0, timeoutMs, 'an assignment');
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new Error(`no checkpoint through the log end on partitions ${[...pending].join(', ')} within ${timeoutMs / 1000} s`),
        ),
      timeoutMs,
    );
  });
  const died = writer.exited.then((code) =>
    Promise.reject(new Error(`the writer exited (${code}): ${writer.stderr().slice(-800)}`)),
  );
  const [a, l] = await Promise.all([assigned, Promise.race([all, timeout, died])]).finally(() => clearTimeout(timer));
  return { joinMs: a - t0, catchUpMs: l - t0 };
}

/** Kills every 8–26 s (restarting at once), then lets the last start settle. */
async function killStorm(
  stack: BenchStack,
  topic: string,
  env: NodeJS.ProcessEnv,
  first: WriterProcess,
  o: CatchUpOptions,
): Promise<{ result: KillStorm; last: WriterProcess }> {
  const lastCheckpoint = new Map<number, number>();
  const stormStart = Date.now();
  for (let p = 0; p < Topics.PARTITIONS; p++) lastCheckpoint.set(p, stormStart);
  let longest = 0;
  const watch = (w: WriterProcess, flags: { assigned: boolean; landed: boolean }) =>
    w.onEvent((e, at) => {
      if (e.type === 'partitions-assigned' && e.partitions.length > 0) flags.assigned = true;
      if (e.type === 'checkpoint-committed') {
        flags.landed = true;
        longest = Math.max(longest, at - lastCheckpoint.get(e.partition)!);
        lastCheckpoint.set(e.partition, at);
      }
    });
  let writer = first;
  let gotPartitions = 0;
  let landed = 0;
  // The running writer is killed first: the storm's starts are the ones made during it.
  for (const gap of stormGapsMs(o.stormStarts)) {
    await writer.kill();
    writer = new WriterProcess(env);
    const flags = { assigned: false, landed: false };
    watch(writer, flags);
    await sleep(gap);
    if (flags.assigned) gotPartitions++;
    if (flags.landed) landed++;
  }
  const now = Date.now();
  for (const at of lastCheckpoint.values()) longest = Math.max(longest, now - at);
  await writer.kill();
  writer = new WriterProcess(env);
  let settleMs: number | null = null;
  try {
    settleMs = (await caughtUp(stack, topic, writer, o.timeoutMs)).catchUpMs;
  } catch (e) {
    progress(`  storm did not settle: ${(e as Error).message}`);
  }
  return {
    result: { starts: o.stormStarts, gotPartitions, landed, longestPartitionSilenceMs: longest, settleMs },
    last: writer,
  };
}
