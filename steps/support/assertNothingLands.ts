import assert from 'node:assert/strict';
import { createKafka, kafkaConfigFromEnv, Topics } from '../../pipeline/kafka/index.ts';
import type { ChangeRecord } from '../../pipeline/schema/index.ts';
import { currentTarget, LANDING_TIMEOUT_MS } from './pipeline.ts';

export interface LandingCaughtUp {
  /** The chargeback filed as the sentinel; it landed. */
  sentinelId: string;
  /** Per partition: the topic's end offset once the sentinel had landed, and the writers' committed offset that passed it. */
  partitions: Array<{ partition: number; endOffset: string; committed: string }>;
  waitedMs: number;
}

/**
 * Waits until everything that happened before this call has had its chance to land — the proof a
 * "nothing lands" step needs, since waiting a fixed time proves nothing when landing can take up to
 * LANDING_TIMEOUT_MS:
 *
 * 1. A sentinel chargeback is filed through the API. The poller reads the table's stream in order
 *    per shard, publishing or dead-lettering each record before the next (locally moto has a single
 *    shard; on AWS this covers the shard of the sentinel's key), so once the sentinel has landed,
 *    every earlier change in the stream is on the topic or in the stream processor's DLQ. (Not
 *    quite under faults: after a partial batch failure the failed record is re-published after
 *    later ones of its batch. The scenarios using this inject none.)
 * 2. The topic's end offsets are read then. Whatever was published before the sentinel sits below
 *    them, on whichever partition its key hashed to — not necessarily the sentinel's.
 * 3. The writers' consumer group must commit past those end offsets on every partition. A writer
 *    commits a group offset only after the part files holding the records below it are visible in
 *    the landing prefix (pipeline/parquet-writer README, checkpoint step 4), and poison or duplicate
 *    records are committed too once their partition is idle, so no partition can hold this up for
 *    ever. After that, anything from before the sentinel that was going to land has landed.
 */
export async function awaitLandingCaughtUp(): Promise<LandingCaughtUp> {
  const started = Date.now();
  const { apiUrl, landing } = currentTarget();
  const res = await fetch(`${apiUrl}/chargebacks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      merchant_id: 'merch_sentinel',
      amount: '1.00',
      currency: 'USD',
      reason: 'sentinel: filed after a change that must not land, to prove earlier changes had their chance',
    }),
  });
  const body = (await res.json()) as { chargeback_id?: string };
  assert.equal(res.status, 201, `the sentinel chargeback was refused: ${res.status} ${JSON.stringify(body)}`);
  const sentinelId = body.chargeback_id!;
  const landed = await landing.waitForRows((r) => r.chargeback_id === sentinelId, 1, LANDING_TIMEOUT_MS);
  assert.equal(landed.length, 1, `the sentinel chargeback ${sentinelId} did not land within ${LANDING_TIMEOUT_MS} ms`);

  const groupId = process.env.WRITER_GROUP_ID ?? Topics.WRITER_GROUP;
  const admin = createKafka(kafkaConfigFromEnv('acceptance-sentinel')).admin();
  await admin.connect();
  try {
    const ends = await admin.fetchTopicOffsets(Topics.CHANGES);
    const deadline = Date.now() + LANDING_TIMEOUT_MS;
    for (;;) {
      const [group] = await admin.fetchOffsets({ groupId, topics: [Topics.CHANGES] });
      const partitions = ends.map((e) => ({
        partition: e.partition,
        endOffset: e.high,
        // -1: nothing committed yet, which is caught up only for a partition that has never held a record.
        committed: group?.partitions.find((p) => p.partition === e.partition)?.offset ?? '-1',
        empty: e.high === e.low,
      }));
      const behind = partitions.filter((p) => !p.empty && BigInt(p.committed) < BigInt(p.endOffset));
      if (behind.length === 0)
        return { sentinelId, partitions: partitions.map(({ empty: _, ...p }) => p), waitedMs: Date.now() - started };
      assert.ok(
        Date.now() < deadline,
        `group ${groupId} did not commit past the topic's end offsets within ${LANDING_TIMEOUT_MS} ms of the sentinel landing: ${behind
          .map((p) => `partition ${p.partition} committed ${p.committed} < end ${p.endOffset}`)
          .join(', ')}`,
      );
      await new Promise((r) => setTimeout(r, 250));
    }
  } finally {
    await admin.disconnect();
  }
}

/**
 * Asserts that no landed row matches `pred`, after `awaitLandingCaughtUp` has proved that anything
 * from before the call would have landed by now. `what` names the thing in the failure message.
 */
export async function assertNothingLands(pred: (r: ChangeRecord) => boolean, what: string): Promise<LandingCaughtUp> {
  const caughtUp = await awaitLandingCaughtUp();
  const rows = await currentTarget().landing.rowsWhere(pred);
  assert.equal(
    rows.length,
    0,
    `${what} landed: ${rows.map((r) => `${r.row.event_type} ${r.row.chargeback_id} in ${r.key}`).join(', ')}`,
  );
  return caughtUp;
}
