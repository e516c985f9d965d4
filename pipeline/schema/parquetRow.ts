import { CHANGE_RECORD_FIELD_SPECS, type ChangeRecordFieldSpec } from './avroSchema.ts';
import type { ChangeRecord } from './changeRecord.ts';
import { compileFieldMapper, type FieldMapping } from './compileFieldMapper.ts';
import { fromUnscaled, toUnscaled } from './money.ts';
import { isoFromMillis, millisFromIso } from './timestamps.ts';
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

/** How each Avro kind goes between the change record's value and the Parquet value; other kinds are copied. */
function physicalOf(spec: ChangeRecordFieldSpec): FieldMapping {
  switch (spec.kind) {
    case 'timestamp-millis':
      return nullSafe(spec, (iso: string) => BigInt(millisFromIso(iso)));
    case 'decimal':
      return nullSafe(spec, (amount: string) => toUnscaled(amount, spec.scale));
    default:
      return { name: spec.name };
  }
}

function logicalOf(spec: ChangeRecordFieldSpec): FieldMapping {
  switch (spec.kind) {
    case 'timestamp-millis':
      return nullSafe(spec, (ms: bigint) => isoFromMillis(Number(ms)));
    case 'decimal':
      return nullSafe(spec, (unscaled: bigint) => fromUnscaled(unscaled, spec.scale));
    default:
      return { name: spec.name };
  }
}

/** A nullable field's null stays null; a required one is converted as it is, so a missing value fails loudly. */
function nullSafe<T>(spec: ChangeRecordFieldSpec, convert: (value: T) => unknown): FieldMapping {
  return { name: spec.name, convert: spec.nullable ? (v: T | null) => (v === null ? null : convert(v)) : convert };
}

/** Change record → Parquet row, in Avro column order. */
export const toParquetRow: (r: ChangeRecord) => ParquetRow = compileFieldMapper<ParquetRow>(
  CHANGE_RECORD_FIELD_SPECS.map(physicalOf),
);

/** Inverse of toParquetRow; amounts come back in canonical form ("99.10" → "99.1"). */
export const fromParquetRow: (row: ParquetRow) => ChangeRecord = compileFieldMapper<ChangeRecord>(
  CHANGE_RECORD_FIELD_SPECS.map(logicalOf),
);

/** Big-endian two's complement bytes (Avro/Parquet DECIMAL on BYTE_ARRAY) → unscaled integer. */
export function unscaledFromBytes(bytes: Uint8Array): bigint {
  if (bytes.length === 0) return 0n;
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  const bits = BigInt(bytes.length * 8);
  return bytes[0]! & 0x80 ? v - (1n << bits) : v;
}
