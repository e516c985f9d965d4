import { CHANGE_RECORD_FIELDS, canonicalAmount, type ChangeRecord } from '../schema/index.ts';

/** One landed row and where it is. */
export interface LandedRow {
  key: string;
  row: ChangeRecord;
}

export interface ReconcileReport {
  expected: number;
  landed: number;
  lost: number;
  duplicated: number;
  mismatched: number;
  /** Landed rows whose event_id the source does not know (e.g. written before the window). */
  unexpected: number;
  examples: {
    lost: string[];
    duplicated: Array<{ event_id: string; chargeback_id: string; copies: number; keys: string[] }>;
    mismatched: Array<{ event_id: string; chargeback_id: string; fields: string[] }>;
    unexpected: string[];
  };
  ok: boolean;
}

/** Every column is compared, from the schema's own list, so a field the schema gains is checked too. */
const FIELDS = CHANGE_RECORD_FIELDS as readonly string[];

/**
 * Compares every change the source of truth holds with every landed row, by event_id:
 * lost = expected but never landed, duplicated = landed more than once, mismatched = landed
 * with a value that differs (amounts compared exactly, in canonical form). Pure.
 */
export function reconcile(expected: readonly ChangeRecord[], landed: readonly LandedRow[], maxExamples = 10): ReconcileReport {
  const byEvent = new Map<string, LandedRow[]>();
  for (const l of landed) {
    const list = byEvent.get(l.row.event_id);
    if (list) list.push(l);
    else byEvent.set(l.row.event_id, [l]);
  }
  const known = new Set<string>();
  const report: ReconcileReport = {
    expected: expected.length,
    landed: landed.length,
    lost: 0,
    duplicated: 0,
    mismatched: 0,
    unexpected: 0,
    examples: { lost: [], duplicated: [], mismatched: [], unexpected: [] },
    ok: true,
  };
  for (const e of expected) {
    known.add(e.event_id);
    const rows = byEvent.get(e.event_id) ?? [];
    if (rows.length === 0) {
      report.lost++;
      if (report.examples.lost.length < maxExamples)
        report.examples.lost.push(`${e.chargeback_id} (${e.event_type}, event ${e.event_id})`);
      continue;
    }
    if (rows.length > 1) {
      report.duplicated += rows.length - 1;
      if (report.examples.duplicated.length < maxExamples) {
        report.examples.duplicated.push({
          event_id: e.event_id,
          chargeback_id: e.chargeback_id,
          copies: rows.length,
          keys: rows.map((r) => r.key),
        });
      }
    }
    const fields = differingFields(e, rows[0]!.row);
    if (fields.length) {
      report.mismatched++;
      if (report.examples.mismatched.length < maxExamples)
        report.examples.mismatched.push({ event_id: e.event_id, chargeback_id: e.chargeback_id, fields });
    }
  }
  for (const [eventId, rows] of byEvent) {
    if (known.has(eventId)) continue;
    report.unexpected += rows.length;
    if (report.examples.unexpected.length < maxExamples)
      report.examples.unexpected.push(`${rows[0]!.row.chargeback_id} (event ${eventId}) in ${rows[0]!.key}`);
  }
  report.ok = report.lost === 0 && report.duplicated === 0 && report.mismatched === 0 && report.unexpected === 0;
  return report;
}

function differingFields(expected: ChangeRecord, landed: ChangeRecord): string[] {
  const e = expected as unknown as Record<string, unknown>;
  const l = landed as unknown as Record<string, unknown>;
  return FIELDS.filter((f) => {
    if (f === 'amount') return canonicalAmount(expected.amount) !== canonicalAmount(landed.amount);
    return e[f] !== l[f];
  });
}
