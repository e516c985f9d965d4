import { AMOUNT_SCALE, EVENT_TYPES, fromUnscaled, toUnscaled, type EventType } from '../schema/index.ts';

/**
 * The part of a change that money reconciliation looks at. Both sides are brought to this shape:
 * the stream side from the raw stream records (`expectedChange`), the landing side from an
 * independent read of the Parquet files (`readLandedMoney`).
 */
export interface MoneyChange {
  chargeback_id: string;
  event_type: EventType;
  sequence_number: string;
  /** ISO-8601 UTC with millis (`2026-12-02T02:03:04.567Z`). */
  event_time: string;
  currency: string;
  /** Exact decimal string; a REMOVE carries the old image's amount. */
  amount: string;
}

/** Count of changes and their exact amount sum, as a canonical decimal string. */
export interface MoneyFigure {
  changes: number;
  amount: string;
}

/**
 * One cell: an hour, a currency and an event type. Sums are kept per event type rather than
 * signed: every change carries the chargeback's full amount (not a delta), so INSERT, MODIFY and
 * REMOVE amounts mean different things to finance — amounts filed, amounts touched by a status
 * change, amounts withdrawn — and adding or subtracting them would give a number nobody can use.
 */
export interface MoneyCell {
  /** `YYYY-MM-DD/HH`, the UTC hour of the change's event_time (the landing layout's bucket form). */
  hour: string;
  currency: string;
  event_type: EventType;
  stream: MoneyFigure;
  landed: MoneyFigure;
  match: boolean;
}

export interface MoneyByHourReport {
  /** Every cell either side knows, sorted by hour, currency, event type. */
  cells: MoneyCell[];
  /** The earliest hour with any differing cell, or null when every cell matches. */
  firstDifferentHour: string | null;
  differentCells: number;
  totals: { stream: MoneyFigure; landed: MoneyFigure };
  ok: boolean;
}

/** Exact running figure: amounts as unscaled integers at AMOUNT_SCALE, never a float. */
interface Tally {
  changes: number;
  unscaled: bigint;
}

/**
 * The UTC hour a change belongs to, from its event_time, on both sides. The landing zone's folders
 * are bucketed by the writer's processing time, which the stream cannot know; event_time is the
 * one clock both sides carry, so it is the only fair key.
 */
export function utcHourOf(eventTime: string): string {
  const t = new Date(eventTime);
  if (Number.isNaN(t.getTime())) throw new RangeError(`event_time ${JSON.stringify(eventTime)} is not a timestamp`);
  const iso = t.toISOString();
  return `${iso.slice(0, 10)}/${iso.slice(11, 13)}`;
}

const EVENT_ORDER = new Map<string, number>(EVENT_TYPES.map((t, i) => [t, i]));

function cellKey(hour: string, currency: string, eventType: EventType): string {
  return `${hour}\u0000${currency}\u0000${eventType}`;
}

/** Exact totals per (UTC hour of event_time, currency, event type). Pure. */
export function tallyByHour(
  changes: readonly MoneyChange[],
): Map<string, Tally & { hour: string; currency: string; event_type: EventType }> {
  const cells = new Map<string, Tally & { hour: string; currency: string; event_type: EventType }>();
  for (const c of changes) {
    const hour = utcHourOf(c.event_time);
    const key = cellKey(hour, c.currency, c.event_type);
    let cell = cells.get(key);
    if (!cell) {
      cell = { hour, currency: c.currency, event_type: c.event_type, changes: 0, unscaled: 0n };
      cells.set(key, cell);
    }
    cell.changes++;
    cell.unscaled += toUnscaled(c.amount, AMOUNT_SCALE);
  }
  return cells;
}

function figure(t: Tally | undefined): MoneyFigure {
  return { changes: t?.changes ?? 0, amount: fromUnscaled(t?.unscaled ?? 0n, AMOUNT_SCALE) };
}

/**
 * Count and exact sum per UTC hour, currency and event type, from the stream and from the landing
 * zone, cell by cell. A cell only one side has counts as zero changes and amount 0 on the other.
 * Grand totals add every cell of a side (across currencies, so only meaningful as a check sum).
 */
export function compareMoneyByHour(stream: readonly MoneyChange[], landed: readonly MoneyChange[]): MoneyByHourReport {
  const s = tallyByHour(stream);
  const l = tallyByHour(landed);
  const keys = [...new Set([...s.keys(), ...l.keys()])];
  const cells: MoneyCell[] = keys.map((k) => {
    const where = (s.get(k) ?? l.get(k))!;
    const a = s.get(k);
    const b = l.get(k);
    return {
      hour: where.hour,
      currency: where.currency,
      event_type: where.event_type,
      stream: figure(a),
      landed: figure(b),
      match: (a?.changes ?? 0) === (b?.changes ?? 0) && (a?.unscaled ?? 0n) === (b?.unscaled ?? 0n),
    };
  });
  cells.sort(
    (x, y) =>
      compareText(x.hour, y.hour) ||
      compareText(x.currency, y.currency) ||
      (EVENT_ORDER.get(x.event_type) ?? 0) - (EVENT_ORDER.get(y.event_type) ?? 0),
  );
  const different = cells.filter((c) => !c.match);
  const total = (m: Map<string, Tally>) =>
    [...m.values()].reduce((acc, t) => ({ changes: acc.changes + t.changes, unscaled: acc.unscaled + t.unscaled }), {
      changes: 0,
      unscaled: 0n,
    });
  return {
    cells,
    firstDifferentHour: different[0]?.hour ?? null,
    differentCells: different.length,
    totals: { stream: figure(total(s)), landed: figure(total(l)) },
    ok: different.length === 0,
  };
}

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
