import type { ChangeRecord } from './changeRecord.ts';
import type { Validated } from './FieldError.ts';
import { changeRecordPicker } from './changeRecordPicker.ts';
import { parseChangeRecordJson } from './parseChangeRecordJson.ts';
import { validateChangeRecord } from './validateChangeRecord.ts';

const inAvroOrder = changeRecordPicker();

/**
 * The change record on the topic: UTF-8 JSON with the Avro schema's field order, so the same
 * record always gives the same bytes and a replay is byte-identical.
 */
export function encodeChangeRecord(record: ChangeRecord): Buffer {
  return Buffer.from(JSON.stringify(inAvroOrder(record)), 'utf8');
}

/**
 * Topic bytes → a validated change record. Bytes that are not UTF-8 JSON, and JSON that fails
 * validation, come back as field errors (never thrown), so a poison record can be dead-lettered
 * with its reason while the partition keeps flowing.
 */
export function decodeChangeRecord(bytes: Uint8Array | null | undefined): Validated<ChangeRecord> {
  if (!bytes || bytes.length === 0)
    return { ok: false, errors: [{ field: 'value', problem: 'is empty (tombstone or missing value)' }] };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, errors: [{ field: 'value', problem: 'is not valid UTF-8' }] };
  }
  const parsed = parseChangeRecordJson(text);
  return parsed.ok ? validateChangeRecord(parsed.value) : parsed;
}
