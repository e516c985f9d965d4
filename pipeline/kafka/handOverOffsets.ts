import type { Admin, GroupDescription } from 'kafkajs';
import { CdcError } from '../errors/index.ts';

/**
 * Hand-over of a topic's consumer position from one writer engine's group to the other's: the
 * target group gets exactly the offsets the source group committed (raised to what the source
 * engine's own checkpoint proves landed, when it keeps one), so the next engine resumes where
 * the last one stopped — no record skipped, none landed twice. The procedure around it
 * (stop the source gracefully, hand over, start the target) is in
 * pipeline/parquet-writer/README.md § "Switching engines".
 */

/** The hand-over would not be exact; nothing was changed. Retry after doing what the message says. */
export class HandOverRefusedError extends CdcError {
  static override readonly code = 'KAFKA_HANDOVER_REFUSED';
  override readonly canRetry = true;
}

/** The target group did not read back the offsets just set (another client committed meanwhile). */
export class HandOverNotAppliedError extends CdcError {
  static override readonly code = 'KAFKA_HANDOVER_NOT_APPLIED';
}

export interface PartitionHandOver {
  partition: number;
  /** Where the source engine would resume: every record before it is landed (or dead-lettered, or a dropped duplicate). */
  source: string | null;
  /** The target group's committed offset before the hand-over; null when it had none. */
  before: string | null;
  /** The target group's committed offset after it; null when neither group has one (both start at the earliest offset). */
  after: string | null;
  /** The partition's log end offset when the hand-over was planned. */
  logEnd: string;
}

export interface HandOverPlanInput {
  /** Every partition of the topic → its log end offset (high watermark). */
  logEnds: ReadonlyMap<number, bigint>;
  /** Source position per partition (group offset, raised to the source's checkpoint when it keeps one). */
  source: ReadonlyMap<number, bigint>;
  /** The target group's committed offsets. */
  target: ReadonlyMap<number, bigint>;
}

/**
 * Decides each partition's new target offset: the source position, exactly. Refuses, naming
 * every partition at fault at once, when a position is past the log end (the topic was
 * re-created under the landing state) or when only the target has a position (nothing says
 * where the source stopped, so any choice could skip or repeat records).
 *
 * @example
 * planHandOver({ logEnds: new Map([[0, 10n]]), source: new Map([[0, 7n]]), target: new Map([[0, 5n]]) });
 * // [{ partition: 0, source: '7', before: '5', after: '7', logEnd: '10' }]
 */
export function planHandOver(input: HandOverPlanInput): PartitionHandOver[] {
  const problems: string[] = [];
  const plan: PartitionHandOver[] = [];
  for (const [partition, logEnd] of [...input.logEnds].sort(([a], [b]) => a - b)) {
    const source = input.source.get(partition);
    const before = input.target.get(partition);
    if (source === undefined && before !== undefined) {
      problems.push(`partition ${partition}: the target group has offset ${before} but the source has no position`);
      continue;
    }
    if (source !== undefined && source > logEnd) {
      problems.push(
        `partition ${partition}: source position ${source} is past the log end ${logEnd} (topic re-created or Kafka re-formatted?)`,
      );
      continue;
    }
    plan.push({
      partition,
      source: source?.toString() ?? null,
      before: before?.toString() ?? null,
      after: source?.toString() ?? null,
      logEnd: logEnd.toString(),
    });
  }
  for (const partition of input.source.keys()) {
    if (!input.logEnds.has(partition)) problems.push(`partition ${partition}: has a source position but is not in the topic`);
  }
  if (problems.length) throw new HandOverRefusedError(`handover refused: ${problems.join('; ')}`);
  return plan;
}

/** One record of a partition after the source group's committed offset: its offset and, when it decodes, its event_id. */
export interface TailRecord {
  offset: bigint;
  eventId: string | undefined;
}

/**
 * Where an engine that commits offsets after its files (the Flink job: on checkpoint completion,
 * asynchronously) really stopped: its last commit can trail the files its stop-with-savepoint
 * made visible. The partition is read in order, so what it landed after `from` is a prefix of the
 * records from there: the position is just past the last record of that prefix whose event_id is
 * landed. A record without an event_id (poison) does not end the prefix, a change not landed does;
 * poison at the very end stays before the position (dead letters are at-least-once anyway).
 *
 * @example
 * landedThrough([{ offset: 5n, eventId: 'a' }, { offset: 6n, eventId: 'b' }], 5n, new Set(['a'])); // 6n
 */
export function landedThrough(records: readonly TailRecord[], from: bigint, landed: ReadonlySet<string>): bigint {
  let position = from;
  for (const r of [...records].sort((a, b) => (a.offset < b.offset ? -1 : a.offset > b.offset ? 1 : 0))) {
    if (r.offset < from || r.eventId === undefined) continue;
    if (!landed.has(r.eventId)) break;
    position = r.offset + 1n;
  }
  return position;
}

