import type { ParquetRow } from '../schema/index.ts';

/**
 * Compares two sequence numbers as integers. DynamoDB Streams sequence numbers are decimal strings
 * of up to 40 digits (more than any JS number holds exactly, and their length varies, so string
 * order is wrong: "9" < "10" as integers). Leading zeros are ignored; a non-decimal value throws,
 * naming it, since no order would be right for it.
 *
 * @example
 * compareSequenceNumbers('9', '10') // -1
 */
export function compareSequenceNumbers(a: string, b: string): number {
  const x = significantDigits(a);
  const y = significantDigits(b);
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  return x < y ? -1 : x > y ? 1 : 0;
}

function significantDigits(s: string): string {
  if (!/^[0-9]+$/.test(s)) throw new TypeError(`sequence_number ${JSON.stringify(s)} is not a decimal integer`);
  const i = s.search(/[^0]/);
  return i === -1 ? '0' : s.slice(i);
}

/**
 * The consolidated order: `chargeback_id` (UTF-16 code units, JS string order), then
 * `sequence_number` as an integer. Rows equal on both keep their input order (Array.sort is
 * stable, and inputs are read in key order), so the whole order is deterministic.
 */
export function compareConsolidatedRows(a: ParquetRow, b: ParquetRow): number {
  if (a.chargeback_id !== b.chargeback_id) return a.chargeback_id < b.chargeback_id ? -1 : 1;
  return compareSequenceNumbers(a.sequence_number, b.sequence_number);
}
