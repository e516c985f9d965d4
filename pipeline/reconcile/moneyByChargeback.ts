import { canonicalAmount, type EventType } from '../schema/index.ts';
import { compareText, type MoneyChange } from './moneyByHour.ts';

/** One chargeback's figures on one side: how many changes, and the latest change's money. */
export interface ChargebackFigure {
  changes: number;
  latest: { event_type: EventType; sequence_number: string; currency: string; amount: string } | null;
}

export interface ChargebackMoney {
  chargeback_id: string;
  stream: ChargebackFigure;
  landed: ChargebackFigure;
  match: boolean;
}

export interface MoneyByChargebackReport {
  /** Every chargeback either side knows, sorted by id. */
  chargebacks: ChargebackMoney[];
  /** The first chargeback id (in id order) whose figures differ, or null. */
  firstDifferentChargeback: string | null;
  differentChargebacks: number;
  ok: boolean;
}

/**
 * DynamoDB sequence numbers are decimal digit strings that grow with time within a shard lineage
 * (and children start above their parents), so the longer one is the later one and equal lengths
 * compare as text — exact at any length, no Number rounding.
 */
export function compareSequenceNumbers(a: string, b: string): number {
  return a.length - b.length || compareText(a, b);
}

function figuresOf(changes: readonly MoneyChange[]): Map<string, ChargebackFigure> {
  const out = new Map<string, ChargebackFigure>();
  for (const c of changes) {
    let f = out.get(c.chargeback_id);
    if (!f) {
      f = { changes: 0, latest: null };
      out.set(c.chargeback_id, f);
    }
    f.changes++;
    if (!f.latest || compareSequenceNumbers(c.sequence_number, f.latest.sequence_number) > 0) {
      f.latest = {
        event_type: c.event_type,
        sequence_number: c.sequence_number,
        currency: c.currency,
        amount: canonicalAmount(c.amount),
      };
    }
  }
  return out;
}

const NONE: ChargebackFigure = { changes: 0, latest: null };

function sameFigure(a: ChargebackFigure, b: ChargebackFigure): boolean {
  if (a.changes !== b.changes) return false;
  if (!a.latest || !b.latest) return a.latest === b.latest;
  return (
    a.latest.event_type === b.latest.event_type &&
    a.latest.sequence_number === b.latest.sequence_number &&
    a.latest.currency === b.latest.currency &&
    a.latest.amount === b.latest.amount
  );
}

/**
 * Per chargeback_id: the count of changes and the amount of the latest change (by sequence
 * number), from the stream and from the landing zone. A duplicated landed row shows as one change
 * too many; a lost last change shows as an older latest amount. Pure.
 */
export function compareMoneyByChargeback(
  stream: readonly MoneyChange[],
  landed: readonly MoneyChange[],
): MoneyByChargebackReport {
  const s = figuresOf(stream);
  const l = figuresOf(landed);
  const ids = [...new Set([...s.keys(), ...l.keys()])].sort(compareText);
  const chargebacks = ids.map((id) => {
    const a = s.get(id) ?? NONE;
    const b = l.get(id) ?? NONE;
    return { chargeback_id: id, stream: a, landed: b, match: sameFigure(a, b) };
  });
  const different = chargebacks.filter((c) => !c.match);
  return {
    chargebacks,
    firstDifferentChargeback: different[0]?.chargeback_id ?? null,
    differentChargebacks: different.length,
    ok: different.length === 0,
  };
}