export interface HandOverOptions {
  topic: string;
  fromGroup: string;
  toGroup: string;
  /** Per partition, the offset the source engine's own checkpoint proves landed through (exclusive); the group offset may trail it. */
  sourceFloor?: ReadonlyMap<number, bigint>;
  /** How the engines are called in messages, e.g. "the embedded writer". */
  fromName?: string;
  toName?: string;
}

export interface HandOverResult {
  topic: string;
  fromGroup: string;
  toGroup: string;
  partitions: PartitionHandOver[];
}

/**
 * Refuses while either group has an active member (a running writer would keep committing its
 * own position); otherwise sets the target group's offsets to the source position and reads
 * them back. Kafka itself refuses a commit from outside the group while the group has members
 * (kafkajs `setOffsets` checks first), so a writer that joins between the check and the write
 * makes the hand-over fail instead of being overwritten.
 *
 * @example
 * const result = await handOverOffsets(admin, { topic: 'chargebacks', fromGroup: 'a', toGroup: 'b' });
 */
export async function handOverOffsets(admin: Admin, o: HandOverOptions): Promise<HandOverResult> {
  await refuseWhileGroupsActive(admin, o);
  const logEnds = new Map((await admin.fetchTopicOffsets(o.topic)).map((p) => [p.partition, BigInt(p.high)] as const));
  const committed = await groupOffsets(admin, o.fromGroup, o.topic);
  const source = new Map(committed);
  for (const [partition, floor] of o.sourceFloor ?? []) {
    const c = source.get(partition);
    if (c === undefined || floor > c) source.set(partition, floor);
  }
  const target = o.toGroup === o.fromGroup ? committed : await groupOffsets(admin, o.toGroup, o.topic);
  const plan = planHandOver({ logEnds, source, target });
  const moves = plan.filter((p) => p.after !== null).map((p) => ({ partition: p.partition, offset: p.after! }));
  if (moves.length) await admin.setOffsets({ groupId: o.toGroup, topic: o.topic, partitions: moves });
  const readBack = await groupOffsets(admin, o.toGroup, o.topic);
  const wrong = moves.filter((m) => readBack.get(m.partition)?.toString() !== m.offset);
  if (wrong.length) {
    throw new HandOverNotAppliedError(
      `handover not applied: group ${o.toGroup} reads ${wrong
        .map((m) => `partition ${m.partition} at ${readBack.get(m.partition) ?? 'none'} instead of ${m.offset}`)
        .join(', ')}; did a writer start? Stop it and run handover again`,
    );
  }
  return { topic: o.topic, fromGroup: o.fromGroup, toGroup: o.toGroup, partitions: plan };
}

/**
 * Throws HandOverRefusedError while the source or the target group has an active member: a running
 * writer keeps committing its own position. Callers that read the source's state first call it first.
 */
export async function refuseWhileGroupsActive(
  admin: Admin,
  o: Pick<HandOverOptions, 'fromGroup' | 'toGroup' | 'fromName' | 'toName'>,
): Promise<void> {
  const { groups } = await admin.describeGroups([...new Set([o.fromGroup, o.toGroup])]);
  const busy = groups.filter((g) => g.members.length > 0);
  if (busy.length) {
    throw new HandOverRefusedError(
      `handover refused: ${busy.map((g) => describeBusy(g, o)).join('; ')}: stop it with SIGTERM, wait for it to exit, then run handover again`,
    );
  }
}

/** Committed offsets of a group on a topic; partitions without a commit (Kafka's -1) are left out. */
async function groupOffsets(admin: Admin, groupId: string, topic: string): Promise<Map<number, bigint>> {
  const [t] = await admin.fetchOffsets({ groupId, topics: [topic] });
  const out = new Map<number, bigint>();
  for (const p of t?.partitions ?? []) if (BigInt(p.offset) >= 0n) out.set(p.partition, BigInt(p.offset));
  return out;
}

function describeBusy(g: GroupDescription, o: Pick<HandOverOptions, 'fromGroup' | 'toGroup' | 'fromName' | 'toName'>): string {
  const whose = [
    ...(g.groupId === o.fromGroup ? [o.fromName ?? 'the source'] : []),
    ...(g.groupId === o.toGroup && o.toGroup !== o.fromGroup ? [o.toName ?? 'the target'] : []),
  ].join(' and ');
  const members = g.members.map((m) => `${m.clientId}${m.clientHost}`).join(', ');
  return `consumer group ${g.groupId} (${whose}) has ${g.members.length} active member${g.members.length === 1 ? '' : 's'} (${members})`;
}
