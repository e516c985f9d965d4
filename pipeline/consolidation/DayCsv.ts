import {
  CHANGE_RECORD_FIELD_SPECS,
  type ChangeRecordFieldSpec,
  EventType,
  isoFromMillis,
  type ParquetRow,
} from '../schema/index.ts';
import { CurrencyTotals, fixedText } from './CurrencyTotals.ts';
import { encodeCsvRecord, parseCsv } from './csvCodec.ts';
import { ConsolidationConfigError } from './errors.ts';

/** What the day's CSV holds: every landed change, or the state of each chargeback at the end of the day. */
export const CsvMode = { CHANGES: 'changes', STATE: 'state' } as const;
export type CsvMode = (typeof CsvMode)[keyof typeof CsvMode];
export const CSV_MODES: readonly CsvMode[] = Object.values(CsvMode);

export function checkCsvMode(value: string): CsvMode {
  if ((CSV_MODES as readonly string[]).includes(value)) return value as CsvMode;
  throw new ConsolidationConfigError(`csv mode must be one of ${CSV_MODES.join(', ')}, got ${JSON.stringify(value)}`);
}

/** The header: the schema's column names, in its (Avro = Parquet) order. */
export const CSV_COLUMNS: readonly string[] = CHANGE_RECORD_FIELD_SPECS.map((s) => s.name);

/** Key of the day's CSV; the run id in the name keeps a rerun over other inputs off a file the committed manifest lists. */
export function dayCsvKey(dayPrefix: string, day: string, run: string, mode: CsvMode): string {
  return `${dayPrefix}chargebacks-${mode === CsvMode.STATE ? 'state-' : ''}${day}-${run}.csv`;
}

/**
 * One cell per column kind of the schema: decimals as exact text at the column's scale (from the
 * unscaled integer, never through a float: "99.9900"), timestamps as UTC ISO 8601 with
 * milliseconds ("…T16:05:00.123Z"), null as the empty field (the only empty value: every string
 * column but `previous_status` is required and non-empty by validation).
 */
function cellOf(spec: ChangeRecordFieldSpec): (row: ParquetRow) => string {
  const get = (row: ParquetRow) => row[spec.name as keyof ParquetRow];
  const text = (v: unknown): string => {
    switch (spec.kind) {
      case 'decimal':
        return fixedText(v as bigint, spec.scale ?? 0);
      case 'timestamp-millis':
        return isoFromMillis(Number(v as bigint));
      default:
        return String(v);
    }
  };
  return (row) => {
    const v = get(row);
    return v === null || v === undefined ? '' : text(v);
  };
}

const CELLS = CHANGE_RECORD_FIELD_SPECS.map(cellOf);

/**
 * The rows a CSV of `mode` holds, from the day's rows in consolidated order (chargeback_id, then
 * sequence number): all of them, or the last change of each chargeback unless it was a REMOVE.
 */
export function csvRowsOf(sorted: readonly ParquetRow[], mode: CsvMode): readonly ParquetRow[] {
  if (mode === CsvMode.CHANGES) return sorted;
  const out: ParquetRow[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const r = sorted[i]!;
    const last = i + 1 === sorted.length || sorted[i + 1]!.chargeback_id !== r.chargeback_id;
    if (last && r.event_type !== EventType.REMOVE) out.push(r);
  }
  return out;
}

/** Header then one record per row: UTF-8, CRLF, RFC 4180 quoting (csvCodec.ts). */
export function encodeDayCsv(rows: readonly ParquetRow[]): Uint8Array {
  const parts: string[] = [encodeCsvRecord(CSV_COLUMNS)];
  for (const r of rows) parts.push(encodeCsvRecord(CELLS.map((cell) => cell(r))));
  return Buffer.from(parts.join(''), 'utf8');
}

/**
 * Row count and count + exact sum per currency of a CSV, read back from its bytes (not from the
 * rows it was made of), so the check against the Parquet outputs covers the encoding too.
 */
export function csvTotals(bytes: Uint8Array): { rows: number; currencies: CurrencyTotals } {
  const [header, ...records] = parseCsv(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  const amount = header?.indexOf('amount') ?? -1;
  const currency = header?.indexOf('currency') ?? -1;
  if (amount < 0 || currency < 0) throw new TypeError('the CSV has no amount or currency column');
  const currencies = new CurrencyTotals();
  for (const r of records) currencies.addText(r[currency]!, r[amount]!);
  return { rows: records.length, currencies };
}
