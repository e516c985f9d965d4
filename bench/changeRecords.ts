import type { DynamoDBRecord } from 'aws-lambda';
import { toItem } from '../pipeline/api/index.ts';
import { SCHEMA_VERSION, type Chargeback, type ChangeRecord, type ChargebackStatus } from '../pipeline/schema/index.ts';

/**
 * The benchmark's workload: a deterministic stream of realistic change records, the same for
 * every stage and every engine of one run (record `i` is always the same record for a run id).
 *
 * Shape, chosen to look like production rather than like a micro-benchmark:
 * - chargebacks go through their lifecycle (INSERT RECEIVED → MODIFY UNDER_REVIEW → REPRESENTED →
 *   WON), so about a third of the records are INSERTs and the rest MODIFYs with a previous_status;
 * - 500 merchants, five currencies with 0, 2 and 3 decimals, amounts from cents to thousands;
 * - reasons from real dispute categories, 20 to 160 characters, some non-ASCII;
 * - unique event ids and increasing sequence numbers, so the writers' duplicate filter drops nothing.
 * A JSON change record is ~560 bytes on the topic, like the ones the stream processor produces.
 */
const REASONS = [
  'Product not received',
  'Fraudulent transaction — card not present',
  'Duplicate charge',
  'Goods or services not as described: the customer reports the item arrived damaged and incomplete',
  'Subscription cancelled but still billed',
  'Credit not processed after return (RMA 7734-B, carrier tracking confirms delivery to the warehouse)',
  'Réclamation : colis non reçu',
  'Incorrect amount charged at point of sale; receipt shows a lower total than the statement',
];
const CURRENCIES: ReadonlyArray<readonly [currency: string, decimals: number]> = [
  ['USD', 2],
  ['EUR', 2],
  ['GBP', 2],
  ['JPY', 0],
  ['KWD', 3],
];
const LIFECYCLE: readonly ChargebackStatus[] = ['RECEIVED', 'UNDER_REVIEW', 'REPRESENTED', 'WON'];
const BASE_MS = Date.UTC(2026, 10, 27, 8, 0, 0);
const SEQUENCE_BASE = 400_000_000_000_000_000_000n;

export interface Workload {
  /** Total records of the workload: chargebacks are spread so that each goes through ~3 changes. */
  readonly total: number;
  readonly runId: string;
}

function amountOf(i: number, decimals: number): string {
  const units = 1 + ((i * 7919) % 250_000); // cents-ish
  if (decimals === 0) return String(units);
  const s = String(units * 10 ** Math.max(0, decimals - 2)).padStart(decimals + 1, '0');
  const out = `${s.slice(0, -decimals)}.${s.slice(-decimals)}`;
  return out;
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

/** The chargeback that change `i` is about, and which step of its lifecycle the change is. */
function chargebackOf(w: Workload, i: number): { id: string; step: number; chargeback: number } {
  const chargebacks = Math.max(1, Math.ceil(w.total / 3));
  const chargeback = i % chargebacks;
  return {
    id: `cb_${w.runId}_${hex(chargeback, 8)}`,
    step: Math.min(Math.floor(i / chargebacks), LIFECYCLE.length - 1),
    chargeback,
  };
}

/** Change record `i` of the workload. */
export function changeRecordAt(w: Workload, i: number): ChangeRecord {
  const { id, step, chargeback } = chargebackOf(w, i);
  const [currency, decimals] = CURRENCIES[chargeback % CURRENCIES.length]!;
  const created = BASE_MS + chargeback * 3;
  const updated = created + step * 60_000;
  return {
    schema_version: SCHEMA_VERSION,
    event_id: `${hex(Number(BigInt.asUintN(48, BigInt(i) * 0x9e3779b97f4an)), 12)}${w.runId}${hex(i, 12)}`,
    event_type: step === 0 ? 'INSERT' : 'MODIFY',
    sequence_number: String(SEQUENCE_BASE + BigInt(i) * 100n),
    event_time: new Date(updated + 150).toISOString(),
    chargeback_id: id,
    merchant_id: `merch_${hex(chargeback % 500, 4)}`,
    amount: amountOf(chargeback, decimals),
    currency,
    reason: REASONS[chargeback % REASONS.length]!,
    status: LIFECYCLE[step]!,
    previous_status: step === 0 ? null : LIFECYCLE[step - 1]!,
    created_at: new Date(created).toISOString(),
    updated_at: new Date(updated).toISOString(),
  };
}

/** Records `from` (inclusive) to `to` (exclusive). */
export function changeRecords(w: Workload, from: number, to: number): ChangeRecord[] {
  const out: ChangeRecord[] = new Array(Math.max(0, to - from));
  for (let i = from; i < to; i++) out[i - from] = changeRecordAt(w, i);
  return out;
}

/** The chargeback (table item) a change record describes. */
export function chargebackOfRecord(r: ChangeRecord): Chargeback {
  return {
    chargeback_id: r.chargeback_id,
    merchant_id: r.merchant_id,
    amount: r.amount,
    currency: r.currency,
    reason: r.reason,
    status: r.status,
    created_at: r.created_at,
    updated_at: r.updated_at,
  };
}

/**
 * Change record `i` as the DynamoDB stream record Lambda would deliver for it (the shape of
 * fixtures/streamEvents.ts, recorded from a real event source mapping): an INSERT carries the new
 * image, a MODIFY both images.
 */
export function streamRecordAt(w: Workload, i: number): DynamoDBRecord {
  const r = changeRecordAt(w, i);
  const newImage = toItem(chargebackOfRecord(r));
  const oldImage = r.previous_status ? { ...newImage, status: { S: r.previous_status } } : undefined;
  return {
    eventID: r.event_id,
    eventName: r.event_type,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'us-east-1',
    eventSourceARN: `arn:aws:dynamodb:us-east-1:123456789012:table/bench-${w.runId}/stream/2026-11-27T08:00:00.000`,
    dynamodb: {
      ApproximateCreationDateTime: Date.parse(r.event_time) / 1000,
      Keys: { chargeback_id: { S: r.chargeback_id } },
      NewImage: newImage as never,
      ...(oldImage ? { OldImage: oldImage as never } : {}),
      SequenceNumber: r.sequence_number,
      SizeBytes: 380,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  };
}
