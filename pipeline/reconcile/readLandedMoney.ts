import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { parquetMetadata, parquetReadObjects, type FileMetaData, type SchemaElement } from 'hyparquet';
import { listLandedFiles } from '../parquet-writer/index.ts';
import { amountProblems, canonicalAmount, EVENT_TYPES, fromUnscaled, type EventType, type FieldError } from '../schema/index.ts';
import { UnreadableLandedFileError } from './errors.ts';
import type { MoneyChange } from './moneyByHour.ts';

/** A landed row money reconciliation could not use, and why (it makes the report fail). */
export interface LandedRowProblem extends FieldError {
  key: string;
  /** Row index in the file; -1 when the whole file could not be read (field `file`). */
  row: number;
}

export interface LandedMoney {
  changes: MoneyChange[];
  problems: LandedRowProblem[];
  files: number;
}

/** The only columns the money figures need; the rest of the file is not decoded at all. */
const COLUMNS = ['chargeback_id', 'event_type', 'sequence_number', 'event_time', 'currency', 'amount'] as const;

const EVENT_TYPE_SET = new Set<string>(EVENT_TYPES);
const TIME_UNIT_PER_MILLI = { MILLIS: 1n, MICROS: 1_000n, NANOS: 1_000_000n } as const;

/**
 * Reads the money columns of one committed part file on its own terms, sharing nothing with the
 * writers' encoders or the project's row codec (`fromParquetRow`), so a bug there cannot hide
 * itself by being undone on the way back. The amount's scale and the timestamp's unit come from
 * the file's own schema (either writer's layout, or a future one, reads correctly).
 *
 * hyparquet turns DECIMAL into a float64 and timestamps into Dates; both logical types are
 * therefore removed from the schema handed to it, so it returns the stored integers, which are
 * decoded here: big-endian two's complement bytes (BYTE_ARRAY / FIXED_LEN_BYTE_ARRAY) or INT32 /
 * INT64 unscaled values, and epoch integers in the column's unit.
 */
export async function readLandedMoneyFile(bytes: Uint8Array, key: string): Promise<Omit<LandedMoney, 'files'>> {
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  let metadata: FileMetaData;
  try {
    metadata = parquetMetadata(file);
  } catch (e) {
    throw new UnreadableLandedFileError(`${key}: not a Parquet file (${(e as Error).message})`, { cause: e });
  }
  const leaf = new Map(metadata.schema.map((el) => [el.name, el]));
  const missing = COLUMNS.filter((c) => !leaf.has(c));
  if (missing.length) throw new UnreadableLandedFileError(`${key}: no column(s) ${missing.join(', ')}`);
  const amountScale = decimalScaleOf(leaf.get('amount')!);
  if (amountScale === undefined) throw new UnreadableLandedFileError(`${key}: column amount is not a DECIMAL`);
  const timeUnit = timestampUnitOf(leaf.get('event_time')!);
  if (!timeUnit) throw new UnreadableLandedFileError(`${key}: column event_time is not a TIMESTAMP`);

  const raw: FileMetaData = { ...metadata, schema: metadata.schema.map(withoutLogicalType) };
  let objects: Array<Record<string, unknown>>;
  try {
    objects = await parquetReadObjects({ file, metadata: raw, columns: [...COLUMNS], utf8: false });
  } catch (e) {
    throw new UnreadableLandedFileError(`${key}: ${(e as Error).message}`, { cause: e });
  }
  const changes: MoneyChange[] = [];
  const problems: LandedRowProblem[] = [];
  objects.forEach((o, row) => {
    const found: FieldError[] = [];
    const note = (field: string, problem: string) => found.push({ field, problem });
    const chargebackId = text(o.chargeback_id);
    if (!chargebackId) note('chargeback_id', 'is missing or empty');
    const eventType = text(o.event_type);
    if (!eventType || !EVENT_TYPE_SET.has(eventType))
      note('event_type', `is ${JSON.stringify(eventType)}, not one of ${EVENT_TYPES.join(', ')}`);
    const sequenceNumber = text(o.sequence_number);
    if (!sequenceNumber || !/^[0-9]+$/.test(sequenceNumber))
      note('sequence_number', `is ${JSON.stringify(sequenceNumber)}, not a digit string`);
    const currency = text(o.currency);
    if (!currency) note('currency', 'is missing');
    const eventTime = epochIso(o.event_time, timeUnit);
    if (!eventTime) note('event_time', 'is missing or outside the Date range');
    const unscaled = unscaledOf(o.amount);
    let amount: string | undefined;
    if (unscaled === undefined) note('amount', 'is missing');
    else if (unscaled < 0n) note('amount', `is negative (${fromUnscaled(unscaled, amountScale)})`);
    else {
      amount = canonicalAmount(fromUnscaled(unscaled, amountScale));
      for (const p of amountProblems(amount, currency)) note('amount', `${amount} ${p}`);
    }
    if (found.length) {
      for (const f of found) problems.push({ key, row, ...f });
      return;
    }
    changes.push({
      chargeback_id: chargebackId!,
      event_type: eventType as EventType,
      sequence_number: sequenceNumber!,
      event_time: eventTime!,
      currency: currency!,
      amount: amount!,
    });
  });
  return { changes, problems };
}

