import { existsSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import {
  createKafka,
  HandOverRefusedError,
  type HandOverResult,
  handOverOffsets,
  kafkaConfigFromEnv,
  landedThrough,
  type PartitionHandOver,
  readTopicTail,
  refuseWhileGroupsActive,
  Topics,
} from '../../pipeline/kafka/index.ts';
import {
  LandingStore,
  listLandedFiles,
  ProgressStore,
  parsePartFileName,
  readParquetFile,
  resolveWriterConfig,
  s3ClientFor,
  writerConfigFromEnv,
  type ResolvedWriterConfig,
} from '../../pipeline/parquet-writer/index.ts';
import type { WriterEngine } from '../components/writerComponent.ts';

/** The Flink job's main class: a local JVM running it is a running Flink writer (it does not join the consumer group). */
const FLINK_MAIN_CLASS = 'dev.chargebackcdc.flink.ChargebackParquetJob';

/** The S3 store retries transient errors forever; a hand-over gives up instead (reading the Flink job's recent files included). */
const HANDOVER_S3_TIMEOUT_MS = 5 * 60_000;

const ENGINE_NAMES: Record<WriterEngine, string> = { embedded: 'the embedded writer', flink: 'the Flink job' };

export interface HandOverCommandOptions {
  from: WriterEngine;
  to: WriterEngine;
  json: boolean;
  env?: NodeJS.ProcessEnv;
}

export interface HandOverReport extends HandOverResult {
  from: WriterEngine;
  to: WriterEngine;
  /** Per partition, the embedded writer's checkpoint (progress object) position, when it has one. */
  embeddedProgress: Record<number, string>;
  /** Per partition, how far the Flink job's landed files reach past its group's last commit (handing over from Flink). */
  flinkLandedThrough: Record<number, string>;
  /** What was done with the Flink job's retained checkpoints (handing over to Flink). */
  flinkState: { dir: string; action: 'moved-aside' | 'none-retained'; movedTo?: string } | undefined;
  next: string;
}

/**
 * `chargeback-cdc handover --from embedded|flink --to flink|embedded`: moves the landing position
 * of topic `chargebacks` from one writer engine to the other, so a switch lands every change
 * exactly once (pipeline/parquet-writer/README.md § "Switching engines"). The source writer must
 * be stopped (SIGTERM) first. Returns the exit code: 0 handed over, 1 refused or failed.
 *
 * @example
 * process.exitCode = await runHandover({ from: 'embedded', to: 'flink', json: false });
 */
export async function runHandover(o: HandOverCommandOptions): Promise<number> {
  try {
    const report = await handOver(o);
    console.log(o.json ? JSON.stringify(report) : formatReport(report));
    return 0;
  } catch (e) {
    const message = (e as Error).message;
    console.error(o.json ? JSON.stringify({ error: message, code: (e as { code?: string }).code }) : message);
    return 1;
  }
}

/** Does the hand-over and returns what it did; throws HandOverRefusedError (nothing changed) or a failure. */
export async function handOver(o: HandOverCommandOptions): Promise<HandOverReport> {
  const env = o.env ?? process.env;
  if (o.from === o.to) throw new HandOverRefusedError(`handover refused: --from and --to are both ${o.from}`);
  const writer = resolveWriterConfig(writerConfigFromEnv(env));
  // `run writer --engine flink` passes no group: the job's default, the seed's name.
  const groups: Record<WriterEngine, string> = { embedded: writer.groupId, flink: Topics.WRITER_GROUP };
  const flinkJobs = runningFlinkJobs();
  if (flinkJobs.length) {
    throw new HandOverRefusedError(
      `handover refused: the Flink job is running on this machine (pid ${flinkJobs.join(', ')}); it reads by assignment and never shows as a group member: stop it with SIGTERM (it exits after its stop-with-savepoint), then run handover again`,
    );
  }

  // The embedded writer's checkpoint is its progress object; its group offset trails it (README.md § "Lifecycle").
  const store = new LandingStore(s3ClientFor(writer.s3), {
    bucket: writer.bucket,
    signal: AbortSignal.timeout(HANDOVER_S3_TIMEOUT_MS),
  });
  const progress = new ProgressStore(store, writer.statePrefix, writer.topic);
  const embeddedProgress = new Map<number, bigint>();
  const undecided: string[] = [];
  const kafka = createKafka(kafkaConfigFromEnv('chargeback-cdc-handover', env));
  const admin = kafka.admin();
  await admin.connect();
  const names = { fromGroup: groups[o.from], toGroup: groups[o.to], fromName: ENGINE_NAMES[o.from], toName: ENGINE_NAMES[o.to] };
  try {
    // First: a running writer's progress objects are a moving target, and the refusal should name the writer.
    await refuseWhileGroupsActive(admin, names);
    for (const { partition } of await admin.fetchTopicOffsets(writer.topic)) {
      const stored = await progress.read(partition);
      if (!stored) continue;
      embeddedProgress.set(partition, BigInt(stored.progress.committedThrough) + 1n);
      // The last checkpoint's parts stay listed after they are copied; only a missing final object is unfinished.
      const invisible: string[] = [];
      for (const part of stored.progress.pending) if (!(await store.exists(part.finalKey))) invisible.push(part.finalKey);
      if (invisible.length) undecided.push(`partition ${partition} (${invisible.join(', ')})`);
    }
    // A decided checkpoint whose parts are not visible (a crash mid-commit) is finished by the embedded
    // writer's recovery alone; the other engine would land those records a second time.
    if (undecided.length) {
      throw new HandOverRefusedError(
        `handover refused: the embedded writer decided a checkpoint whose part files are not all visible yet: ${undecided.join(', ')}; start the embedded writer (its recovery completes them), stop it with SIGTERM, then run handover again`,
      );
    }
    const flinkLanded = o.from === 'flink' ? await flinkLandedPositions(kafka, admin, store, writer, groups.flink) : new Map();
    const result = await handOverOffsets(admin, {
      topic: writer.topic,
      ...names,
      sourceFloor: o.from === 'embedded' ? embeddedProgress : flinkLanded,
    });
    const flinkState = o.to === 'flink' ? moveFlinkStateAside(env) : undefined;
    return {
      ...result,
      from: o.from,
      to: o.to,
      embeddedProgress: Object.fromEntries([...embeddedProgress].map(([p, v]) => [p, v.toString()])),
      flinkLandedThrough: Object.fromEntries([...flinkLanded].map(([p, v]) => [p, v.toString()])),
      flinkState,
      next: `chargeback-cdc run writer --engine ${o.to}`,
    };
  } finally {
    await admin.disconnect();
    store.s3.destroy();
  }
}

/** S3 and Kafka clocks may differ a little; a file is read if it could hold a record this much older than it. */
const CLOCK_SLACK_MS = 5 * 60_000;

/**
 * The Flink job commits its group offsets when a checkpoint completes, asynchronously, and the commit
 * of its stop-with-savepoint can be lost as the job ends: the group then trails the part files the
 * savepoint made visible. Those files are the truth: per partition, the records after the group's
 * offset whose changes are in a Flink part file written since the oldest of them was produced were
 * landed (landedThrough). The embedded writer's part names say their offsets; the Flink job's do not.
 */
async function flinkLandedPositions(
  kafka: ReturnType<typeof createKafka>,
  admin: ReturnType<ReturnType<typeof createKafka>['admin']>,
  store: LandingStore,
  writer: ResolvedWriterConfig,
  groupId: string,
): Promise<Map<number, bigint>> {
  const [committed] = await admin.fetchOffsets({ groupId, topics: [writer.topic] });
  const from = new Map((committed?.partitions ?? []).map((p) => [p.partition, BigInt(Math.max(0, Number(p.offset)))] as const));
  const ends = new Map((await admin.fetchTopicOffsets(writer.topic)).map((p) => [p.partition, BigInt(p.high)] as const));
  const tail = await readTopicTail(kafka, writer.topic, from, ends);
  const positions = new Map<number, bigint>();
  if (tail.oldestTimestampMs === undefined) return positions;
  const landed = new Set<string>();
  for (const f of await listLandedFiles(store.s3, writer.bucket, writer.prefix)) {
    const name = f.key.slice(f.key.lastIndexOf('/') + 1);
    if (parsePartFileName(name) || f.lastModified.getTime() < tail.oldestTimestampMs - CLOCK_SLACK_MS) continue;
    const got = await store.getObject(f.key);
    if (got) for (const row of (await readParquetFile(got.body)).rows) landed.add(row.event_id);
  }
  for (const [partition, records] of tail.records)
    positions.set(partition, landedThrough(records, from.get(partition) ?? 0n, landed));
  return positions;
}

/**
 * The Flink job resumes from a retained checkpoint in preference to the group offsets
 * (LocalRun.java), and that checkpoint is as old as the job's last turn: it is renamed, not
 * deleted, so the job starts from the offsets just handed over and nothing is lost.
 * `run writer --engine flink` retains none (it passes no state dir); run-local.sh does with FLINK_STATE_DIR.
 */
function moveFlinkStateAside(env: NodeJS.ProcessEnv): HandOverReport['flinkState'] {
  const dir = env.FLINK_STATE_DIR;
  if (!dir) return { dir: '(FLINK_STATE_DIR unset)', action: 'none-retained' };
  if (!existsSync(dir) || readdirSync(dir).length === 0) return { dir, action: 'none-retained' };
  const movedTo = `${dir.replace(/\/+$/, '')}.before-handover-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  renameSync(dir, movedTo);
  return { dir, action: 'moved-aside', movedTo };
}

/** Local processes running the Flink job (Linux /proc; elsewhere none are found). */
function runningFlinkJobs(): number[] {
  if (!existsSync('/proc')) return [];
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (
        readFileSync(join('/proc', entry, 'cmdline'), 'utf8')
          .split('\0')
          .includes(FLINK_MAIN_CLASS)
      )
        pids.push(Number(entry));
    } catch {
      // the process ended while we looked: it is not running
    }
  }
  return pids;
}

function formatReport(r: HandOverReport): string {
  const offset = (v: string | null) => v ?? 'none';
  const lines = [
    `handover ${r.from} → ${r.to}: topic ${r.topic}, group ${r.fromGroup} → ${r.toGroup}`,
    ...r.partitions.map(
      (p: PartitionHandOver) =>
        `  partition ${p.partition}: ${offset(p.before)} → ${offset(p.after)}` +
        `${r.embeddedProgress[p.partition] ? ` (embedded checkpoint at ${r.embeddedProgress[p.partition]})` : ''}` +
        `${r.flinkLandedThrough[p.partition] ? ` (Flink's files reach ${r.flinkLandedThrough[p.partition]})` : ''}, log end ${p.logEnd}`,
    ),
  ];
  if (r.flinkState?.action === 'moved-aside')
    lines.push(
      `  Flink checkpoints ${r.flinkState.dir} moved aside to ${r.flinkState.movedTo}: the job starts from the group offsets`,
    );
  else if (r.flinkState)
    lines.push(`  Flink checkpoints: none retained (${r.flinkState.dir}): the job starts from the group offsets`);
  lines.push(`next: ${r.next}`);
  return lines.join('\n');
}
