import { AMOUNT_SCALE, fromUnscaled, toUnscaled } from './money.ts';
import { millisFromIso, isoFromMillis } from './timestamps.ts';
import type { ChangeRecord } from './changeRecord.ts';
import type { ChargebackStatus, EventType } from './vocabulary.ts';

/**
 * A landed Parquet row: the change record with exact physical values — amount as the unscaled
 * integer of DECIMAL(18,4), timestamps as epoch milliseconds (TIMESTAMP(MILLIS, UTC)).
 */
export interface ParquetRow {
  schema_version: number;
  event_id: string;
  event_type: EventType;
  sequence_number: string;
  event_time: bigint;
  chargeback_id: string;
  merchant_id: string;
  amount: bigint;
  currency: string;
  reason: string;
  status: ChargebackStatus;
  previous_status: ChargebackStatus | null;
  created_at: bigint;
  updated_at: bigint;
}

export function toParquetRow(r: ChangeRecord): ParquetRow {
  return {
    schema_version: r.schema_version,
    event_id: r.event_id,
    event_type: r.event_type,
    sequence_number: r.sequence_number,
    event_time: BigInt(millisFromIso(r.event_time)),
    chargeback_id: r.chargeback_id,
    merchant_id: r.merchant_id,
    amount: toUnscaled(r.amount, AMOUNT_SCALE),
    currency: r.currency,
    reason: r.reason,
    status: r.status,
    previous_status: r.previous_status,
    created_at: BigInt(millisFromIso(r.created_at)),
    updated_at: BigInt(millisFromIso(r.updated_at)),
  };
}

/** Inverse of toParquetRow; amounts come back in canonical form ("99.10" → "99.1"). */
export function fromParquetRow(row: ParquetRow): ChangeRecord {
  return {
    schema_version: row.schema_version,
    event_id: row.event_id,
    event_type: row.event_type,
    sequence_number: row.sequence_number,
    event_time: isoFromMillis(Number(row.event_time)),
    chargeback_id: row.chargeback_id,
    merchant_id: row.merchant_id,
    amount: fromUnscaled(row.amount, AMOUNT_SCALE),
    currency: row.currency,
    reason: row.reason,
    status: row.status,
    previous_status: row.previous_status,
    created_at: isoFromMillis(Number(row.created_at)),
    updated_at: isoFromMillis(Number(row.updated_at)),
  };
}

/** Big-endian two's complement bytes (Avro/Parquet DECIMAL on BYTE_ARRAY) → unscaled integer. */
export function unscaledFromBytes(bytes: Uint8Array): bigint {
  if (bytes.length === 0) return 0n;
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  const bits = BigInt(bytes.length * 8);
  return bytes[0]! & 0x80 ? v - (1n << bits) : v;
}