/**
 * Every committed part file under the landing prefix (the same visibility rule readers use:
 * hidden `.`/`_` names skipped), each read by `readLandedMoneyFile`.
 */
export async function readLandedMoney(
  s3: S3Client,
  bucket: string,
  prefix = 'landing/chargebacks/',
  onProgress?: (filesRead: number, filesTotal: number) => void,
): Promise<LandedMoney> {
  const files = await listLandedFiles(s3, bucket, prefix);
  const out: LandedMoney = { changes: [], problems: [], files: files.length };
  let read = 0;
  for (const f of files) {
    const obj = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: f.key }));
    const bytes = await obj.Body!.transformToByteArray();
    try {
      const { changes, problems } = await readLandedMoneyFile(bytes, f.key);
      for (const c of changes) out.changes.push(c);
      for (const p of problems) out.problems.push(p);
    } catch (e) {
      // One unreadable file is a reported difference, not the end of the report on every other file.
      if (!(e instanceof UnreadableLandedFileError)) throw e;
      out.problems.push({ key: f.key, row: -1, field: 'file', problem: e.message });
    }
    onProgress?.(++read, files.length);
  }
  return out;
}

function decimalScaleOf(el: SchemaElement): number | undefined {
  if (el.logical_type?.type === 'DECIMAL') return el.logical_type.scale;
  if (el.converted_type === 'DECIMAL') return el.scale ?? 0;
  return undefined;
}

function timestampUnitOf(el: SchemaElement): keyof typeof TIME_UNIT_PER_MILLI | undefined {
  if (el.logical_type?.type === 'TIMESTAMP') return el.logical_type.unit;
  if (el.converted_type === 'TIMESTAMP_MILLIS') return 'MILLIS';
  if (el.converted_type === 'TIMESTAMP_MICROS') return 'MICROS';
  return undefined;
}

function withoutLogicalType(el: SchemaElement): SchemaElement {
  if (decimalScaleOf(el) === undefined && !timestampUnitOf(el)) return el;
  const { converted_type: _c, logical_type: _l, ...rest } = el;
  return rest;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

function text(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) {
    try {
      return UTF8.decode(v);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Big-endian two's complement (Parquet's DECIMAL byte layout) or a stored INT32/INT64. */
function unscaledOf(v: unknown): bigint | undefined {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  if (!(v instanceof Uint8Array) || v.length === 0) return undefined;
  let n = 0n;
  for (const b of v) n = (n << 8n) | BigInt(b);
  return v[0]! & 0x80 ? n - (1n << BigInt(v.length * 8)) : n;
}

function epochIso(v: unknown, unit: keyof typeof TIME_UNIT_PER_MILLI): string | undefined {
  const n = typeof v === 'bigint' ? v : typeof v === 'number' && Number.isInteger(v) ? BigInt(v) : undefined;
  if (n === undefined) return undefined;
  // Floor division, so a pre-1970 MICROS/NANOS value still lands in the right millisecond.
  const per = TIME_UNIT_PER_MILLI[unit];
  const ms = n >= 0n ? n / per : -((-n + per - 1n) / per);
  const t = new Date(Number(ms));
  return Number.isNaN(t.getTime()) ? undefined : t.toISOString();
}
