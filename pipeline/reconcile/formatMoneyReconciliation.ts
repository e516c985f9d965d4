import type { ChargebackFigure } from './moneyByChargeback.ts';
import type { MoneyReconciliation } from './reconcileMoney.ts';

/** Left-aligned text columns, numbers right-aligned, so sums line up by their last digit. */
function table(header: string[], rows: string[][], numeric: ReadonlySet<number>): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    r
      .map((cell, i) => (numeric.has(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

function latestOf(f: ChargebackFigure): string {
  return f.latest ? `${f.latest.event_type} ${f.latest.amount} ${f.latest.currency}` : '-';
}

/** The human form of `reconcile --by hour|chargeback`: one table, then the verdict. */
export function formatMoneyReconciliation(r: MoneyReconciliation): string[] {
  const out: string[] = [];
  if (r.by === 'hour') {
    out.push(
      ...table(
        ['hour (UTC, event_time)', 'currency', 'event', 'stream n', 'stream sum', 'landed n', 'landed sum', ''],
        r.report.cells.map((c) => [
          c.hour,
          c.currency,
          c.event_type,
          String(c.stream.changes),
          c.stream.amount,
          String(c.landed.changes),
          c.landed.amount,
          c.match ? 'ok' : 'DIFFERENT',
        ]),
        new Set([3, 4, 5, 6]),
      ),
    );
  } else {
    out.push(
      ...table(
        ['chargeback_id', 'stream n', 'stream latest', 'landed n', 'landed latest', ''],
        r.report.chargebacks.map((c) => [
          c.chargeback_id,
          String(c.stream.changes),
          latestOf(c.stream),
          String(c.landed.changes),
          latestOf(c.landed),
          c.match ? 'ok' : 'DIFFERENT',
        ]),
        new Set([1, 3]),
      ),
    );
  }
  out.push(
    `stream ${r.streamChanges} changes (poison, dead-lettered: ${r.poisonInStream}) · landed ${r.landedRows} rows in ${r.files} files (older than the stream: ${r.landedOutsideWindow}) · unreadable landed rows ${r.problems.length}`,
  );
  for (const p of r.problems.slice(0, 10))
    out.push(`  unreadable: ${p.key}${p.row >= 0 ? ` row ${p.row}` : ''}: ${p.field} ${p.problem}`);
  if (r.by === 'hour') {
    out.push(
      r.report.firstDifferentHour
        ? `first hour that differs: ${r.report.firstDifferentHour} (${r.report.differentCells} cells differ)`
        : 'every hour, currency and event type matches in count and sum',
    );
  } else {
    out.push(
      r.report.firstDifferentChargeback
        ? `first chargeback that differs: ${r.report.firstDifferentChargeback} (${r.report.differentChargebacks} differ)`
        : 'every chargeback matches in count and latest amount',
    );
  }
  out.push(r.ok ? 'reconcile: OK' : 'reconcile: DIFFERENCES FOUND');
  return out;
}
